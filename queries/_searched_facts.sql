-- searched_facts(...): one row of lender_facts (complaints/aggregates.py) per complaint that matches
-- the search term and passes every other filter of filtered(). A complaint's tactics are its
-- tactic_mask, so the questions in queries/indexed/ that read it need no join with the tactic labels
-- (about two per complaint).
-- The matches come from complaints.search.select(), registered just before the question runs:
-- - `search_rows`: their row ids (`f`: in lender_facts), picked here with `rowid IN (...)`;
-- - when they are many (complaints.search.DENSE_SHARE, e.g. 催收 in a third of all complaints),
--   `search_mask` too: one flag per row of lender_facts, joined to it by position. Reading 10 million
--   flags is cheaper than a hash table of millions of row ids; for few matches it is the other way.
--   select() then makes search_dense() say true. It is a constant, so DuckDB drops the branch below
--   that does not apply.
-- Created by complaints.search.attach() after queries/_searched_indexed.sql, on connections whose store
-- has the derived tables of the current version (after queries/_aggregated.sql, whose macros it uses);
-- complaints.aggregates.route() sends a question to queries/indexed/ only on such connections.
-- (want_narrative: a parameter named has_narrative would be read as the column.)
CREATE OR REPLACE TEMP MACRO search_dense() AS false;

CREATE OR REPLACE TEMP MACRO searched_facts(search, start_date, end_date, countries, sources, lenders,
                                            excluded_lenders, bits, tactics_all, regions, products, statuses,
                                            want_narrative) AS TABLE
WITH matched AS (
    SELECT * FROM lender_facts
    WHERE NOT search_dense() AND rowid IN (SELECT f FROM search_rows)
    UNION ALL
    SELECT lender_facts.* FROM lender_facts POSITIONAL JOIN search_mask
    WHERE search_dense() AND search_mask.m
),
scoped AS (
    SELECT * FROM matched
    WHERE received BETWEEN CAST(start_date AS DATE) AND CAST(end_date AS DATE)
      AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key)
      AND (len(regions) = 0 OR list_contains(regions, region))
      AND (len(products) = 0 OR list_contains(products, product))
      AND (len(statuses) = 0 OR list_contains(statuses, status))
      AND (want_narrative IS NULL OR has_narrative = want_narrative)
)
SELECT * FROM scoped WHERE bits IS NULL
UNION ALL
SELECT * FROM scoped WHERE bits IS NOT NULL AND tactics_match(tactic_mask, bits, tactics_all);
