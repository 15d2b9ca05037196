-- For each tactic: complaints with it, and their share of all filtered complaints.
-- Answered from the daily/monthly counts built at publish (complaints/aggregates.py, queries/_aggregated.sql): the dashboard runs this
-- version only when no filter other than dates, countries, sources and lenders is set.
WITH total AS (
    SELECT sum(n)::BIGINT AS n FROM scoped_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, true)
    )
SELECT t.tactic_id, sum(t.n)::BIGINT AS complaints, sum(t.n)::DOUBLE / any_value(total.n) AS share
FROM scoped_tactic_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, true) AS t, total
GROUP BY t.tactic_id
ORDER BY complaints DESC, t.tactic_id;
