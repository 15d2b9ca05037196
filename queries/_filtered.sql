-- Shared filter for every dashboard question. Run once on each new read-only connection; each
-- question then reads `FROM filtered($start_date, $end_date, ...)`.
-- List parameters: an empty list means "no filter". has_narrative: NULL means either.
-- Lenders are identified by their lender key: the registry id, or '~' || the filed name when the
-- filed name matched no registry entry.
-- Tactics: tactics_all = false keeps complaints with ANY of the listed tactics, true with ALL of them.
-- Written as an uncorrelated IN (... GROUP BY ... HAVING ...): a correlated EXISTS was evaluated for
-- every complaint even with no tactic selected (100x slower at 1M, bench/README.md).
-- Text search: case-insensitive substring of narrative or title (contains() needs no word breaks, so
-- it works for Chinese; % and _ are literal characters, not wildcards). A term without cased letters
-- (Chinese, digits) matches the raw text directly: lower() would not change what matches, only cost.
-- A cased term is an escaped case-insensitive RE2 literal (search_regex): the same matches as comparing
-- lower() of both sides, without lower-casing every text (about 3x faster at 1M). Its s and k are written
-- (?-i:[sS]) and (?-i:[kK]): under (?i) RE2 also folds them to the long s (ſ) and the Kelvin sign,
-- which keeps it from skipping ahead with memchr, so any term with an s or k was 3.4x slower
-- ("stop calling" at 1M: 262 -> 78 ms). lower() does not fold ſ to s either, so a ſ in the term is
-- written (?-i:ſ) too. But lower() does turn the Kelvin sign into k: a term with a k also matches a
-- text holding the Kelvin sign by lower() itself (only texts holding that sign pay for the check).
-- So the matches are exactly those of lower(), as with the scan index (complaints/search.py).
CREATE OR REPLACE TEMP MACRO search_regex(term) AS
    '(?i)' || regexp_replace(regexp_replace(regexp_replace(regexp_escape(term), 'ſ', '(?-i:ſ)', 'g'),
                                            '[sS]', '(?-i:[sS])', 'g'), '[kK]', '(?-i:[kK])', 'g');
-- searched(search): the complaints whose title or narrative holds the term (all of them for none).
-- This version scans the text. When the store has a scan index (complaints/search.py), the
-- connection replaces it with queries/_searched_indexed.sql, which gives the same rows faster.
CREATE OR REPLACE TEMP MACRO searched(search) AS TABLE
SELECT * FROM complaints AS c
WHERE search IS NULL OR search = ''
   OR (CASE WHEN lower(search) = upper(search)
            THEN contains(c.narrative, search) OR contains(c.title, search)
            ELSE regexp_matches(c.narrative, search_regex(search))
                 OR regexp_matches(c.title, search_regex(search))
                 OR (contains(lower(search), 'k')
                     AND (contains(c.narrative, 'K') OR contains(c.title, 'K'))
                     AND (contains(lower(c.narrative), lower(search))
                          OR contains(lower(c.title), lower(search)))) END);
CREATE OR REPLACE TEMP MACRO filtered(start_date, end_date, countries, sources, lenders, excluded_lenders,
                                      tactics, tactics_all, regions, products, statuses, has_narrative,
                                      search) AS TABLE
SELECT c.*, COALESCE(c.lender_id, '~' || c.lender_name) AS lender_key
FROM searched(search) AS c
WHERE c.received BETWEEN CAST(start_date AS DATE) AND CAST(end_date AS DATE)
  AND (len(countries) = 0 OR list_contains(countries, c.country))
  AND (len(sources) = 0 OR list_contains(sources, c.source))
  AND (len(lenders) = 0 OR list_contains(lenders, COALESCE(c.lender_id, '~' || c.lender_name)))
  AND (len(excluded_lenders) = 0
       OR NOT list_contains(excluded_lenders, COALESCE(c.lender_id, '~' || c.lender_name)))
  AND (len(regions) = 0 OR list_contains(regions, c.region))
  AND (len(products) = 0 OR list_contains(products, c.product))
  AND (len(statuses) = 0 OR list_contains(statuses, c.status))
  AND (has_narrative IS NULL OR c.has_narrative = has_narrative)
  AND (len(tactics) = 0 OR c.complaint_id IN (
        SELECT t.complaint_id FROM complaint_tactics AS t
        WHERE list_contains(tactics, t.tactic_id)
        GROUP BY t.complaint_id
        HAVING NOT tactics_all OR count(DISTINCT t.tactic_id) = len(list_distinct(tactics))));
