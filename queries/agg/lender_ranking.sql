-- Lender ranking for the period: complaints, the previous period's count, the months with complaints
-- and their counts (for a sparkline), the most frequent tactic and the share of complaints with a
-- severe tactic.
-- Answered from the counts built at publish (complaints/aggregates.py, queries/_aggregated.sql) under
-- the filters the base question takes, except those this line does not name (and text search):
-- covers: tactics
WITH months AS (
    SELECT lender_key, CAST(date_trunc('month', received) AS DATE) AS month, any_value(lender_id) AS lender_id,
           min(lender_name) AS lender_name, sum(n)::BIGINT AS n, sum(n_severe)::BIGINT AS severe_n
    FROM scoped_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, true)
    WHERE lender_key IS NOT NULL
    GROUP BY lender_key, month
),
cur AS (
    SELECT lender_key, any_value(lender_id) AS lender_id, min(lender_name) AS lender_name,
           sum(n)::BIGINT AS complaints, sum(severe_n)::BIGINT AS severe_n, list(n ORDER BY month) AS monthly,
           list(month ORDER BY month) AS months
    FROM months GROUP BY lender_key
),
prev AS (
    SELECT lender_key, sum(n)::BIGINT AS previous FROM scoped_counts($prev_start, $prev_end, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, true)
    GROUP BY lender_key
),
lt AS (
    SELECT lender_key, tactic_id, sum(n) AS n FROM scoped_tactic_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, true)
    WHERE lender_key IS NOT NULL
    GROUP BY ALL
),
top_tactic AS (SELECT lender_key, first(tactic_id ORDER BY n DESC, tactic_id) AS top_tactic FROM lt GROUP BY lender_key)
SELECT cur.lender_key, cur.lender_id IS NULL AS unmatched,
       COALESCE(l.name_zh, cur.lender_name) AS name_zh,
       COALESCE(l.name_en, l.name_zh, cur.lender_name) AS name_en,
       cur.complaints, COALESCE(prev.previous, 0) AS previous, cur.monthly, cur.months,
       top_tactic.top_tactic,
       cur.severe_n / cur.complaints AS severe_share
FROM cur
LEFT JOIN lenders AS l ON l.lender_id = cur.lender_id
LEFT JOIN prev USING (lender_key)
LEFT JOIN top_tactic USING (lender_key)
ORDER BY cur.complaints DESC, cur.lender_key;
