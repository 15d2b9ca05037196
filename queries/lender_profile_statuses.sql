-- One lender's complaints by status (company response / 投诉进度).
SELECT COALESCE(status, '?') AS status, count(*) AS complaints
FROM filtered($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactics, $tactics_all, $regions, $products, $statuses, $has_narrative, $search)
WHERE lender_key = $lender_key
GROUP BY ALL
ORDER BY complaints DESC, status;
