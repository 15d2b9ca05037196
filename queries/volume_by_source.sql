-- Complaints by source and country.
SELECT source, COALESCE(country, '?') AS country, count(*) AS complaints
FROM filtered($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactics, $tactics_all, $regions, $products, $statuses, $has_narrative, $search)
GROUP BY ALL
ORDER BY complaints DESC;
