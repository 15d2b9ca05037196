-- The lenders named in most complaints.
-- Under a text search answered from the matching complaints' rows of lender_facts
-- (queries/_searched_facts.sql), under every filter the base question takes. Counted per lender
-- first, then named: the registry is joined to a few dozen rows, not to every match.
WITH per_lender AS (
    SELECT lender_key, lender_id, any_value(lender_name) AS lender_name, count(*) AS complaints
    FROM searched_facts($search, $start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $regions, $products, $statuses, $has_narrative)
    WHERE lender_key IS NOT NULL
    GROUP BY lender_key, lender_id
)
SELECT f.lender_key, f.lender_id IS NULL AS unmatched,
       COALESCE(l.name_zh, f.lender_name) AS name_zh,
       COALESCE(l.name_en, l.name_zh, f.lender_name) AS name_en,
       f.complaints
FROM per_lender AS f
LEFT JOIN lenders AS l ON l.lender_id = f.lender_id
ORDER BY f.complaints DESC, f.lender_key
LIMIT $limit;
