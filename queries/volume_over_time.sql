-- Complaints per interval (day, week, month, quarter, year).
SELECT CAST(date_trunc($interval, received) AS DATE) AS period, count(*) AS complaints
FROM filtered($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactics, $tactics_all, $regions, $products, $statuses, $has_narrative, $search)
GROUP BY ALL
ORDER BY period;
