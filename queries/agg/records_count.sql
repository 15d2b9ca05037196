-- How many complaints match the filters.
-- Answered from the daily/monthly counts built at publish (complaints/aggregates.py, queries/_aggregated.sql): the dashboard runs this
-- version only when no filter other than dates, countries, sources and lenders is set.
SELECT COALESCE(sum(n), 0)::BIGINT AS n
FROM scoped_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, true);
