-- Lender ranking for the period: complaints, the previous period's count, the months with complaints
-- and their counts (for a sparkline), the most frequent tactic and the share of complaints with a
-- severe tactic.
WITH f AS (SELECT * FROM filtered($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactics, $tactics_all, $regions, $products, $statuses, $has_narrative, $search)),
cur AS (
    SELECT lender_key, any_value(lender_id) AS lender_id, any_value(lender_name) AS lender_name,
           count(*) AS complaints
    FROM f WHERE lender_key IS NOT NULL GROUP BY lender_key
),
prev AS (SELECT lender_key, count(*) AS previous FROM filtered($prev_start, $prev_end, $countries, $sources, $lenders, $excluded_lenders, $tactics, $tactics_all, $regions, $products, $statuses, $has_narrative, $search) GROUP BY lender_key),
months AS (
    SELECT lender_key, CAST(date_trunc('month', received) AS DATE) AS month, count(*) AS n
    FROM f WHERE lender_key IS NOT NULL GROUP BY ALL
),
spark AS (
    SELECT lender_key, list(n ORDER BY month) AS monthly, list(month ORDER BY month) AS months
    FROM months GROUP BY lender_key
),
lt AS (
    SELECT f.lender_key, t.tactic_id, count(DISTINCT f.complaint_id) AS n
    FROM f JOIN complaint_tactics AS t USING (complaint_id) GROUP BY ALL
),
top_tactic AS (SELECT lender_key, first(tactic_id ORDER BY n DESC, tactic_id) AS top_tactic FROM lt GROUP BY lender_key),
severe AS (
    SELECT f.lender_key, count(DISTINCT f.complaint_id) AS severe_n
    FROM f JOIN complaint_tactics AS t USING (complaint_id)
    WHERE list_contains($severe, t.tactic_id) GROUP BY f.lender_key
)
SELECT cur.lender_key, cur.lender_id IS NULL AS unmatched,
       COALESCE(l.name_zh, cur.lender_name) AS name_zh,
       COALESCE(l.name_en, l.name_zh, cur.lender_name) AS name_en,
       cur.complaints, COALESCE(prev.previous, 0) AS previous, spark.monthly, spark.months,
       top_tactic.top_tactic,
       COALESCE(severe.severe_n, 0) / cur.complaints AS severe_share
FROM cur
LEFT JOIN lenders AS l ON l.lender_id = cur.lender_id
LEFT JOIN prev USING (lender_key)
LEFT JOIN spark USING (lender_key)
LEFT JOIN top_tactic USING (lender_key)
LEFT JOIN severe USING (lender_key)
ORDER BY cur.complaints DESC, cur.lender_key;
