-- One lender's tactic mix against the whole market (all lenders within the same filters):
-- complaints with each tactic and the base counts, for shares with confidence intervals.
WITH f AS (SELECT complaint_id, lender_key FROM filtered($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactics, $tactics_all, $regions, $products, $statuses, $has_narrative, $search)),
base AS (
    SELECT count(*) FILTER (WHERE lender_key = $lender_key) AS lender_total, count(*) AS market_total FROM f
),
ct AS (SELECT DISTINCT complaint_id, tactic_id FROM complaint_tactics)
SELECT ct.tactic_id,
       count(*) FILTER (WHERE f.lender_key = $lender_key) AS lender_n,
       any_value(base.lender_total) AS lender_total,
       count(*) AS market_n,
       any_value(base.market_total) AS market_total
FROM f JOIN ct USING (complaint_id), base
GROUP BY ct.tactic_id
ORDER BY lender_n DESC, ct.tactic_id;
