-- The lenders named in most complaints.
-- Answered from the counts built at publish (complaints/aggregates.py, queries/_aggregated.sql) under
-- the filters the base question takes, except those this line does not name (and text search):
-- covers: tactics
WITH d AS (
    SELECT lender_key, lender_id, min(lender_name) AS lender_name, sum(n)::BIGINT AS complaints
    FROM scoped_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, true)
    WHERE lender_key IS NOT NULL
    GROUP BY lender_key, lender_id
)
SELECT d.lender_key, d.lender_id IS NULL AS unmatched,
       COALESCE(l.name_zh, d.lender_name) AS name_zh,
       COALESCE(l.name_en, l.name_zh, d.lender_name) AS name_en,
       d.complaints
FROM d LEFT JOIN lenders AS l ON l.lender_id = d.lender_id
ORDER BY d.complaints DESC, d.lender_key
LIMIT $limit;
