-- One complaint, all its stored fields (texts are scrubbed).
SELECT c.*, COALESCE(l.name_zh, c.lender_name) AS name_zh, COALESCE(l.name_en, l.name_zh, c.lender_name) AS name_en
FROM complaints AS c
LEFT JOIN lenders AS l ON l.lender_id = c.lender_id
WHERE c.complaint_id = $complaint_id;
