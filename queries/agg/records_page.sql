-- One page of the filtered complaints, newest first.
-- Answered with the counts built at publish (complaints/aggregates.py, queries/_aggregated.sql) under
-- the filters the base question takes, except those this line does not name (and text search):
-- covers: tactics
-- The page's keys come from page_keys (queries/_aggregated.sql): a plain top-N with no tactic filter,
-- and under one, only the labels of the days the page can reach. Its rows are fetched again by row id:
-- joined on complaint_id, DuckDB read the complaint_id of every row group (ids are not in date order).
WITH page AS (
    SELECT * FROM page_keys($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $tactics, $page_size, $offset)
),
page_tactics AS (
    SELECT t.complaint_id, list(DISTINCT t.tactic_id ORDER BY t.tactic_id) AS tactics
    FROM complaint_tactic_set AS t
    WHERE t.received >= (SELECT min(received) FROM page) AND t.complaint_id IN (SELECT complaint_id FROM page)
    GROUP BY t.complaint_id
)
SELECT p.complaint_id, p.received, COALESCE(c.lender_id, '~' || c.lender_name) AS lender_key,
       c.lender_id IS NULL AS unmatched,
       COALESCE(l.name_zh, c.lender_name) AS name_zh, COALESCE(l.name_en, l.name_zh, c.lender_name) AS name_en,
       c.country, c.region, c.status, pt.tactics,
       left(COALESCE(c.narrative, c.title, ''), 80) AS opening
FROM page AS p
JOIN complaints AS c ON c.rowid = p.row_id
LEFT JOIN page_tactics AS pt ON pt.complaint_id = p.complaint_id
LEFT JOIN lenders AS l ON l.lender_id = c.lender_id
ORDER BY p.received DESC, p.complaint_id DESC;
