-- Every lender a complaint names: registry lenders by id, unmatched filed names flagged.
-- Answered from the daily counts built at publish (complaints/aggregates.py).
WITH d AS (
    SELECT lender_key, lender_id, min(lender_name) AS lender_name, sum(n)::BIGINT AS n
    FROM monthly_lender_counts
    WHERE lender_key IS NOT NULL
    GROUP BY lender_key, lender_id
)
SELECT d.lender_key, d.lender_id IS NULL AS unmatched,
       COALESCE(l.name_zh, d.lender_name) AS name_zh,
       COALESCE(l.name_en, l.name_zh, d.lender_name) AS name_en,
       d.n
FROM d LEFT JOIN lenders AS l USING (lender_id)
ORDER BY n DESC, lender_key;
