-- Complaints about one lender (by lender key) per interval, within the filters.
-- Under a text search answered from the matching complaints' rows of lender_facts
-- (queries/_searched_facts.sql), under every filter the base question takes.
SELECT CAST(date_trunc($interval, received) AS DATE) AS period, count(*) AS complaints
FROM searched_facts($search, $start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $regions, $products, $statuses, $has_narrative)
WHERE lender_key = $lender_key
GROUP BY ALL
ORDER BY period;
