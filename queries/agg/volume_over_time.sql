-- Complaints per interval (day, week, month, quarter, year).
-- Answered from the daily/monthly counts built at publish (complaints/aggregates.py, queries/_aggregated.sql): the dashboard runs this
-- version only when no filter other than dates, countries, sources and lenders is set.
SELECT CAST(date_trunc($interval, received) AS DATE) AS period, sum(n)::BIGINT AS complaints
FROM scoped_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $interval IN ('month', 'quarter', 'year'))
GROUP BY ALL
ORDER BY period;
