-- The tactic labels of one complaint with their evidence spans.
SELECT tactic_id, label_source, field, evidence_start, evidence_end, evidence
FROM complaint_tactics
WHERE complaint_id = $complaint_id
ORDER BY field, evidence_start NULLS LAST, tactic_id;
