-- Lender ranking for the period: complaints, the previous period's count, the months with complaints
-- and their counts (for a sparkline), the most frequent tactic and the share of complaints with a
-- severe tactic.
-- Under a text search answered from the matching complaints' rows of lender_facts (tactic masks, no
-- label join; queries/_searched_facts.sql), under every filter the base question takes.
WITH f AS (
    SELECT * FROM searched_facts($search, $start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $regions, $products, $statuses, $has_narrative)
    WHERE lender_key IS NOT NULL
),
-- complaints per lender and tactic mask: the counts, the severe share and the top tactic come from it
masks AS (
    SELECT lender_key, tactic_mask, any_value(lender_id) AS lender_id, min(lender_name) AS lender_name,
           count(*) AS n
    FROM f GROUP BY lender_key, tactic_mask
),
cur AS (
    SELECT lender_key, any_value(lender_id) AS lender_id, min(lender_name) AS lender_name,
           sum(n)::BIGINT AS complaints,
           COALESCE(sum(n) FILTER (WHERE tactic_mask & CAST($severe_bits AS UBIGINT) != 0), 0)::BIGINT AS severe_n
    FROM masks GROUP BY lender_key
),
prev AS (
    SELECT lender_key, count(*) AS previous
    FROM searched_facts($search, $prev_start, $prev_end, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $regions, $products, $statuses, $has_narrative)
    GROUP BY lender_key
),
-- counted per day first: grouping millions of matches by their date is cheaper than truncating each
-- to its month (22 ms less of 173 for 催收 at 10M; bench/README.md, fourteenth pass)
days AS (SELECT lender_key, received, count(*) AS n FROM f GROUP BY ALL),
months AS (
    SELECT lender_key, CAST(date_trunc('month', received) AS DATE) AS month, sum(n)::BIGINT AS n
    FROM days GROUP BY ALL
),
spark AS (
    SELECT lender_key, list(n ORDER BY month) AS monthly, list(month ORDER BY month) AS months
    FROM months GROUP BY lender_key
),
lt AS (
    SELECT m.lender_key, b.tactic_id, sum(m.n) AS n
    FROM masks AS m JOIN tactic_bits AS b ON m.tactic_mask & b.bit != 0
    GROUP BY ALL
),
top_tactic AS (SELECT lender_key, first(tactic_id ORDER BY n DESC, tactic_id) AS top_tactic FROM lt GROUP BY lender_key)
SELECT cur.lender_key, cur.lender_id IS NULL AS unmatched,
       COALESCE(l.name_zh, cur.lender_name) AS name_zh,
       COALESCE(l.name_en, l.name_zh, cur.lender_name) AS name_en,
       cur.complaints, COALESCE(prev.previous, 0) AS previous, spark.monthly, spark.months,
       top_tactic.top_tactic,
       cur.severe_n / cur.complaints AS severe_share
FROM cur
LEFT JOIN lenders AS l ON l.lender_id = cur.lender_id
LEFT JOIN prev USING (lender_key)
LEFT JOIN spark USING (lender_key)
LEFT JOIN top_tactic USING (lender_key)
ORDER BY cur.complaints DESC, cur.lender_key;
