-- Complaints carrying each pair of tactics (the diagonal: complaints with the tactic).
WITH f AS (SELECT complaint_id FROM filtered($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactics, $tactics_all, $regions, $products, $statuses, $has_narrative, $search)),
ct AS (SELECT DISTINCT complaint_id, tactic_id FROM complaint_tactics WHERE complaint_id IN (SELECT complaint_id FROM f))
SELECT a.tactic_id AS tactic_a, b.tactic_id AS tactic_b, count(*) AS complaints
FROM ct AS a JOIN ct AS b USING (complaint_id)
GROUP BY ALL
ORDER BY tactic_a, tactic_b;
