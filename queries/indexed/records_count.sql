-- How many complaints match the filters.
-- Under a text search answered from the matching complaints' rows of lender_facts
-- (queries/_searched_facts.sql), under every filter the base question takes.
SELECT count(*) AS n FROM searched_facts($search, $start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $regions, $products, $statuses, $has_narrative);
