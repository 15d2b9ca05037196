-- For each tactic: complaints with it, and their share of all filtered complaints.
-- Answered from the counts built at publish (complaints/aggregates.py, queries/_aggregated.sql) under
-- the filters the base question takes, except those this line does not name (and text search):
-- covers: tactics
WITH total AS (
    SELECT sum(n)::BIGINT AS n FROM scoped_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, true)
    ),
-- Grouped by tactic apart from the one-row total: beside it, DuckDB expanded every mask row into its
-- tactics before summing (396k rows under a tactic filter at 10M) instead of summing per mask first.
counts AS (
    SELECT tactic_id, sum(n)::BIGINT AS complaints
    FROM scoped_tactic_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, true)
    GROUP BY tactic_id
)
SELECT counts.tactic_id, counts.complaints, counts.complaints::DOUBLE / total.n AS share
FROM counts, total
ORDER BY complaints DESC, counts.tactic_id;
