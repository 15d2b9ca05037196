-- One lender's tactic mix against the whole market (all lenders within the same filters):
-- complaints with each tactic and the base counts, for shares with confidence intervals.
-- Answered from the daily counts built at publish (complaints/aggregates.py): the dashboard runs this
-- version only when no filter other than dates, countries, sources and lenders is set.
WITH base AS (
    SELECT COALESCE(sum(n) FILTER (WHERE lender_key = $lender_key), 0)::BIGINT AS lender_total,
           COALESCE(sum(n), 0)::BIGINT AS market_total
    FROM daily_lender_counts
    WHERE received BETWEEN CAST($start_date AS DATE) AND CAST($end_date AS DATE)
  AND (len($countries::VARCHAR[]) = 0 OR list_contains($countries::VARCHAR[], country))
  AND (len($sources::VARCHAR[]) = 0 OR list_contains($sources::VARCHAR[], source))
  AND (len($lenders::VARCHAR[]) = 0 OR list_contains($lenders::VARCHAR[], lender_key))
  AND (len($excluded_lenders::VARCHAR[]) = 0 OR NOT list_contains($excluded_lenders::VARCHAR[], lender_key))
)
SELECT t.tactic_id,
       COALESCE(sum(t.n) FILTER (WHERE t.lender_key = $lender_key), 0)::BIGINT AS lender_n,
       any_value(base.lender_total) AS lender_total,
       sum(t.n)::BIGINT AS market_n,
       any_value(base.market_total) AS market_total
FROM daily_lender_tactic_counts AS t, base
WHERE received BETWEEN CAST($start_date AS DATE) AND CAST($end_date AS DATE)
  AND (len($countries::VARCHAR[]) = 0 OR list_contains($countries::VARCHAR[], country))
  AND (len($sources::VARCHAR[]) = 0 OR list_contains($sources::VARCHAR[], source))
  AND (len($lenders::VARCHAR[]) = 0 OR list_contains($lenders::VARCHAR[], lender_key))
  AND (len($excluded_lenders::VARCHAR[]) = 0 OR NOT list_contains($excluded_lenders::VARCHAR[], lender_key))
GROUP BY t.tactic_id
ORDER BY lender_n DESC, t.tactic_id;
