-- Since when replies wait in the outbox for the customer's next message (WeChat's quota was used up); NULL when
-- none wait. Read by primary key on every inbound message, so that releasing them does not search the outbox,
-- whose customer index planners rank poorly when nearly every row has the same status.
ALTER TABLE customers ADD COLUMN held_since TIMESTAMP WITH TIME ZONE;
