-- Headline numbers for one period: complaints, share with any tactic, share with a severe tactic,
-- lenders named. The dashboard runs it for the chosen period and for the previous one of equal length.
-- Answered from the daily counts built at publish (complaints/aggregates.py): the dashboard runs this
-- version only when no filter other than dates, countries, sources and lenders is set.
-- n_severe counts complaints with a tactic of the severe list the tables were built with; the router
-- runs this version only when that list is the one asked for.
SELECT COALESCE(sum(n), 0)::BIGINT AS complaints,
       COALESCE(sum(n_tagged), 0)::BIGINT AS with_tactic,
       COALESCE(sum(n_severe), 0)::BIGINT AS with_severe,
       count(DISTINCT lender_key) AS lenders
FROM daily_lender_counts
WHERE received BETWEEN CAST($start_date AS DATE) AND CAST($end_date AS DATE)
  AND (len($countries::VARCHAR[]) = 0 OR list_contains($countries::VARCHAR[], country))
  AND (len($sources::VARCHAR[]) = 0 OR list_contains($sources::VARCHAR[], source))
  AND (len($lenders::VARCHAR[]) = 0 OR list_contains($lenders::VARCHAR[], lender_key))
  AND (len($excluded_lenders::VARCHAR[]) = 0 OR NOT list_contains($excluded_lenders::VARCHAR[], lender_key));
