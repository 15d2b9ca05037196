-- One lender's complaints by region.
SELECT COALESCE(region, '?') AS region, count(*) AS complaints
FROM filtered($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactics, $tactics_all, $regions, $products, $statuses, $has_narrative, $search)
WHERE lender_key = $lender_key
GROUP BY ALL
ORDER BY complaints DESC, region
LIMIT 30;
