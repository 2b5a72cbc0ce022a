-- Fewer statements per message: a WeChat message is a dozen statements, and the channel is measured at a
-- thousand messages a second.

-- Since when replies wait in the outbox for the customer's next message (WeChat's quota was used up); NULL when
-- none wait. Read by primary key on every inbound message, so that releasing them does not search the outbox,
-- whose customer index planners rank poorly when nearly every row has the same status.
ALTER TABLE customers ADD COLUMN held_since TIMESTAMP WITH TIME ZONE;

-- What the bot remembers between turns (JSON) belongs to the conversation: it is read with the conversation
-- and saved with its last-message time, instead of in a table of its own.
ALTER TABLE conversations ADD COLUMN bot_state VARCHAR(4000);
ALTER TABLE conversations ADD COLUMN bot_state_at TIMESTAMP WITH TIME ZONE;
DROP TABLE dialogs;
