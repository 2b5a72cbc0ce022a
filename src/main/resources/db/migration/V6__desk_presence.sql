-- Whether an agent takes chats now: online agents are given waiting customers automatically, up to desk.max-chats
-- each; away and offline agents are not (they may still pick from the queue).
ALTER TABLE agents ADD COLUMN presence VARCHAR(8) DEFAULT 'offline' NOT NULL;
ALTER TABLE agents ADD CONSTRAINT ck_agents_presence CHECK (presence IN ('online', 'away', 'offline'));

-- One row, locked while waiting customers are given to agents, so that two nodes never give one agent more chats
-- than allowed.
CREATE TABLE assignment_lock (
    id  INT NOT NULL PRIMARY KEY
);
INSERT INTO assignment_lock (id) VALUES (1);
