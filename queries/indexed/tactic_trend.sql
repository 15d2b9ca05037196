-- Complaints with each tactic per interval, with the interval's total for shares.
-- Under a text search answered from the matching complaints' rows of lender_facts (tactic masks, no
-- label join; queries/_searched_facts.sql), under every filter the base question takes.
WITH masks AS (
    SELECT CAST(date_trunc($interval, received) AS DATE) AS period, tactic_mask, count(*) AS n
    FROM searched_facts($search, $start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $regions, $products, $statuses, $has_narrative)
    GROUP BY ALL
),
totals AS (SELECT period, sum(n)::BIGINT AS total FROM masks GROUP BY period),
tt AS (
    SELECT m.period, b.tactic_id, sum(m.n)::BIGINT AS complaints
    FROM masks AS m JOIN tactic_bits AS b ON m.tactic_mask & b.bit != 0
    GROUP BY ALL
)
SELECT tt.period, tt.tactic_id, tt.complaints, totals.total, tt.complaints / totals.total AS share
FROM tt JOIN totals USING (period)
ORDER BY tt.period, tt.tactic_id;
