-- For each tactic: complaints with it, and their share of all filtered complaints.
WITH f AS (SELECT complaint_id FROM filtered($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactics, $tactics_all, $regions, $products, $statuses, $has_narrative, $search)),
total AS (SELECT count(*) AS n FROM f)
SELECT t.tactic_id, count(DISTINCT t.complaint_id) AS complaints,
       count(DISTINCT t.complaint_id) / any_value(total.n) AS share
FROM complaint_tactics AS t, total
WHERE t.complaint_id IN (SELECT complaint_id FROM f)
GROUP BY t.tactic_id
ORDER BY complaints DESC, t.tactic_id;
