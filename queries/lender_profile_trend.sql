-- Complaints about one lender (by lender key) per interval, within the filters.
SELECT CAST(date_trunc($interval, received) AS DATE) AS period, count(*) AS complaints
FROM filtered($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactics, $tactics_all, $regions, $products, $statuses, $has_narrative, $search)
WHERE lender_key = $lender_key
GROUP BY ALL
ORDER BY period;
