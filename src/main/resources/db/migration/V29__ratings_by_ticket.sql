-- A ticket's rating, looked up by ticket: the report's ticket rows, a closed ticket's page, the ratings list.
-- H2 indexes every foreign key by itself; PostgreSQL does not, and the monthly report's tickets then scanned every
-- rating once per ticket (report-bench on PostgreSQL: 36 s for the workbook against 0.7 s on H2).
CREATE INDEX ix_ratings_ticket ON ratings (ticket_id);
