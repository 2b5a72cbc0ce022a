-- 五清楚一报告: what a complaint ticket records, the reply promised to the customer, and the report of a major one.
CREATE TABLE complaints (
    ticket_id       BIGINT         NOT NULL PRIMARY KEY REFERENCES tickets (id),
    -- normal (一般) or major (重大)
    severity        VARCHAR(8)     NOT NULL,
    -- 听清楚: the complaint as the customer told it
    told            VARCHAR(2000),
    -- 问清楚: what was asked to complete it
    asked           VARCHAR(2000),
    -- 跟清楚, 记清楚: what was done about it
    handling        VARCHAR(2000),
    -- 复清楚: the result, as told to the customer
    result          VARCHAR(2000),
    -- The next reply promised to the customer; cleared when an agent writes to them.
    reply_due_at    TIMESTAMP WITH TIME ZONE,
    -- When a promised time passed without a reply: kept, so breaches are counted.
    breached_at     TIMESTAMP WITH TIME ZONE,
    -- When a major complaint was reported to the supervisors and the manager.
    reported_at     TIMESTAMP WITH TIME ZONE,
    -- When the customer was told the result; until then the complaint stays open.
    result_told_at  TIMESTAMP WITH TIME ZONE,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ck_complaints_severity CHECK (severity IN ('normal', 'major'))
);
CREATE INDEX ix_complaints_due ON complaints (reply_due_at);
CREATE INDEX ix_complaints_breached ON complaints (breached_at);

-- The day's digest for supervisors (each working day at desk.digest-at): one row a day, so that of several nodes
-- only the first sends it.
CREATE TABLE digests (
    made_on     DATE           NOT NULL PRIMARY KEY,
    body        VARCHAR(4000)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
