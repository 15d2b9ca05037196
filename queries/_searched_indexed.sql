-- searched(search) for a store with a scan index (complaints/search.py): replaces the scanning
-- version in queries/_filtered.sql on connections where the index is usable.
-- With no term, every complaint, read as usual (filters below still skip data by date).
-- With a term, `search_mask` holds one boolean per complaint in table order, registered by
-- complaints.search.select() for this very term just before the question runs; POSITIONAL JOIN
-- pairs the n-th complaint with the n-th boolean, so no table of matching ids is built.
-- The parameter folds to a constant, and the branch that cannot apply is dropped from the plan.
CREATE OR REPLACE TEMP MACRO searched(search) AS TABLE
SELECT * FROM complaints AS c
WHERE search IS NULL OR search = ''
UNION ALL
SELECT c.* FROM complaints AS c POSITIONAL JOIN search_mask AS m
WHERE search IS NOT NULL AND search <> '' AND m.hit;
