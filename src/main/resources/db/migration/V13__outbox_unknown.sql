-- A message whose call to WeChat may or may not have left when its sender stopped (or whose answer was lost) is
-- 'unknown': WeChat's customer-service API has no idempotency key, so it is not sent again blindly but shown to a
-- person, who sends it again or marks it delivered. 'interrupted' meant the same and nobody saw it: those become
-- unknown too.
ALTER TABLE outbox DROP CONSTRAINT ck_outbox_status;
UPDATE outbox SET status = 'unknown' WHERE status = 'interrupted';
ALTER TABLE outbox ADD CONSTRAINT ck_outbox_status
    CHECK (status IN ('pending', 'held', 'sending', 'sent', 'failed', 'undeliverable', 'unknown'));
