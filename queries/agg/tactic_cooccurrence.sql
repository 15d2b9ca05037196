-- Complaints carrying each pair of tactics (the diagonal: complaints with the tactic).
-- Answered from the counts built at publish (complaints/aggregates.py, queries/_aggregated.sql) under
-- the filters the base question takes, except those this line does not name (and text search):
-- covers: tactics
-- Complaints are summed per tactic mask first: the few hundred masks then expand into their pairs.
WITH masks AS (
    SELECT tactic_mask, sum(n)::BIGINT AS n
    FROM scoped_masks($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, true)
    WHERE tactic_mask != 0
    GROUP BY tactic_mask
)
SELECT a.tactic_id AS tactic_a, b.tactic_id AS tactic_b, sum(m.n)::BIGINT AS complaints
FROM masks AS m
JOIN tactic_bits AS a ON m.tactic_mask & a.bit != 0
JOIN tactic_bits AS b ON m.tactic_mask & b.bit != 0
GROUP BY ALL
ORDER BY tactic_a, tactic_b;
