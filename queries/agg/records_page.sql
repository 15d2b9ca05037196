-- One page of the filtered complaints, newest first.
-- Answered with the counts built at publish (complaints/aggregates.py, queries/_aggregated.sql) under
-- the filters the base question takes, except those this line does not name (and text search):
-- covers: tactics
-- The counts per month (and edge day) give the latest date D with at least offset + page_size
-- complaints on or after it: the page lies on or after D, so only those days of the store are read.
-- Complaints with the selected tactics are picked from complaint_tactic_set, sorted by date.
WITH counted AS (
    SELECT received, sum(n) AS n
    FROM scoped_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, true)
    GROUP BY received
),
cutoff AS (
    SELECT COALESCE(max(received) FILTER (WHERE newer >= $offset + $page_size), CAST($start_date AS DATE)) AS day
    FROM (SELECT received, sum(n) OVER (ORDER BY received DESC) AS newer FROM counted)
),
with_tactics AS (
    SELECT t.complaint_id
    FROM complaint_tactic_set AS t
    WHERE t.received >= (SELECT day FROM cutoff) AND list_contains($tactics, t.tactic_id)
    GROUP BY t.complaint_id
    HAVING NOT $tactics_all OR count(*) = len(list_distinct($tactics))
),
-- The page's rows are fetched again by row id: joined on complaint_id, DuckDB read the complaint_id of
-- every row group (ids are not in date order), 11 ms at 10M.
page AS (
    SELECT complaint_id, received, rowid AS row_id
    FROM complaints
    WHERE received BETWEEN greatest(CAST($start_date AS DATE), (SELECT day FROM cutoff)) AND CAST($end_date AS DATE)
      AND in_scope($countries, $sources, $lenders, $excluded_lenders, country, source, COALESCE(lender_id, '~' || lender_name))
      AND ($tactic_bits IS NULL OR complaint_id IN (SELECT complaint_id FROM with_tactics))
    ORDER BY received DESC, complaint_id DESC
    LIMIT $page_size OFFSET $offset
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
