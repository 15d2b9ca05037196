-- One page of the filtered complaints, newest first.
WITH page AS (
    SELECT * FROM filtered($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactics, $tactics_all, $regions, $products, $statuses, $has_narrative, $search)
    ORDER BY received DESC, complaint_id DESC
    LIMIT $page_size OFFSET $offset
)
SELECT p.complaint_id, p.received, p.lender_key, p.lender_id IS NULL AS unmatched,
       COALESCE(l.name_zh, p.lender_name) AS name_zh, COALESCE(l.name_en, l.name_zh, p.lender_name) AS name_en,
       p.country, p.region, p.status,
       (SELECT list(DISTINCT t.tactic_id ORDER BY t.tactic_id) FROM complaint_tactics AS t
        WHERE t.complaint_id = p.complaint_id) AS tactics,
       left(COALESCE(p.narrative, p.title, ''), 80) AS opening
FROM page AS p
LEFT JOIN lenders AS l ON l.lender_id = p.lender_id
ORDER BY p.received DESC, p.complaint_id DESC;
