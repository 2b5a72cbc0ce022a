-- A survey step asked in the chat queues two messages: the step's own and the survey's first question. WeChat's
-- refusal of either turns the step into its next choice, so the question is kept on the step as the message is.
ALTER TABLE journey_steps ADD COLUMN question_id BIGINT REFERENCES messages (id);
CREATE INDEX ix_journey_steps_question ON journey_steps (question_id);

-- A survey asked in the chat whose step WeChat refused ends as refused: the customer was never asked, and the step
-- goes its next way (a call task with the survey as its form).
ALTER TABLE survey_runs DROP CONSTRAINT ck_survey_runs_status;
ALTER TABLE survey_runs ADD CONSTRAINT ck_survey_runs_status CHECK (status IN ('asking', 'done', 'stopped', 'expired', 'refused'));
