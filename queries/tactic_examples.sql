-- A few recent complaints with evidence for one tactic, with the text the evidence offsets index.
SELECT f.complaint_id, f.received, f.country, t.field, t.evidence_start, t.evidence_end, t.evidence,
       CASE t.field WHEN 'title' THEN f.title ELSE f.narrative END AS text
FROM filtered($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactics, $tactics_all, $regions, $products, $statuses, $has_narrative, $search) AS f
JOIN complaint_tactics AS t USING (complaint_id)
WHERE t.tactic_id = $tactic AND t.evidence_start IS NOT NULL AND t.field IN ('narrative', 'title')
QUALIFY row_number() OVER (PARTITION BY f.complaint_id ORDER BY t.evidence_start) = 1
ORDER BY f.received DESC, f.complaint_id
LIMIT $limit;
