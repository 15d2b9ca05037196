-- A few recent complaints with evidence for one tactic, with the text the evidence offsets index.
-- Under a text search answered from the matching complaints' rows of lender_facts (tactic masks, no
-- label join; queries/_searched_facts.sql), under every filter the base question takes.
-- Each complaint's first text evidence for the tactic comes from tactic_evidence (complaints/aggregates.py,
-- sorted by tactic and date). The complaints are picked on (received, complaint_id) first, among the
-- matches whose mask has the tactic; evidence and texts are then read for those few only (reading the
-- evidence of every candidate made this 2-3x slower at 10M, bench/README.md).
WITH picked AS (
    SELECT complaint_id, received
    FROM tactic_evidence
    WHERE tactic_id = $tactic
      AND complaint_id IN (SELECT complaint_id FROM searched_facts($search, $start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $regions, $products, $statuses, $has_narrative)
                           WHERE tactic_mask & tactic_bits_of([$tactic]) != 0)
    ORDER BY received DESC, complaint_id
    LIMIT $limit
),
hits AS (
    SELECT e.complaint_id, e.received, e.country, e.field, e.evidence_start, e.evidence_end, e.evidence
    FROM tactic_evidence AS e JOIN picked USING (complaint_id, received)
    WHERE e.tactic_id = $tactic
)
SELECT h.complaint_id, h.received, h.country, h.field, h.evidence_start, h.evidence_end, h.evidence,
       CASE h.field WHEN 'title' THEN c.title ELSE c.narrative END AS text
FROM hits AS h
JOIN complaints AS c ON c.complaint_id = h.complaint_id AND c.received = h.received
ORDER BY h.received DESC, h.complaint_id;
