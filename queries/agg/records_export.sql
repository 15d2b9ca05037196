-- The filtered complaints for download, newest first, capped at the cap parameter.
-- Answered with the counts built at publish (complaints/aggregates.py, queries/_aggregated.sql) under
-- the filters the base question takes, except those this line does not name (and text search):
-- covers: tactics
-- The counts per day (per month for whole months) give the latest day with at least $cap matching
-- complaints on or after it, without reading the complaints; only the days from then on are read and
-- sorted, and under a tactic filter only their labels are read (complaint_tactic_set is sorted by
-- date). The picked rows are fetched by row id.
WITH per_day AS (
    SELECT received, sum(n) AS n
    FROM scoped_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, true)
    GROUP BY received
),
cutoff AS (
    SELECT COALESCE(max(received) FILTER (WHERE newer >= $cap), CAST($start_date AS DATE)) AS day
    FROM (SELECT received, sum(n) OVER (ORDER BY received DESC) AS newer FROM per_day)
),
with_tactics AS (
    SELECT t.complaint_id
    FROM complaint_tactic_set AS t
    WHERE $tactic_bits IS NOT NULL AND t.received >= (SELECT day FROM cutoff) AND list_contains($tactics, t.tactic_id)
    GROUP BY t.complaint_id
    HAVING NOT $tactics_all OR count(*) = len(list_distinct($tactics))
),
picked AS (
    SELECT complaint_id, received, rowid AS row_id
    FROM complaints
    WHERE received BETWEEN (SELECT day FROM cutoff) AND CAST($end_date AS DATE)
      AND in_scope($countries, $sources, $lenders, $excluded_lenders, country, source, COALESCE(lender_id, '~' || lender_name))
      AND ($tactic_bits IS NULL OR complaint_id IN (SELECT complaint_id FROM with_tactics))
    ORDER BY received DESC, complaint_id DESC
    LIMIT $cap
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
