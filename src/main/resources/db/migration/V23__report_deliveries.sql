-- How each period's report reached the manager (report.* delivery): one row per kind and period, written in the
-- transaction that makes the report's first version, so that of several nodes and restarts exactly one delivers it;
-- a re-run (version 2 …) is not delivered again. channel: service (customer-service message within WeChat's
-- window), template (the configured template message), console (no WeChat message could go: the console's notice
-- only). The latest rows are the console's notice of new reports.
CREATE TABLE report_deliveries (
    kind          VARCHAR(8)    NOT NULL,
    period_start  DATE          NOT NULL,
    report_id     BIGINT        NOT NULL REFERENCES reports (id),
    channel       VARCHAR(16)   NOT NULL,
    message_id    BIGINT        REFERENCES messages (id),
    delivered_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_report_deliveries PRIMARY KEY (kind, period_start),
    CONSTRAINT ck_report_deliveries_kind CHECK (kind IN ('weekly', 'monthly')),
    CONSTRAINT ck_report_deliveries_channel CHECK (channel IN ('service', 'template', 'console'))
);
CREATE INDEX ix_report_deliveries_at ON report_deliveries (delivered_at);
