-- The filtered complaints for download, newest first, capped at the cap parameter.
-- The rows are picked on (received, complaint_id) first; the other columns and the tactic labels are
-- then read for those rows only.
WITH matching AS (
    SELECT complaint_id, received
    FROM filtered($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactics, $tactics_all, $regions, $products, $statuses, $has_narrative, $search)
),
-- The latest day with at least $cap matches on or after it: only those days are sorted. (A plain
-- ORDER BY ... LIMIT 50000 became DuckDB's top-N, which took 1.4 s of CPU for all 10M; bench/README.md.)
per_day AS (SELECT received, count(*) AS n FROM matching GROUP BY received),
cutoff AS (
    SELECT COALESCE(max(received) FILTER (WHERE newer >= $cap), CAST($start_date AS DATE)) AS day
    FROM (SELECT received, sum(n) OVER (ORDER BY received DESC) AS newer FROM per_day)
),
picked AS (
    SELECT complaint_id, received FROM matching
    WHERE received >= (SELECT day FROM cutoff)
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
