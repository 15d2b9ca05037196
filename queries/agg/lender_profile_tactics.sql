-- One lender's tactic mix against the whole market (all lenders within the same filters):
-- complaints with each tactic and the base counts, for shares with confidence intervals.
-- Answered from the counts built at publish (complaints/aggregates.py, queries/_aggregated.sql) under
-- the filters the base question takes, except those this line does not name (and text search):
-- covers: tactics
WITH base AS (
    SELECT COALESCE(sum(n) FILTER (WHERE lender_key = $lender_key), 0)::BIGINT AS lender_total,
           COALESCE(sum(n), 0)::BIGINT AS market_total
    FROM scoped_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, true)
    )
SELECT t.tactic_id,
       COALESCE(sum(t.n) FILTER (WHERE t.lender_key = $lender_key), 0)::BIGINT AS lender_n,
       any_value(base.lender_total) AS lender_total,
       sum(t.n)::BIGINT AS market_n,
       any_value(base.market_total) AS market_total
FROM scoped_tactic_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, true) AS t, base
GROUP BY t.tactic_id
ORDER BY lender_n DESC, t.tactic_id;
