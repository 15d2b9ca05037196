-- Complaints per interval (day, week, month, quarter, year).
-- Answered from the counts built at publish (complaints/aggregates.py, queries/_aggregated.sql) under
-- the filters the base question takes, except those this line does not name (and text search):
-- covers: tactics
SELECT CAST(date_trunc($interval, received) AS DATE) AS period, sum(n)::BIGINT AS complaints
FROM scoped_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $interval IN ('month', 'quarter', 'year'))
GROUP BY ALL
ORDER BY period;
