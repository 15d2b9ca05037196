-- One page of the filtered complaints, newest first.
-- The page is picked on (received, complaint_id) alone; the other columns and the tactic labels are
-- then read for its rows only (joining on received as well lets the scan skip by date).
WITH page AS (
    SELECT complaint_id, received
    FROM filtered($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactics, $tactics_all, $regions, $products, $statuses, $has_narrative, $search)
    ORDER BY received DESC, complaint_id DESC
    LIMIT $page_size OFFSET $offset
),
page_tactics AS (
    SELECT t.complaint_id, list(DISTINCT t.tactic_id ORDER BY t.tactic_id) AS tactics
    FROM complaint_tactics AS t
    WHERE t.complaint_id IN (SELECT complaint_id FROM page)
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
