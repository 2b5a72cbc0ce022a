-- When the customer was asked to rate the ticket's chat: the bot reads their next message as the rating. Kept on
-- the ticket, so that the desk, which asks, never writes the bot's own memory of the conversation.
ALTER TABLE tickets ADD COLUMN rating_asked_at TIMESTAMP WITH TIME ZONE;
