-- Complaints by source and country.
-- Answered from the daily counts built at publish (complaints/aggregates.py): the dashboard runs this
-- version only when no filter other than dates, countries, sources and lenders is set.
SELECT source, COALESCE(country, '?') AS country, sum(n)::BIGINT AS complaints
FROM daily_lender_counts
WHERE received BETWEEN CAST($start_date AS DATE) AND CAST($end_date AS DATE)
  AND (len($countries::VARCHAR[]) = 0 OR list_contains($countries::VARCHAR[], country))
  AND (len($sources::VARCHAR[]) = 0 OR list_contains($sources::VARCHAR[], source))
  AND (len($lenders::VARCHAR[]) = 0 OR list_contains($lenders::VARCHAR[], lender_key))
  AND (len($excluded_lenders::VARCHAR[]) = 0 OR NOT list_contains($excluded_lenders::VARCHAR[], lender_key))
GROUP BY ALL
ORDER BY complaints DESC;
