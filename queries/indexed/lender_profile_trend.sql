-- Complaints about one lender (by lender key) per interval, within the filters.
-- Under a text search answered from the matching complaints' rows of lender_facts
-- (queries/_searched_facts.sql), under every filter the base question takes.
-- Counted per day first, then put into periods (as queries/indexed/volume_over_time.sql).
SELECT CAST(date_trunc($interval, received) AS DATE) AS period, sum(n)::BIGINT AS complaints
FROM (SELECT received, count(*) AS n
      FROM searched_facts($search, $start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $regions, $products, $statuses, $has_narrative)
      WHERE lender_key = $lender_key
      GROUP BY received)
GROUP BY ALL
ORDER BY period;
