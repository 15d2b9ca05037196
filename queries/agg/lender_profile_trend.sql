-- Complaints about one lender (by lender key) per interval, within the filters.
-- Answered from lender_facts (complaints/aggregates.py), sorted by lender: only this lender's rows
-- are read, under every filter but text search:
-- covers: tactics regions products statuses has_narrative
SELECT CAST(date_trunc($interval, received) AS DATE) AS period, count(*) AS complaints
FROM lender_scoped($lender_key, $start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $regions, $products, $statuses, $has_narrative)
GROUP BY ALL
ORDER BY period;
