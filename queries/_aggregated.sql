-- Table macros over the derived tables built at publish (complaints/aggregates.py). Created, after
-- _filtered.sql, on connections to stores that have those tables; queries/agg/*.sql read them.
-- Rows: complaint counts per day (or per whole calendar month), country, source and lender key within
-- the period and the filters (same semantics as filtered(): an empty list means no filter).
-- whole_months = true reads every calendar month lying wholly inside the period as one row dated the
-- 1st of the month (from the monthly table) and only the edge days from the daily table. Pass true
-- unless the question groups by day or week.
-- Tactic filters test a complaint's tactic mask (one bit per tactic, table tactic_bits): with no tactic
-- selected the small tables without a mask answer; with tactics the mask tables do. The filter comes as
-- `bits`, the questions' $tactic_bits, worked out from $tactics and $tactics_all by
-- complaints.aggregates.with_tactic_bits: NULL for no tactic filter, else the selected tactics' bits
-- (0: nothing can match, as when a selected tactic is in no complaint).

-- The filters every derived table answers.
CREATE OR REPLACE TEMP MACRO in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key) AS
    (len(countries) = 0 OR list_contains(countries, country))
    AND (len(sources) = 0 OR list_contains(sources, source))
    AND (len(lenders) = 0 OR list_contains(lenders, lender_key))
    AND (len(excluded_lenders) = 0 OR NOT list_contains(excluded_lenders, lender_key));

-- The period: whole months from a monthly table (day = the 1st), or edge days from a daily one.
-- The whole months are those from the first 1st on or after start_date (first_whole_month) to the
-- month before the one holding end_date + 1 day (past_whole_months). Written as comparisons of the
-- date column with constants, so that DuckDB skips row groups by their date range even beside other
-- filters (with last_day(day) > end_date and a tactic mask filter it read all 3.1M daily mask rows at 10M).
CREATE OR REPLACE TEMP MACRO first_whole_month(start_date) AS
    CAST(date_trunc('month', CAST(start_date AS DATE) - 1) + INTERVAL 1 MONTH AS DATE);
CREATE OR REPLACE TEMP MACRO past_whole_months(end_date) AS
    CAST(date_trunc('month', CAST(end_date AS DATE) + 1) AS DATE);
CREATE OR REPLACE TEMP MACRO in_months(month, start_date, end_date, whole_months) AS
    whole_months AND month >= CAST(start_date AS DATE) AND month < past_whole_months(end_date);
CREATE OR REPLACE TEMP MACRO in_days(day, start_date, end_date, whole_months) AS
    day BETWEEN CAST(start_date AS DATE) AND CAST(end_date AS DATE)
    AND (NOT whole_months OR day < first_whole_month(start_date) OR day >= past_whole_months(end_date));

-- The bits of a list of tactics (0 when none is in the store). For the one tactic of
-- queries/indexed/tactic_examples.sql: there a constant mask was checked in the scan of every row of
-- lender_facts, before the few matches were picked (20 ms slower at 10M for a term in 5 % of complaints).
CREATE OR REPLACE TEMP MACRO tactic_bits_of(tactics) AS
    (SELECT COALESCE(bit_or(bit), 0::UBIGINT) FROM tactic_bits WHERE list_contains(tactics, tactic_id));
-- filtered()'s tactic filter on a mask: any of the tactics, or all of them. (A parameter holding a
-- Python int is an INTEGER: uncast, `mask & bits` would widen every mask to HUGEINT.)
CREATE OR REPLACE TEMP MACRO tactics_match(mask, bits, tactics_all) AS
    bits IS NULL
    OR (bits != 0 AND NOT tactics_all AND mask & CAST(bits AS UBIGINT) != 0)
    OR (bits != 0 AND tactics_all AND mask & CAST(bits AS UBIGINT) = CAST(bits AS UBIGINT));

-- Complaints per tactic mask, tactic filter applied.
CREATE OR REPLACE TEMP MACRO scoped_masks(start_date, end_date, countries, sources, lenders, excluded_lenders,
                                          bits, tactics_all, whole_months) AS TABLE
SELECT month AS received, country, source, lender_key, lender_id, lender_name, tactic_mask, n
FROM monthly_lender_mask_counts
WHERE in_months(month, start_date, end_date, whole_months)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key)
  AND tactics_match(tactic_mask, bits, tactics_all)
UNION ALL
SELECT received, country, source, lender_key, lender_id, lender_name, tactic_mask, n
FROM daily_lender_mask_counts
WHERE in_days(received, start_date, end_date, whole_months)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key)
  AND tactics_match(tactic_mask, bits, tactics_all);

-- Complaints (n), those with any tactic (n_tagged) and with a severe one (n_severe), with no tactic
-- filter: from the count tables.
CREATE OR REPLACE TEMP MACRO plain_counts(start_date, end_date, countries, sources, lenders, excluded_lenders,
                                          whole_months) AS TABLE
SELECT month AS received, country, source, lender_key, lender_id, lender_name, n, n_tagged, n_severe
FROM monthly_lender_counts
WHERE in_months(month, start_date, end_date, whole_months)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key)
UNION ALL
SELECT received, country, source, lender_key, lender_id, lender_name, n, n_tagged, n_severe
FROM daily_lender_counts
WHERE in_days(received, start_date, end_date, whole_months)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key);

-- The same under a tactic filter: from the mask tables.
CREATE OR REPLACE TEMP MACRO masked_counts(start_date, end_date, countries, sources, lenders, excluded_lenders,
                                           bits, tactics_all, whole_months) AS TABLE
SELECT received, country, source, lender_key, lender_id, lender_name, n,
       CASE WHEN tactic_mask != 0 THEN n ELSE 0 END AS n_tagged,
       CASE WHEN tactic_mask & (SELECT bit_or(bit) FROM tactic_bits WHERE severe) != 0 THEN n ELSE 0 END AS n_severe
FROM scoped_masks(start_date, end_date, countries, sources, lenders, excluded_lenders, bits, tactics_all,
                  whole_months);

-- Complaints per tactic (a complaint counts once for each of its tactics), with no tactic filter.
CREATE OR REPLACE TEMP MACRO plain_tactic_counts(start_date, end_date, countries, sources, lenders,
                                                 excluded_lenders, whole_months) AS TABLE
SELECT month AS received, country, source, lender_key, lender_id, tactic_id, n
FROM monthly_lender_tactic_counts
WHERE in_months(month, start_date, end_date, whole_months)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key)
UNION ALL
SELECT received, country, source, lender_key, lender_id, tactic_id, n
FROM daily_lender_tactic_counts
WHERE in_days(received, start_date, end_date, whole_months)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key);

-- The same under a tactic filter.
CREATE OR REPLACE TEMP MACRO masked_tactic_counts(start_date, end_date, countries, sources, lenders,
                                                  excluded_lenders, bits, tactics_all, whole_months) AS TABLE
SELECT m.received, m.country, m.source, m.lender_key, m.lender_id, b.tactic_id, m.n
FROM scoped_masks(start_date, end_date, countries, sources, lenders, excluded_lenders, bits, tactics_all,
                  whole_months) AS m
JOIN mask_tactics AS b USING (tactic_mask);

-- What the questions call: either of the above, as `bits` says. DuckDB drops the branch that does not
-- apply only after binding and planning both, which is a large part of a question's time (at 1M,
-- 40-60 %), so complaints.aggregates.specialise redefines these (and tactic_split and page_keys below),
-- on a connection, as the one branch a question's filters need (queries/_scoped_plain.sql,
-- queries/_scoped_masked.sql) before it runs.
-- These definitions hold for any filter: a connection that was not specialised answers the same.
CREATE OR REPLACE TEMP MACRO scoped_counts(start_date, end_date, countries, sources, lenders, excluded_lenders,
                                           bits, tactics_all, whole_months) AS TABLE
SELECT * FROM plain_counts(start_date, end_date, countries, sources, lenders, excluded_lenders, whole_months)
WHERE bits IS NULL
UNION ALL
SELECT * FROM masked_counts(start_date, end_date, countries, sources, lenders, excluded_lenders, bits, tactics_all,
                            whole_months)
WHERE bits IS NOT NULL;

CREATE OR REPLACE TEMP MACRO scoped_tactic_counts(start_date, end_date, countries, sources, lenders, excluded_lenders,
                                                  bits, tactics_all, whole_months) AS TABLE
SELECT * FROM plain_tactic_counts(start_date, end_date, countries, sources, lenders, excluded_lenders, whole_months)
WHERE bits IS NULL
UNION ALL
SELECT * FROM masked_tactic_counts(start_date, end_date, countries, sources, lenders, excluded_lenders, bits,
                                   tactics_all, whole_months)
WHERE bits IS NOT NULL;

-- Per tactic: the complaints of one lender (lender_key_value) and of the whole market with it. Under a
-- tactic filter the mask rows are summed per mask first and only then expanded into their tactics: with
-- the lender's count beside the market's, DuckDB otherwise expanded every mask row (396k rows at 10M).
CREATE OR REPLACE TEMP MACRO plain_tactic_split(start_date, end_date, countries, sources, lenders, excluded_lenders,
                                                lender_key_value) AS TABLE
SELECT tactic_id, COALESCE(sum(n) FILTER (WHERE lender_key = lender_key_value), 0)::BIGINT AS lender_n,
       sum(n)::BIGINT AS market_n
FROM plain_tactic_counts(start_date, end_date, countries, sources, lenders, excluded_lenders, true)
GROUP BY tactic_id;

CREATE OR REPLACE TEMP MACRO masked_tactic_split(start_date, end_date, countries, sources, lenders, excluded_lenders,
                                                 bits, tactics_all, lender_key_value) AS TABLE
SELECT b.tactic_id, sum(m.lender_n)::BIGINT AS lender_n, sum(m.market_n)::BIGINT AS market_n
FROM (SELECT tactic_mask, COALESCE(sum(n) FILTER (WHERE lender_key = lender_key_value), 0) AS lender_n,
             sum(n) AS market_n
      FROM scoped_masks(start_date, end_date, countries, sources, lenders, excluded_lenders, bits, tactics_all, true)
      GROUP BY tactic_mask) AS m
JOIN mask_tactics AS b USING (tactic_mask)
GROUP BY b.tactic_id;

CREATE OR REPLACE TEMP MACRO tactic_split(start_date, end_date, countries, sources, lenders, excluded_lenders, bits,
                                          tactics_all, lender_key_value) AS TABLE
SELECT * FROM plain_tactic_split(start_date, end_date, countries, sources, lenders, excluded_lenders,
                                 lender_key_value)
WHERE bits IS NULL
UNION ALL
SELECT * FROM masked_tactic_split(start_date, end_date, countries, sources, lenders, excluded_lenders, bits,
                                  tactics_all, lender_key_value)
WHERE bits IS NOT NULL;

-- The keys (complaint_id, received, row id) of one page of complaints, newest first, for the records
-- table. With no tactic filter, a plain top-N: DuckDB skips row groups by date on its own as it finds
-- the newest rows.
CREATE OR REPLACE TEMP MACRO plain_page_keys(start_date, end_date, countries, sources, lenders, excluded_lenders,
                                             page_size, page_offset) AS TABLE
SELECT complaint_id, received, rowid AS row_id
FROM complaints
WHERE received BETWEEN CAST(start_date AS DATE) AND CAST(end_date AS DATE)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, COALESCE(lender_id, '~' || lender_name))
ORDER BY received DESC, complaint_id DESC
LIMIT page_size OFFSET page_offset;

-- The keys of the newest complaints from the days that can hold them: the counts per month (and edge
-- day) give the latest date D with at least page_offset + page_size matching complaints on or after it,
-- so only complaints of days on or after D are read and sorted, and under a tactic filter only the
-- labels of those days (complaint_tactic_set is sorted by date). For a page under a tactic filter, and
-- for the download (queries/agg/records_export.sql), whose 50,000 rows DuckDB's top-N kept slowly.
CREATE OR REPLACE TEMP MACRO cutoff_keys(start_date, end_date, countries, sources, lenders, excluded_lenders,
                                         bits, tactics_all, tactics, page_size, page_offset) AS TABLE
WITH counted AS (
    SELECT received, sum(n) AS n
    FROM scoped_counts(start_date, end_date, countries, sources, lenders, excluded_lenders, bits, tactics_all, true)
    GROUP BY received
),
cutoff AS (
    SELECT COALESCE(max(received) FILTER (WHERE newer >= page_offset + page_size), CAST(start_date AS DATE)) AS day
    FROM (SELECT received, sum(n) OVER (ORDER BY received DESC) AS newer FROM counted)
),
with_tactics AS (
    SELECT t.complaint_id
    FROM complaint_tactic_set AS t
    WHERE bits IS NOT NULL AND t.received >= (SELECT day FROM cutoff) AND list_contains(tactics, t.tactic_id)
    GROUP BY t.complaint_id
    HAVING NOT tactics_all OR count(*) = len(list_distinct(tactics))
)
SELECT complaint_id, received, rowid AS row_id
FROM complaints
WHERE received BETWEEN greatest(CAST(start_date AS DATE), (SELECT day FROM cutoff)) AND CAST(end_date AS DATE)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, COALESCE(lender_id, '~' || lender_name))
  AND (bits IS NULL OR complaint_id IN (SELECT complaint_id FROM with_tactics))
ORDER BY received DESC, complaint_id DESC
LIMIT page_size OFFSET page_offset;

CREATE OR REPLACE TEMP MACRO page_keys(start_date, end_date, countries, sources, lenders, excluded_lenders, bits,
                                       tactics_all, tactics, page_size, page_offset) AS TABLE
SELECT * FROM plain_page_keys(start_date, end_date, countries, sources, lenders, excluded_lenders, page_size,
                              page_offset)
WHERE bits IS NULL
UNION ALL
SELECT * FROM cutoff_keys(start_date, end_date, countries, sources, lenders, excluded_lenders, bits, tactics_all,
                          tactics, page_size, page_offset)
WHERE bits IS NOT NULL;

-- One lender's complaints, one row each, under every filter but text search.
CREATE OR REPLACE TEMP MACRO lender_scoped(lender_key_value, start_date, end_date, countries, sources, lenders,
                                           excluded_lenders, bits, tactics_all, regions, products, statuses,
                                           want_narrative) AS TABLE
SELECT * FROM lender_facts
WHERE lender_key = lender_key_value
  AND received BETWEEN CAST(start_date AS DATE) AND CAST(end_date AS DATE)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key)
  AND (len(regions) = 0 OR list_contains(regions, region))
  AND (len(products) = 0 OR list_contains(products, product))
  AND (len(statuses) = 0 OR list_contains(statuses, status))
  AND (want_narrative IS NULL OR has_narrative = want_narrative)
  AND tactics_match(tactic_mask, bits, tactics_all);
