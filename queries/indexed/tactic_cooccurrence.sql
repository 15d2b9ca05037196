-- Complaints carrying each pair of tactics (the diagonal: complaints with the tactic).
-- Under a text search answered from the matching complaints' rows of lender_facts (tactic masks, no
-- label join; queries/_searched_facts.sql), under every filter the base question takes.
-- Complaints are counted per tactic mask first: the few hundred masks then expand into their pairs.
WITH masks AS (
    SELECT tactic_mask, count(*) AS n FROM searched_facts($search, $start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $regions, $products, $statuses, $has_narrative)
    WHERE tactic_mask != 0
    GROUP BY tactic_mask
)
SELECT a.tactic_id AS tactic_a, b.tactic_id AS tactic_b, sum(m.n)::BIGINT AS complaints
FROM masks AS m
JOIN tactic_bits AS a ON m.tactic_mask & a.bit != 0
JOIN tactic_bits AS b ON m.tactic_mask & b.bit != 0
GROUP BY ALL
ORDER BY tactic_a, tactic_b;
