-- searched(search) for a store with a text search index (complaints/search.py): replaces the
-- scanning version in queries/_filtered.sql on connections where the index is usable.
-- With no term, every complaint, read as usual.
-- With a term, `search_rows` holds the row ids of the complaints whose lower-cased title or
-- narrative holds it, registered by complaints.search.select() for this very term just before the
-- question runs. No text is read here, and the filters around this macro still skip data by date.
-- (A POSITIONAL JOIN with one boolean per complaint was tried: as fast for a bare count, but it reads
-- every other column of all complaints, so lender and region questions took 3-5x longer; bench/README.md.)
-- The parameter folds to a constant, and the branch that cannot apply is dropped from the plan.
CREATE OR REPLACE TEMP MACRO searched(search) AS TABLE
SELECT * FROM complaints AS c
WHERE search IS NULL OR search = ''
UNION ALL
SELECT * FROM complaints AS c
WHERE search IS NOT NULL AND search <> '' AND c.rowid IN (SELECT r FROM search_rows);
