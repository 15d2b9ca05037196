-- For each tactic: complaints with it, and their share of all filtered complaints.
-- Under a text search answered from the matching complaints' rows of lender_facts (tactic masks, no
-- label join; queries/_searched_facts.sql), under every filter the base question takes.
WITH masks AS (
    SELECT tactic_mask, count(*) AS n FROM searched_facts($search, $start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $regions, $products, $statuses, $has_narrative) GROUP BY tactic_mask
),
total AS (SELECT sum(n) AS n FROM masks)
SELECT b.tactic_id, sum(m.n)::BIGINT AS complaints, sum(m.n)::DOUBLE / any_value(total.n) AS share
FROM masks AS m JOIN tactic_bits AS b ON m.tactic_mask & b.bit != 0, total
GROUP BY b.tactic_id
ORDER BY complaints DESC, b.tactic_id;
