-- Foreign keys that are looked up by: H2 indexes every foreign key by itself, PostgreSQL does not, so there these
-- look-ups scanned their whole table.
-- A ticket's rating by ticket: the report's ticket rows, a closed ticket's page, the ratings list (report-bench on
-- PostgreSQL: 36 s for the month's workbook, against 0.7 s on H2 and 3.1 s with this index).
CREATE INDEX ix_ratings_ticket ON ratings (ticket_id);
-- An outbox row by its message: the passive reply found again for WeChat's retry, a person resending or marking
-- delivered a message whose delivery was unknown, the console's unknown deliveries.
CREATE INDEX ix_outbox_message ON outbox (message_id);
