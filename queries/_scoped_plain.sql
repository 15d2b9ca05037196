-- scoped_counts, scoped_tactic_counts, tactic_split and page_keys for questions with no tactic filter
-- ($tactic_bits NULL): the count tables only (see queries/_aggregated.sql;
-- complaints.aggregates.specialise runs this).
CREATE OR REPLACE TEMP MACRO scoped_counts(start_date, end_date, countries, sources, lenders, excluded_lenders,
                                           bits, tactics_all, whole_months) AS TABLE
SELECT * FROM plain_counts(start_date, end_date, countries, sources, lenders, excluded_lenders, whole_months);

CREATE OR REPLACE TEMP MACRO scoped_tactic_counts(start_date, end_date, countries, sources, lenders, excluded_lenders,
                                                  bits, tactics_all, whole_months) AS TABLE
SELECT * FROM plain_tactic_counts(start_date, end_date, countries, sources, lenders, excluded_lenders, whole_months);

CREATE OR REPLACE TEMP MACRO page_keys(start_date, end_date, countries, sources, lenders, excluded_lenders, bits,
                                       tactics_all, tactics, page_size, page_offset) AS TABLE
SELECT * FROM plain_page_keys(start_date, end_date, countries, sources, lenders, excluded_lenders, page_size,
                              page_offset);

CREATE OR REPLACE TEMP MACRO tactic_split(start_date, end_date, countries, sources, lenders, excluded_lenders, bits,
                                          tactics_all, lender_key_value) AS TABLE
SELECT * FROM plain_tactic_split(start_date, end_date, countries, sources, lenders, excluded_lenders,
                                 lender_key_value);
