-- Complaints per source and country, with date coverage and the share with a narrative.
-- Answered from the daily counts built at publish (complaints/aggregates.py).
SELECT source, country, sum(n)::BIGINT AS complaints, min(received) AS first_date, max(received) AS last_date,
       sum(n_narrative) / sum(n) AS share_with_narrative
FROM daily_lender_counts
GROUP BY ALL
ORDER BY complaints DESC;
