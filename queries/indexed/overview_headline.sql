-- Headline numbers for one period: complaints, share with any tactic, share with a severe tactic,
-- lenders named. The dashboard runs it for the chosen period and for the previous one of equal length.
-- Under a text search answered from the matching complaints' rows of lender_facts (tactic masks, no
-- label join; queries/_searched_facts.sql), under every filter the base question takes.
SELECT count(*) AS complaints,
       count(*) FILTER (WHERE tactic_mask != 0) AS with_tactic,
       count(*) FILTER (WHERE tactic_mask & CAST($severe_bits AS UBIGINT) != 0) AS with_severe,
       count(DISTINCT lender_key) AS lenders
FROM searched_facts($search, $start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $regions, $products, $statuses, $has_narrative);
