-- Table macros over the derived tables built at publish (complaints/aggregates.py). Created, after
-- _filtered.sql, on connections to stores that have those tables; queries/agg/*.sql read them.
-- Rows: complaint counts per day (or per whole calendar month), country, source and lender key within
-- the period and the filters (same semantics as filtered(): an empty list means no filter).
-- whole_months = true reads every calendar month lying wholly inside the period as one row dated the
-- 1st of the month (from the monthly table) and only the edge days from the daily table. Pass true
-- unless the question groups by day or week.
-- Tactic filters test a complaint's tactic mask (one bit per tactic, table tactic_bits): with no tactic
-- selected the small tables without a mask answer; with tactics the mask tables do.

-- The filters every derived table answers.
CREATE OR REPLACE TEMP MACRO in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key) AS
    (len(countries) = 0 OR list_contains(countries, country))
    AND (len(sources) = 0 OR list_contains(sources, source))
    AND (len(lenders) = 0 OR list_contains(lenders, lender_key))
    AND (len(excluded_lenders) = 0 OR NOT list_contains(excluded_lenders, lender_key));

-- The period: whole months from a monthly table (day = the 1st), or edge days from a daily one.
CREATE OR REPLACE TEMP MACRO in_months(month, start_date, end_date, whole_months) AS
    whole_months AND month >= CAST(start_date AS DATE) AND last_day(month) <= CAST(end_date AS DATE);
CREATE OR REPLACE TEMP MACRO in_days(day, start_date, end_date, whole_months) AS
    day BETWEEN CAST(start_date AS DATE) AND CAST(end_date AS DATE)
    AND (NOT whole_months OR date_trunc('month', day) < CAST(start_date AS DATE)
         OR last_day(day) > CAST(end_date AS DATE));

-- The bits of the selected tactics (0 when none is in the store).
CREATE OR REPLACE TEMP MACRO tactic_bits_of(tactics) AS
    (SELECT COALESCE(bit_or(bit), 0::UBIGINT) FROM tactic_bits WHERE list_contains(tactics, tactic_id));
-- filtered()'s tactic filter on a mask: any of the tactics, or all of them (all: a tactic that no
-- complaint has matches nothing, as in filtered()).
CREATE OR REPLACE TEMP MACRO tactics_match(mask, tactics, tactics_all) AS
    len(tactics) = 0
    OR (NOT tactics_all AND mask & tactic_bits_of(tactics) != 0)
    OR (tactics_all AND mask & tactic_bits_of(tactics) = tactic_bits_of(tactics)
        AND (SELECT count(*) FROM tactic_bits WHERE list_contains(tactics, tactic_id)) = len(list_distinct(tactics)));

-- Text search through search_texts (complaints/search_index.py): a text can hold the term only if its
-- signature holds the bit of each of the term's character bigrams (after lower(), as the signatures
-- were built); the exact test (text_match, _filtered.sql) then runs on those texts only. The bit of a
-- bigram (a, b) of code points: ((a * 31 + b) * 2654435761 mod 2^32) >> 24, as search_index.bigram_bits.
CREATE OR REPLACE TEMP MACRO term_codes(term) AS
    list_transform(string_split(lower(term), ''), lambda ch: CAST(unicode(ch) AS BIGINT));
CREATE OR REPLACE TEMP MACRO term_bits(term) AS
    list_transform(list_zip(term_codes(term)[:-2], term_codes(term)[2:]),
                   lambda p: (((p[1] * 31 + p[2]) * 2654435761) % 4294967296) // 16777216);
CREATE OR REPLACE TEMP MACRO term_word(term, w) AS
    CAST(COALESCE(list_aggregate(list_transform(list_filter(term_bits(term), lambda b: b // 64 = w),
                                                lambda b: CAST(1 AS UBIGINT) << CAST(b % 64 AS INTEGER)), 'bit_or'),
                  0) AS UBIGINT);
CREATE OR REPLACE TEMP MACRO may_hold(s0, s1, s2, s3, term) AS
    s0 & term_word(term, 0) = term_word(term, 0) AND s1 & term_word(term, 1) = term_word(term, 1)
    AND s2 & term_word(term, 2) = term_word(term, 2) AND s3 & term_word(term, 3) = term_word(term, 3);
-- The complaints whose narrative or title holds the term, with every column the filters read. One CASE,
-- so that the exact test runs only where the signature lets it (as separate conditions, the optimizer
-- may run the costly one first).
CREATE OR REPLACE TEMP MACRO search_hits(search) AS TABLE
SELECT * FROM search_texts
WHERE CASE WHEN may_hold(s0, s1, s2, s3, search) THEN text_match(narrative, title, search) ELSE false END;
-- filtered()'s search through the prefilter (replaces the full-scan definition of _filtered.sql).
CREATE OR REPLACE TEMP MACRO search_match(row_id, row_narrative, row_title, term) AS
    row_id IN (SELECT h.complaint_id FROM search_hits(term) AS h);
CREATE OR REPLACE TEMP MACRO searching(search) AS search IS NOT NULL AND search <> '';

-- Complaints per tactic mask, tactic filter and text search applied (a search reads its hits, n = 1 each).
CREATE OR REPLACE TEMP MACRO scoped_masks(start_date, end_date, countries, sources, lenders, excluded_lenders,
                                          tactics, tactics_all, search, whole_months) AS TABLE
SELECT month AS received, country, source, lender_key, lender_id, lender_name, tactic_mask, n
FROM monthly_lender_mask_counts
WHERE NOT searching(search) AND in_months(month, start_date, end_date, whole_months)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key)
  AND tactics_match(tactic_mask, tactics, tactics_all)
UNION ALL
SELECT received, country, source, lender_key, lender_id, lender_name, tactic_mask, n
FROM daily_lender_mask_counts
WHERE NOT searching(search) AND in_days(received, start_date, end_date, whole_months)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key)
  AND tactics_match(tactic_mask, tactics, tactics_all)
UNION ALL
SELECT received, country, source, lender_key, lender_id, lender_name, tactic_mask, 1 AS n
FROM search_hits(search)
WHERE searching(search) AND received BETWEEN CAST(start_date AS DATE) AND CAST(end_date AS DATE)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key)
  AND tactics_match(tactic_mask, tactics, tactics_all);

-- Complaints (n), those with any tactic (n_tagged) and with a severe one (n_severe).
CREATE OR REPLACE TEMP MACRO scoped_counts(start_date, end_date, countries, sources, lenders, excluded_lenders,
                                           tactics, tactics_all, search, whole_months) AS TABLE
SELECT month AS received, country, source, lender_key, lender_id, lender_name, n, n_tagged, n_severe
FROM monthly_lender_counts
WHERE len(tactics) = 0 AND NOT searching(search) AND in_months(month, start_date, end_date, whole_months)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key)
UNION ALL
SELECT received, country, source, lender_key, lender_id, lender_name, n, n_tagged, n_severe
FROM daily_lender_counts
WHERE len(tactics) = 0 AND NOT searching(search) AND in_days(received, start_date, end_date, whole_months)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key)
UNION ALL
SELECT received, country, source, lender_key, lender_id, lender_name, n,
       CASE WHEN tactic_mask != 0 THEN n ELSE 0 END AS n_tagged,
       CASE WHEN tactic_mask & (SELECT bit_or(bit) FROM tactic_bits WHERE severe) != 0 THEN n ELSE 0 END AS n_severe
FROM scoped_masks(start_date, end_date, countries, sources, lenders, excluded_lenders, tactics, tactics_all,
                  search, whole_months)
WHERE len(tactics) > 0 OR searching(search);

-- Complaints per tactic (a complaint counts once for each of its tactics).
CREATE OR REPLACE TEMP MACRO scoped_tactic_counts(start_date, end_date, countries, sources, lenders, excluded_lenders,
                                                  tactics, tactics_all, search, whole_months) AS TABLE
SELECT month AS received, country, source, lender_key, lender_id, tactic_id, n
FROM monthly_lender_tactic_counts
WHERE len(tactics) = 0 AND NOT searching(search) AND in_months(month, start_date, end_date, whole_months)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key)
UNION ALL
SELECT received, country, source, lender_key, lender_id, tactic_id, n
FROM daily_lender_tactic_counts
WHERE len(tactics) = 0 AND NOT searching(search) AND in_days(received, start_date, end_date, whole_months)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key)
UNION ALL
SELECT m.received, m.country, m.source, m.lender_key, m.lender_id, b.tactic_id, m.n
FROM scoped_masks(start_date, end_date, countries, sources, lenders, excluded_lenders, tactics, tactics_all,
                  search, whole_months) AS m
JOIN tactic_bits AS b ON m.tactic_mask & b.bit != 0
WHERE len(tactics) > 0 OR searching(search);

-- One lender's complaints, one row each, under every filter (a search reads its hits instead).
CREATE OR REPLACE TEMP MACRO lender_scoped(lender_key_value, start_date, end_date, countries, sources, lenders,
                                           excluded_lenders, tactics, tactics_all, regions, products, statuses,
                                           want_narrative, search) AS TABLE
WITH rows AS (
    SELECT lender_key, received, country, source, region, product, status, has_narrative, tactic_mask
    FROM lender_facts WHERE NOT searching(search) AND lender_key = lender_key_value
    UNION ALL
    SELECT lender_key, received, country, source, region, product, status, has_narrative, tactic_mask
    FROM search_hits(search) WHERE searching(search) AND lender_key = lender_key_value
)
SELECT * FROM rows
WHERE received BETWEEN CAST(start_date AS DATE) AND CAST(end_date AS DATE)
  AND in_scope(countries, sources, lenders, excluded_lenders, country, source, lender_key)
  AND (len(regions) = 0 OR list_contains(regions, region))
  AND (len(products) = 0 OR list_contains(products, product))
  AND (len(statuses) = 0 OR list_contains(statuses, status))
  AND (want_narrative IS NULL OR has_narrative = want_narrative)
  AND tactics_match(tactic_mask, tactics, tactics_all);
