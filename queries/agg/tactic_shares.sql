-- For each tactic: complaints with it, and their share of all filtered complaints.
-- Answered from the daily counts built at publish (complaints/aggregates.py): the dashboard runs this
-- version only when no filter other than dates, countries, sources and lenders is set.
WITH total AS (
    SELECT sum(n)::BIGINT AS n FROM daily_lender_counts
    WHERE received BETWEEN CAST($start_date AS DATE) AND CAST($end_date AS DATE)
  AND (len($countries::VARCHAR[]) = 0 OR list_contains($countries::VARCHAR[], country))
  AND (len($sources::VARCHAR[]) = 0 OR list_contains($sources::VARCHAR[], source))
  AND (len($lenders::VARCHAR[]) = 0 OR list_contains($lenders::VARCHAR[], lender_key))
  AND (len($excluded_lenders::VARCHAR[]) = 0 OR NOT list_contains($excluded_lenders::VARCHAR[], lender_key))
)
SELECT t.tactic_id, sum(t.n)::BIGINT AS complaints, sum(t.n)::DOUBLE / any_value(total.n) AS share
FROM daily_lender_tactic_counts AS t, total
WHERE received BETWEEN CAST($start_date AS DATE) AND CAST($end_date AS DATE)
  AND (len($countries::VARCHAR[]) = 0 OR list_contains($countries::VARCHAR[], country))
  AND (len($sources::VARCHAR[]) = 0 OR list_contains($sources::VARCHAR[], source))
  AND (len($lenders::VARCHAR[]) = 0 OR list_contains($lenders::VARCHAR[], lender_key))
  AND (len($excluded_lenders::VARCHAR[]) = 0 OR NOT list_contains($excluded_lenders::VARCHAR[], lender_key))
GROUP BY t.tactic_id
ORDER BY complaints DESC, t.tactic_id;
