-- Marks on the customer, whose row every turn reads and locks first, so that a turn reads the rest only when it may
-- matter: when the desk last put a question to the customer (a rating, whether to keep waiting), and until when a
-- survey may be asking them in the chat. Without them every message read the customer's latest ticket and their
-- running surveys: two statements a turn, on a database server two round trips. Both only ever run ahead of the truth:
-- a mark that is set where nothing is pending costs the read it saved, never an answer.
ALTER TABLE customers ADD COLUMN prompted_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE customers ADD COLUMN survey_until TIMESTAMP WITH TIME ZONE;
-- GREATEST is NULL with a NULL argument on H2, and leaves NULLs out on PostgreSQL: neither is given one.
UPDATE customers SET prompted_at = (SELECT GREATEST(COALESCE(MAX(t.rating_asked_at), MAX(t.wait_offered_at)),
    COALESCE(MAX(t.wait_offered_at), MAX(t.rating_asked_at))) FROM tickets t WHERE t.customer_id = customers.id)
  WHERE id IN (SELECT customer_id FROM tickets WHERE rating_asked_at IS NOT NULL OR wait_offered_at IS NOT NULL);
UPDATE customers SET survey_until = (SELECT MAX(r.expires_at) FROM survey_runs r WHERE r.customer_id = customers.id
    AND r.status = 'asking')
  WHERE id IN (SELECT customer_id FROM survey_runs WHERE status = 'asking');
