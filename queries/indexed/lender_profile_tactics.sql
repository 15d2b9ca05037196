-- One lender's tactic mix against the whole market (all lenders within the same filters):
-- complaints with each tactic and the base counts, for shares with confidence intervals.
-- Under a text search answered from the matching complaints' rows of lender_facts (tactic masks, no
-- label join; queries/_searched_facts.sql), under every filter the base question takes.
WITH masks AS (
    SELECT lender_key = $lender_key AS of_lender, tactic_mask, count(*) AS n
    FROM searched_facts($search, $start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $regions, $products, $statuses, $has_narrative)
    GROUP BY ALL
),
base AS (
    SELECT COALESCE(sum(n) FILTER (WHERE of_lender), 0)::BIGINT AS lender_total,
           COALESCE(sum(n), 0)::BIGINT AS market_total
    FROM masks
)
SELECT b.tactic_id,
       COALESCE(sum(m.n) FILTER (WHERE m.of_lender), 0)::BIGINT AS lender_n,
       any_value(base.lender_total) AS lender_total,
       sum(m.n)::BIGINT AS market_n,
       any_value(base.market_total) AS market_total
FROM masks AS m JOIN tactic_bits AS b ON m.tactic_mask & b.bit != 0, base
GROUP BY b.tactic_id
ORDER BY lender_n DESC, b.tactic_id;
