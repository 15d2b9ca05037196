-- A few recent complaints with evidence for one tactic, with the text the evidence offsets index.
-- Answered from tactic_evidence (complaints/aggregates.py: each complaint's first text evidence per
-- tactic, sorted by tactic and date) under the filters the base question takes, except those this line
-- does not name (and text search):
-- covers: tactics
WITH hits AS (
    SELECT complaint_id, received, country, field, evidence_start, evidence_end, evidence
    FROM tactic_evidence
    WHERE tactic_id = $tactic
      AND received BETWEEN CAST($start_date AS DATE) AND CAST($end_date AS DATE)
      AND in_scope($countries, $sources, $lenders, $excluded_lenders, country, source, lender_key)
      AND tactics_match(tactic_mask, $tactic_bits, $tactics_all)
    ORDER BY received DESC, complaint_id
    LIMIT $limit
)
SELECT h.complaint_id, h.received, h.country, h.field, h.evidence_start, h.evidence_end, h.evidence,
       CASE h.field WHEN 'title' THEN c.title ELSE c.narrative END AS text
FROM hits AS h
JOIN complaints AS c ON c.complaint_id = h.complaint_id AND c.received = h.received
ORDER BY h.received DESC, h.complaint_id;
