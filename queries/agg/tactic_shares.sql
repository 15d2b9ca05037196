-- For each tactic: complaints with it, and their share of all filtered complaints.
-- Answered from the counts built at publish (complaints/aggregates.py, queries/_aggregated.sql) under
-- the filters the base question takes, except those this line does not name (and text search):
-- covers: tactics
WITH total AS (
    SELECT sum(n)::BIGINT AS n FROM scoped_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, true)
    )
SELECT t.tactic_id, sum(t.n)::BIGINT AS complaints, sum(t.n)::DOUBLE / any_value(total.n) AS share
FROM scoped_tactic_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, true) AS t, total
GROUP BY t.tactic_id
ORDER BY complaints DESC, t.tactic_id;
