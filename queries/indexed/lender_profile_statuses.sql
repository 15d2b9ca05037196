-- One lender's complaints by status (company response / 投诉进度).
-- Under a text search answered from the matching complaints' rows of lender_facts
-- (queries/_searched_facts.sql), under every filter the base question takes.
SELECT COALESCE(status, '?') AS status, count(*) AS complaints
FROM searched_facts($search, $start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $regions, $products, $statuses, $has_narrative)
WHERE lender_key = $lender_key
GROUP BY ALL
ORDER BY complaints DESC, status;
