-- Complaints by source and country.
-- Answered from the daily/monthly counts built at publish (complaints/aggregates.py, queries/_aggregated.sql): the dashboard runs this
-- version only when no filter other than dates, countries, sources and lenders is set.
SELECT source, COALESCE(country, '?') AS country, sum(n)::BIGINT AS complaints
FROM scoped_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, true)
GROUP BY ALL
ORDER BY complaints DESC;
