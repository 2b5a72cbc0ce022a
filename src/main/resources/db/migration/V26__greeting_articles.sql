-- Articles (图文) as greetings: a mass message may carry an article instead of a text, uploaded (its cover as the thumb,
-- then the article by media/uploadnews) when it is sent; inside the window it goes as a customer-service news message.

-- The article (kefu.conversation.Article as JSON: title, digest, content, url, cover); NULL for a text, in text.
ALTER TABLE mass_sends ADD COLUMN article VARCHAR(200000);
-- WeChat's media_id of the uploaded article, kept at once: a send tried again sends it rather than uploading another
-- (it is valid for three days, longer than a send is tried).
ALTER TABLE mass_sends ADD COLUMN media_id VARCHAR(128);

ALTER TABLE outbox DROP CONSTRAINT ck_outbox_kind;
ALTER TABLE outbox ADD CONSTRAINT ck_outbox_kind CHECK (kind IN ('text', 'menu', 'news'));
