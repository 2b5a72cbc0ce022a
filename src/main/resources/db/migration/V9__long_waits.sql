-- A customer waiting longer than desk.max-wait is offered to keep waiting or to be called back: when the offer went
-- out, and when the customer asked to be called back (the queue shows it).
ALTER TABLE tickets ADD COLUMN wait_offered_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE tickets ADD COLUMN callback_at TIMESTAMP WITH TIME ZONE;
