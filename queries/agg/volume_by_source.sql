-- Complaints by source and country.
-- Answered from the counts built at publish (complaints/aggregates.py, queries/_aggregated.sql) under
-- the filters the base question takes, except those this line does not name (and text search):
-- covers: tactics
SELECT source, COALESCE(country, '?') AS country, sum(n)::BIGINT AS complaints
FROM scoped_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, true)
GROUP BY ALL
ORDER BY complaints DESC;
