-- scoped_counts, scoped_tactic_counts, tactic_split and page_keys for questions under a tactic filter
-- ($tactic_bits not NULL): the mask tables only (see queries/_aggregated.sql;
-- complaints.aggregates.specialise runs this).
CREATE OR REPLACE TEMP MACRO scoped_counts(start_date, end_date, countries, sources, lenders, excluded_lenders,
                                           bits, tactics_all, whole_months) AS TABLE
SELECT * FROM masked_counts(start_date, end_date, countries, sources, lenders, excluded_lenders, bits, tactics_all,
                            whole_months);

CREATE OR REPLACE TEMP MACRO scoped_tactic_counts(start_date, end_date, countries, sources, lenders, excluded_lenders,
                                                  bits, tactics_all, whole_months) AS TABLE
SELECT * FROM masked_tactic_counts(start_date, end_date, countries, sources, lenders, excluded_lenders, bits,
                                   tactics_all, whole_months);

CREATE OR REPLACE TEMP MACRO page_keys(start_date, end_date, countries, sources, lenders, excluded_lenders, bits,
                                       tactics_all, tactics, page_size, page_offset) AS TABLE
SELECT * FROM cutoff_keys(start_date, end_date, countries, sources, lenders, excluded_lenders, bits, tactics_all,
                          tactics, page_size, page_offset);

CREATE OR REPLACE TEMP MACRO tactic_split(start_date, end_date, countries, sources, lenders, excluded_lenders, bits,
                                          tactics_all, lender_key_value) AS TABLE
SELECT * FROM masked_tactic_split(start_date, end_date, countries, sources, lenders, excluded_lenders, bits,
                                  tactics_all, lender_key_value);
