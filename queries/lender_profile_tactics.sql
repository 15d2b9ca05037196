-- One lender's tactic mix against the whole market (all lenders within the same filters):
-- complaints with each tactic and the base counts, for shares with confidence intervals.
WITH f AS (SELECT complaint_id, lender_key FROM filtered($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactics, $tactics_all, $regions, $products, $statuses, $has_narrative, $search)),
base AS (
    SELECT count(*) FILTER (WHERE lender_key = $lender_key) AS lender_total, count(*) AS market_total FROM f
),
-- Join first, then DISTINCT: the filtered complaints are usually far fewer than all labels (a
-- DISTINCT over the whole label table cost about a second at 10M).
ct AS (SELECT DISTINCT f.complaint_id, f.lender_key, t.tactic_id
       FROM f JOIN complaint_tactics AS t USING (complaint_id))
SELECT ct.tactic_id,
       count(*) FILTER (WHERE ct.lender_key = $lender_key) AS lender_n,
       any_value(base.lender_total) AS lender_total,
       count(*) AS market_n,
       any_value(base.market_total) AS market_total
FROM ct, base
GROUP BY ct.tactic_id
ORDER BY lender_n DESC, ct.tactic_id;
