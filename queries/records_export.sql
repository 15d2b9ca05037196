-- The filtered complaints for download, newest first, capped at the cap parameter.
SELECT f.complaint_id, f.received, f.source, f.country, f.region, f.lender_id, f.lender_name,
       f.product, f.sub_product, f.issue, f.sub_issue, f.status, f.timely_response, f.consumer_disputed,
       (SELECT string_agg(DISTINCT t.tactic_id, ';' ORDER BY t.tactic_id) FROM complaint_tactics AS t
        WHERE t.complaint_id = f.complaint_id) AS tactics,
       f.title, f.narrative, f.has_narrative, f.language
FROM filtered($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactics, $tactics_all, $regions, $products, $statuses, $has_narrative, $search) AS f
ORDER BY f.received DESC, f.complaint_id DESC
LIMIT $cap;
