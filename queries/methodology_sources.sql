-- Complaints per source and country, with date coverage and the share with a narrative.
SELECT source, country, count(*) AS complaints, min(received) AS first_date, max(received) AS last_date,
       avg(CAST(has_narrative AS INTEGER)) AS share_with_narrative
FROM complaints
GROUP BY ALL
ORDER BY complaints DESC;
