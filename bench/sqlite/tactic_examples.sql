-- queries/tactic_examples.sql with QUALIFY (which SQLite lacks) written as a filtered subquery; the
-- rest of the translation is mechanical (bench/sqlite_port.py).
SELECT complaint_id, received, country, field, evidence_start, evidence_end, evidence, text
FROM (
    SELECT f.complaint_id, f.received, f.country, t.field, t.evidence_start, t.evidence_end, t.evidence,
           CASE t.field WHEN 'title' THEN f.title ELSE f.narrative END AS text,
           row_number() OVER (PARTITION BY f.complaint_id ORDER BY t.evidence_start) AS rn
    FROM filtered($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactics, $tactics_all, $regions, $products, $statuses, $has_narrative, $search) AS f
    JOIN complaint_tactics AS t USING (complaint_id)
    WHERE t.tactic_id = $tactic AND t.evidence_start IS NOT NULL AND t.field IN ('narrative', 'title')
)
WHERE rn = 1
ORDER BY received DESC, complaint_id
LIMIT $limit;
