-- searched_facts(...): one row of lender_facts (complaints/aggregates.py) per complaint that
-- `search_rows` names (the matches of the search term, with their rows in lender_facts:
-- complaints/search.py) and that passes every other filter of filtered(). A complaint's tactics are its tactic_mask, so the questions in
-- queries/indexed/ that read it need no join with the tactic labels (about two per complaint).
-- Created by complaints.search.attach() after queries/_searched_indexed.sql, on connections whose store
-- has the derived tables of the current version (after queries/_aggregated.sql, whose macros it uses);
-- complaints.aggregates.route() sends a question to queries/indexed/ only on such connections.
-- (want_narrative: a parameter named has_narrative would be read as the column.)
CREATE OR REPLACE TEMP MACRO searched_facts(search, start_date, end_date, countries, sources, lenders,
                                            excluded_lenders, tactics, tactics_all, regions, products, statuses,
                                            want_narrative) AS TABLE
SELECT * FROM lender_facts
WHERE rowid IN (SELECT f FROM search_rows)
  AND received BETWEEN CAST(start_date AS DATE) AND CAST(end_date AS DATE)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key)
  AND (len(regions) = 0 OR list_contains(regions, region))
  AND (len(products) = 0 OR list_contains(products, product))
  AND (len(statuses) = 0 OR list_contains(statuses, status))
  AND (want_narrative IS NULL OR has_narrative = want_narrative)
  AND tactics_match(tactic_mask, tactics, tactics_all);
