-- Complaints with each tactic per interval, with the interval's total for shares.
WITH f AS (SELECT complaint_id, CAST(date_trunc($interval, received) AS DATE) AS period FROM filtered($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactics, $tactics_all, $regions, $products, $statuses, $has_narrative, $search)),
totals AS (SELECT period, count(*) AS total FROM f GROUP BY period)
SELECT f.period, t.tactic_id, count(DISTINCT t.complaint_id) AS complaints, any_value(totals.total) AS total,
       count(DISTINCT t.complaint_id) / any_value(totals.total) AS share
FROM f
JOIN complaint_tactics AS t USING (complaint_id)
JOIN totals USING (period)
GROUP BY f.period, t.tactic_id
ORDER BY f.period, t.tactic_id;
