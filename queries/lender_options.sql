-- Every lender a complaint names: registry lenders by id, unmatched filed names flagged.
SELECT COALESCE(c.lender_id, '~' || c.lender_name) AS lender_key,
       c.lender_id IS NULL AS unmatched,
       any_value(COALESCE(l.name_zh, c.lender_name)) AS name_zh,
       any_value(COALESCE(l.name_en, l.name_zh, c.lender_name)) AS name_en,
       count(*) AS n
FROM complaints AS c
LEFT JOIN lenders AS l USING (lender_id)
WHERE c.lender_id IS NOT NULL OR c.lender_name IS NOT NULL
GROUP BY ALL
ORDER BY n DESC, lender_key;
