-- Lender ranking for the period: complaints, the previous period's count, monthly counts for a
-- sparkline, the most frequent tactic and the share of complaints with a severe tactic.
-- Answered from the daily counts built at publish (complaints/aggregates.py): the dashboard runs this
-- version only when no filter other than dates, countries, sources and lenders is set.
WITH d AS (
    SELECT * FROM daily_lender_counts
    WHERE received BETWEEN CAST($start_date AS DATE) AND CAST($end_date AS DATE)
  AND (len($countries::VARCHAR[]) = 0 OR list_contains($countries::VARCHAR[], country))
  AND (len($sources::VARCHAR[]) = 0 OR list_contains($sources::VARCHAR[], source))
  AND (len($lenders::VARCHAR[]) = 0 OR list_contains($lenders::VARCHAR[], lender_key))
  AND (len($excluded_lenders::VARCHAR[]) = 0 OR NOT list_contains($excluded_lenders::VARCHAR[], lender_key))
      AND lender_key IS NOT NULL
),
cur AS (
    SELECT lender_key, any_value(lender_id) AS lender_id, min(lender_name) AS lender_name,
           sum(n)::BIGINT AS complaints, sum(n_severe)::BIGINT AS severe_n
    FROM d GROUP BY lender_key
),
prev AS (
    SELECT lender_key, sum(n)::BIGINT AS previous FROM daily_lender_counts
    WHERE received BETWEEN CAST($prev_start AS DATE) AND CAST($prev_end AS DATE)
  AND (len($countries::VARCHAR[]) = 0 OR list_contains($countries::VARCHAR[], country))
  AND (len($sources::VARCHAR[]) = 0 OR list_contains($sources::VARCHAR[], source))
  AND (len($lenders::VARCHAR[]) = 0 OR list_contains($lenders::VARCHAR[], lender_key))
  AND (len($excluded_lenders::VARCHAR[]) = 0 OR NOT list_contains($excluded_lenders::VARCHAR[], lender_key))
    GROUP BY lender_key
),
months AS (
    SELECT lender_key, CAST(date_trunc('month', received) AS DATE) AS month, sum(n)::BIGINT AS n
    FROM d GROUP BY ALL
),
spark AS (SELECT lender_key, list(n ORDER BY month) AS monthly FROM months GROUP BY lender_key),
lt AS (
    SELECT lender_key, tactic_id, sum(n) AS n FROM daily_lender_tactic_counts
    WHERE received BETWEEN CAST($start_date AS DATE) AND CAST($end_date AS DATE)
  AND (len($countries::VARCHAR[]) = 0 OR list_contains($countries::VARCHAR[], country))
  AND (len($sources::VARCHAR[]) = 0 OR list_contains($sources::VARCHAR[], source))
  AND (len($lenders::VARCHAR[]) = 0 OR list_contains($lenders::VARCHAR[], lender_key))
  AND (len($excluded_lenders::VARCHAR[]) = 0 OR NOT list_contains($excluded_lenders::VARCHAR[], lender_key))
      AND lender_key IS NOT NULL
    GROUP BY ALL
),
top_tactic AS (SELECT lender_key, arg_max(tactic_id, n) AS top_tactic FROM lt GROUP BY lender_key)
SELECT cur.lender_key, cur.lender_id IS NULL AS unmatched,
       COALESCE(l.name_zh, cur.lender_name) AS name_zh,
       COALESCE(l.name_en, l.name_zh, cur.lender_name) AS name_en,
       cur.complaints, COALESCE(prev.previous, 0) AS previous, spark.monthly, top_tactic.top_tactic,
       cur.severe_n / cur.complaints AS severe_share
FROM cur
LEFT JOIN lenders AS l ON l.lender_id = cur.lender_id
LEFT JOIN prev USING (lender_key)
LEFT JOIN spark USING (lender_key)
LEFT JOIN top_tactic USING (lender_key)
ORDER BY cur.complaints DESC, cur.lender_key;
