-- The filtered complaints for download, newest first, capped at the cap parameter.
-- The rows are picked on (received, complaint_id) first; the other columns and the tactic labels are
-- then read for those rows only.
WITH picked AS (
    SELECT complaint_id, received
    FROM filtered($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactics, $tactics_all, $regions, $products, $statuses, $has_narrative, $search)
    ORDER BY received DESC, complaint_id DESC
    LIMIT $cap
),
picked_tactics AS (
    SELECT t.complaint_id, string_agg(DISTINCT t.tactic_id, ';' ORDER BY t.tactic_id) AS tactics
    FROM complaint_tactics AS t
    WHERE t.complaint_id IN (SELECT complaint_id FROM picked)
    GROUP BY t.complaint_id
)
SELECT f.complaint_id, f.received, f.source, f.country, f.region, f.lender_id, f.lender_name,
       f.product, f.sub_product, f.issue, f.sub_issue, f.status, f.timely_response, f.consumer_disputed,
       pt.tactics, f.title, f.narrative, f.has_narrative, f.language
FROM picked AS p
JOIN complaints AS f ON f.complaint_id = p.complaint_id AND f.received = p.received
LEFT JOIN picked_tactics AS pt ON pt.complaint_id = p.complaint_id
ORDER BY f.received DESC, f.complaint_id DESC;
