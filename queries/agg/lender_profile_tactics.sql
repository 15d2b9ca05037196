-- One lender's tactic mix against the whole market (all lenders within the same filters):
-- complaints with each tactic and the base counts, for shares with confidence intervals.
-- Answered from the counts built at publish (complaints/aggregates.py, queries/_aggregated.sql) under
-- the filters the base question takes, except those this line does not name (and text search):
-- covers: tactics
WITH base AS (
    SELECT COALESCE(sum(n) FILTER (WHERE lender_key = $lender_key), 0)::BIGINT AS lender_total,
           COALESCE(sum(n), 0)::BIGINT AS market_total
    FROM scoped_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, true)
    ),
-- Per tactic, grouped apart from the one-row totals (see agg/tactic_shares.sql), by tactic_split
-- (queries/_aggregated.sql), which sums the mask rows per mask first under a tactic filter.
counts AS (
    SELECT * FROM tactic_split($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $lender_key)
)
SELECT counts.tactic_id, counts.lender_n, base.lender_total, counts.market_n, base.market_total
FROM counts, base
ORDER BY lender_n DESC, counts.tactic_id;
