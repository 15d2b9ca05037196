-- Complaints per interval (day, week, month, quarter, year).
-- Under a text search answered from the matching complaints' rows of lender_facts
-- (queries/_searched_facts.sql), under every filter the base question takes.
-- Counted per day first, and the few days then put into periods: date_trunc on every matching row took
-- 100 of 230 ms for a term in a third of 10 million complaints (bench/README.md, "Ninth pass").
SELECT CAST(date_trunc($interval, received) AS DATE) AS period, sum(n)::BIGINT AS complaints
FROM (SELECT received, count(*) AS n
      FROM searched_facts($search, $start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $regions, $products, $statuses, $has_narrative)
      GROUP BY received)
GROUP BY ALL
ORDER BY period;
