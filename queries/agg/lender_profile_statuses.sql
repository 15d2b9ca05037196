-- One lender's complaints by status (company response / 投诉进度).
-- Answered from lender_facts (complaints/aggregates.py), sorted by lender: only this lender's rows
-- are read, under every filter but text search:
-- covers: tactics regions products statuses has_narrative
SELECT COALESCE(status, '?') AS status, count(*) AS complaints
FROM lender_scoped($lender_key, $start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $regions, $products, $statuses, $has_narrative)
GROUP BY ALL
ORDER BY complaints DESC, status;
