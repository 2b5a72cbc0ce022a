-- 今日回访: what the console records of a call task beyond V16's outcome and notes, and when a task falls due again.

-- The customer's feedback as the agent noted it (the notes are the agent's own record of the call).
ALTER TABLE call_tasks ADD COLUMN feedback VARCHAR(4000);
-- A call not answered comes back later the same day, up to journey.call-retries times: not before this moment.
ALTER TABLE call_tasks ADD COLUMN retry_at TIMESTAMP WITH TIME ZONE;
-- The end of the third day after due_on in the business's zone (三天之内回访完成): a task still open then is
-- overdue, and one done before it was done in time. Set when the task is opened; earlier rows get the same day
-- boundary in the database's zone.
ALTER TABLE call_tasks ADD COLUMN deadline TIMESTAMP WITH TIME ZONE;
UPDATE call_tasks SET deadline = CAST(due_on AS TIMESTAMP) + INTERVAL '4' DAY;
ALTER TABLE call_tasks ALTER COLUMN deadline SET NOT NULL;

CREATE INDEX ix_call_tasks_record ON call_tasks (record_id);
CREATE INDEX ix_call_tasks_deadline ON call_tasks (status, deadline);
