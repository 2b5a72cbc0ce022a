-- One row, locked while the first admin is made at /desk/setup: of two posts or two nodes racing to make the first
-- admin, the second waits for the first and then finds a user, so only one is made.
CREATE TABLE desk_setup_lock (
    id  INT NOT NULL PRIMARY KEY
);
INSERT INTO desk_setup_lock (id) VALUES (1);
