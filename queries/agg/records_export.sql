-- The filtered complaints for download, newest first, capped at the cap parameter.
-- Answered with the counts built at publish (complaints/aggregates.py, queries/_aggregated.sql) under
-- the filters the base question takes, except those this line does not name (and text search):
-- covers: tactics
-- The rows come from cutoff_keys (queries/_aggregated.sql): only the days that can hold the newest $cap
-- are read and sorted, without a top-N over the whole period; they are then fetched by row id.
WITH picked AS (
    SELECT * FROM cutoff_keys($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $tactics, $cap, 0)
),
picked_tactics AS (
    SELECT t.complaint_id, array_to_string(list_sort(list(DISTINCT t.tactic_id)), ';') AS tactics
    FROM complaint_tactic_set AS t JOIN picked AS p ON t.complaint_id = p.complaint_id AND t.received = p.received
    GROUP BY t.complaint_id
)
SELECT f.complaint_id, f.received, f.source, f.country, f.region, f.lender_id, f.lender_name,
       f.product, f.sub_product, f.issue, f.sub_issue, f.status, f.timely_response, f.consumer_disputed,
       pt.tactics, f.title, f.narrative, f.has_narrative, f.language
FROM picked AS p
JOIN complaints AS f ON f.rowid = p.row_id
LEFT JOIN picked_tactics AS pt ON pt.complaint_id = p.complaint_id
ORDER BY f.received DESC, f.complaint_id DESC;
