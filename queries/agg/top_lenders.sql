-- The lenders named in most complaints.
-- Answered from the daily counts built at publish (complaints/aggregates.py): the dashboard runs this
-- version only when no filter other than dates, countries, sources and lenders is set.
WITH d AS (
    SELECT lender_key, lender_id, min(lender_name) AS lender_name, sum(n)::BIGINT AS complaints
    FROM daily_lender_counts
    WHERE received BETWEEN CAST($start_date AS DATE) AND CAST($end_date AS DATE)
  AND (len($countries::VARCHAR[]) = 0 OR list_contains($countries::VARCHAR[], country))
  AND (len($sources::VARCHAR[]) = 0 OR list_contains($sources::VARCHAR[], source))
  AND (len($lenders::VARCHAR[]) = 0 OR list_contains($lenders::VARCHAR[], lender_key))
  AND (len($excluded_lenders::VARCHAR[]) = 0 OR NOT list_contains($excluded_lenders::VARCHAR[], lender_key))
      AND lender_key IS NOT NULL
    GROUP BY lender_key, lender_id
)
SELECT d.lender_key, d.lender_id IS NULL AS unmatched,
       COALESCE(l.name_zh, d.lender_name) AS name_zh,
       COALESCE(l.name_en, l.name_zh, d.lender_name) AS name_en,
       d.complaints
FROM d LEFT JOIN lenders AS l ON l.lender_id = d.lender_id
ORDER BY d.complaints DESC, d.lender_key
LIMIT $limit;
