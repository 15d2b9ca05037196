-- Headline numbers for one period: complaints, share with any tactic, share with a severe tactic,
-- lenders named. The dashboard runs it for the chosen period and for the previous one of equal length.
-- Answered from the counts built at publish (complaints/aggregates.py, queries/_aggregated.sql) under
-- the filters the base question takes, except those this line does not name (and text search):
-- covers: tactics
-- n_severe counts complaints with a tactic of the severe list the tables were built with; the router
-- runs this version only when that list is the one asked for.
SELECT COALESCE(sum(n), 0)::BIGINT AS complaints,
       COALESCE(sum(n_tagged), 0)::BIGINT AS with_tactic,
       COALESCE(sum(n_severe), 0)::BIGINT AS with_severe,
       count(DISTINCT lender_key) AS lenders
FROM scoped_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, true);
