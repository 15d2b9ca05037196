-- The lenders named in most complaints.
SELECT f.lender_key, f.lender_id IS NULL AS unmatched,
       any_value(COALESCE(l.name_zh, f.lender_name)) AS name_zh,
       any_value(COALESCE(l.name_en, l.name_zh, f.lender_name)) AS name_en,
       count(*) AS complaints
FROM filtered($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactics, $tactics_all, $regions, $products, $statuses, $has_narrative, $search) AS f
LEFT JOIN lenders AS l ON l.lender_id = f.lender_id
WHERE f.lender_key IS NOT NULL
GROUP BY f.lender_key, f.lender_id
ORDER BY complaints DESC, f.lender_key
LIMIT $limit;
