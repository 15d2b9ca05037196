-- Table macros over the derived tables built at publish (complaints/aggregates.py). Created, after
-- _filtered.sql, on connections to stores that have those tables; queries/agg/*.sql read them.
-- Rows: complaint counts per day (or per whole calendar month), country, source and lender key within
-- the period and the filters (same semantics as filtered(): an empty list means no filter).
-- whole_months = true reads every calendar month lying wholly inside the period as one row dated the
-- 1st of the month (from the monthly table) and only the edge days from the daily table. Pass true
-- unless the question groups by day or week.
-- The filters the derived tables can answer, shared by every macro below.
CREATE OR REPLACE TEMP MACRO in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key) AS
    (len(countries) = 0 OR list_contains(countries, country))
    AND (len(sources) = 0 OR list_contains(sources, source))
    AND (len(lenders) = 0 OR list_contains(lenders, lender_key))
    AND (len(excluded_lenders) = 0 OR NOT list_contains(excluded_lenders, lender_key));

CREATE OR REPLACE TEMP MACRO scoped_counts(start_date, end_date, countries, sources, lenders, excluded_lenders,
                                      whole_months) AS TABLE
SELECT month AS received, country, source, lender_key, lender_id, lender_name, n, n_tagged, n_severe
FROM monthly_lender_counts
WHERE whole_months AND month >= CAST(start_date AS DATE) AND last_day(month) <= CAST(end_date AS DATE)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key)
UNION ALL
SELECT received, country, source, lender_key, lender_id, lender_name, n, n_tagged, n_severe
FROM daily_lender_counts
WHERE received BETWEEN CAST(start_date AS DATE) AND CAST(end_date AS DATE)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key)
  AND (NOT whole_months OR date_trunc('month', received) < CAST(start_date AS DATE)
       OR last_day(received) > CAST(end_date AS DATE));

CREATE OR REPLACE TEMP MACRO scoped_tactic_counts(start_date, end_date, countries, sources, lenders, excluded_lenders,
                                      whole_months) AS TABLE
SELECT month AS received, country, source, lender_key, lender_id, tactic_id, n
FROM monthly_lender_tactic_counts
WHERE whole_months AND month >= CAST(start_date AS DATE) AND last_day(month) <= CAST(end_date AS DATE)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key)
UNION ALL
SELECT received, country, source, lender_key, lender_id, tactic_id, n
FROM daily_lender_tactic_counts
WHERE received BETWEEN CAST(start_date AS DATE) AND CAST(end_date AS DATE)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key)
  AND (NOT whole_months OR date_trunc('month', received) < CAST(start_date AS DATE)
       OR last_day(received) > CAST(end_date AS DATE));

CREATE OR REPLACE TEMP MACRO scoped_pair_counts(start_date, end_date, countries, sources, lenders, excluded_lenders,
                                      whole_months) AS TABLE
SELECT month AS received, country, source, lender_key, lender_id, tactic_a, tactic_b, n
FROM monthly_lender_tactic_pair_counts
WHERE whole_months AND month >= CAST(start_date AS DATE) AND last_day(month) <= CAST(end_date AS DATE)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key)
UNION ALL
SELECT received, country, source, lender_key, lender_id, tactic_a, tactic_b, n
FROM daily_lender_tactic_pair_counts
WHERE received BETWEEN CAST(start_date AS DATE) AND CAST(end_date AS DATE)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key)
  AND (NOT whole_months OR date_trunc('month', received) < CAST(start_date AS DATE)
       OR last_day(received) > CAST(end_date AS DATE));
