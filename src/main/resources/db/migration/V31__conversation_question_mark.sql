-- When the bot last answered a question in the conversation that the customer's next message has not followed yet
-- (the knowledge-gap figures record what followed): a turn reads the bot's last question only where this is set, so
-- that small talk, events and the turns after a followed question cost no read. Set with each question, cleared by
-- the follow of exactly that question, so that the two, written at a batch's end in either order, leave the newer.
ALTER TABLE conversations ADD COLUMN question_at TIMESTAMP WITH TIME ZONE;
UPDATE conversations SET question_at = (SELECT MAX(q.asked_at) FROM bot_questions q WHERE q.conversation_id = conversations.id)
  WHERE id IN (SELECT conversation_id FROM bot_questions WHERE followed_by IS NULL);
