-- One page of the filtered complaints, newest first.
-- Under a text search answered from the matching complaints' rows of lender_facts
-- (queries/_searched_facts.sql), under every filter the base question takes.
-- The page is picked on (received, complaint_id) alone; its labels come from complaint_tactic_set
-- (sorted by date, so only the page's days are read) and its other columns from the store.
WITH page AS (
    SELECT complaint_id, received
    FROM searched_facts($search, $start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $regions, $products, $statuses, $has_narrative)
    ORDER BY received DESC, complaint_id DESC
    LIMIT $page_size OFFSET $offset
),
page_tactics AS (
    SELECT t.complaint_id, list(DISTINCT t.tactic_id ORDER BY t.tactic_id) AS tactics
    FROM complaint_tactic_set AS t JOIN page AS p ON t.complaint_id = p.complaint_id AND t.received = p.received
    GROUP BY t.complaint_id
)
SELECT p.complaint_id, p.received, COALESCE(c.lender_id, '~' || c.lender_name) AS lender_key,
       c.lender_id IS NULL AS unmatched,
       COALESCE(l.name_zh, c.lender_name) AS name_zh, COALESCE(l.name_en, l.name_zh, c.lender_name) AS name_en,
       c.country, c.region, c.status, pt.tactics,
       left(COALESCE(c.narrative, c.title, ''), 80) AS opening
FROM page AS p
JOIN complaints AS c ON c.complaint_id = p.complaint_id AND c.received = p.received
LEFT JOIN page_tactics AS pt ON pt.complaint_id = p.complaint_id
LEFT JOIN lenders AS l ON l.lender_id = c.lender_id
ORDER BY p.received DESC, p.complaint_id DESC;
