-- Complaints carrying each pair of tactics (the diagonal: complaints with the tactic).
-- Answered from the daily/monthly pair counts built at publish (complaints/aggregates.py,
-- queries/_aggregated.sql): the dashboard runs this version only when no filter other than dates,
-- countries, sources and lenders is set.
SELECT tactic_a, tactic_b, sum(n)::BIGINT AS complaints
FROM scoped_pair_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, true)
GROUP BY ALL
ORDER BY tactic_a, tactic_b;
