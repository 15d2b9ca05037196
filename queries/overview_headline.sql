-- Headline numbers for one period: complaints, share with any tactic, share with a severe tactic,
-- lenders named. The dashboard runs it for the chosen period and for the previous one of equal length.
WITH f AS (SELECT * FROM filtered($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactics, $tactics_all, $regions, $products, $statuses, $has_narrative, $search)),
tagged AS (
    SELECT complaint_id,
           true AS any_tactic,
           bool_or(list_contains($severe, tactic_id)) AS severe
    FROM complaint_tactics
    WHERE complaint_id IN (SELECT complaint_id FROM f)
    GROUP BY complaint_id
)
SELECT count(*) AS complaints,
       count(tagged.complaint_id) AS with_tactic,
       count(*) FILTER (WHERE tagged.severe) AS with_severe,
       count(DISTINCT f.lender_key) AS lenders
FROM f LEFT JOIN tagged USING (complaint_id);
