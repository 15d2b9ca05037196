-- The filtered complaints for download, newest first, capped at the cap parameter.
-- Under a text search answered from the matching complaints' rows of lender_facts
-- (queries/_searched_facts.sql), under every filter the base question takes: for a term in millions
-- of complaints its flags are read by position, where the base version's `rowid IN (...)` built a hash
-- table of all the matches' row ids (0.35 s of 0.5 s for 催收 at 10M; bench/README.md).
WITH matching AS (
    SELECT complaint_id, received
    FROM searched_facts($search, $start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $regions, $products, $statuses, $has_narrative)
),
-- As in the base version: only the days that hold the newest $cap matches are sorted, those with fewer
-- than $cap newer matches. Picked by a semi join with those days: compared with the base version's
-- cutoff day, DuckDB ran a nested loop over the millions of matches (34 of 190 ms for 催收 at 10M).
per_day AS (SELECT received, count(*) AS n FROM matching GROUP BY received),
kept_days AS (
    SELECT received FROM (SELECT received, n, sum(n) OVER (ORDER BY received DESC) AS newer FROM per_day)
    WHERE newer - n < $cap
),
picked AS (
    SELECT complaint_id, received FROM matching SEMI JOIN kept_days USING (received)
    ORDER BY received DESC, complaint_id DESC
    LIMIT $cap
),
-- The picked rows' row ids, found by reading two columns, so that their text columns are read for
-- them alone (joined on complaint_id, DuckDB read every column of all the rows of those days).
located AS (
    SELECT c.rowid AS row_id, p.complaint_id
    FROM complaints AS c JOIN picked AS p ON c.complaint_id = p.complaint_id AND c.received = p.received
),
-- Labels from complaint_tactic_set, which is sorted by date: only the picked days are read.
picked_tactics AS (
    SELECT t.complaint_id, array_to_string(list_sort(list(DISTINCT t.tactic_id)), ';') AS tactics
    FROM complaint_tactic_set AS t JOIN picked AS p ON t.complaint_id = p.complaint_id AND t.received = p.received
    GROUP BY t.complaint_id
)
SELECT f.complaint_id, f.received, f.source, f.country, f.region, f.lender_id, f.lender_name,
       f.product, f.sub_product, f.issue, f.sub_issue, f.status, f.timely_response, f.consumer_disputed,
       pt.tactics, f.title, f.narrative, f.has_narrative, f.language
FROM located AS p
JOIN complaints AS f ON f.rowid = p.row_id
LEFT JOIN picked_tactics AS pt ON pt.complaint_id = p.complaint_id
ORDER BY f.received DESC, f.complaint_id DESC;
