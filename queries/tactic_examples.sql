-- A few recent complaints with evidence for one tactic, with the text the evidence offsets index.
-- The complaints are picked on (received, complaint_id) first; texts and evidence are then read for
-- those few only.
WITH hits AS (
    SELECT f.complaint_id, f.received
    FROM filtered($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactics, $tactics_all, $regions, $products, $statuses, $has_narrative, $search) AS f
    WHERE f.complaint_id IN (
        SELECT t.complaint_id FROM complaint_tactics AS t
        WHERE t.tactic_id = $tactic AND t.evidence_start IS NOT NULL AND t.field IN ('narrative', 'title'))
    ORDER BY f.received DESC, f.complaint_id
    LIMIT $limit
)
SELECT h.complaint_id, h.received, c.country, t.field, t.evidence_start, t.evidence_end, t.evidence,
       CASE t.field WHEN 'title' THEN c.title ELSE c.narrative END AS text
FROM hits AS h
JOIN complaints AS c ON c.complaint_id = h.complaint_id AND c.received = h.received
JOIN complaint_tactics AS t ON t.complaint_id = h.complaint_id
WHERE t.tactic_id = $tactic AND t.evidence_start IS NOT NULL AND t.field IN ('narrative', 'title')
QUALIFY row_number() OVER (PARTITION BY h.complaint_id ORDER BY t.evidence_start, t.field, t.evidence_end) = 1
ORDER BY h.received DESC, h.complaint_id;
