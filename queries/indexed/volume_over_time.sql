-- Complaints per interval (day, week, month, quarter, year).
-- Under a text search answered from the matching complaints' rows of lender_facts
-- (queries/_searched_facts.sql), under every filter the base question takes.
SELECT CAST(date_trunc($interval, received) AS DATE) AS period, count(*) AS complaints
FROM searched_facts($search, $start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $regions, $products, $statuses, $has_narrative)
GROUP BY ALL
ORDER BY period;
