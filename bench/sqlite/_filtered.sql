-- SQLite port of queries/_filtered.sql, used as the body of a `filtered` CTE (bench/sqlite_port.py).
-- Same semantics: empty JSON list = no filter; has_narrative NULL = either; search is a
-- case-insensitive substring of narrative or title (instr, so % and _ are literal).
-- SQLite's lower() folds ASCII only, which is what matters here (Chinese has no case).
SELECT c.*, COALESCE(c.lender_id, '~' || c.lender_name) AS lender_key
FROM complaints AS c
WHERE c.received BETWEEN date($start_date) AND date($end_date)
  AND (json_array_length($countries) = 0 OR c.country IN (SELECT value FROM json_each($countries)))
  AND (json_array_length($sources) = 0 OR c.source IN (SELECT value FROM json_each($sources)))
  AND (json_array_length($lenders) = 0
       OR COALESCE(c.lender_id, '~' || c.lender_name) IN (SELECT value FROM json_each($lenders)))
  AND (json_array_length($excluded_lenders) = 0
       OR COALESCE(c.lender_id, '~' || c.lender_name) NOT IN (SELECT value FROM json_each($excluded_lenders)))
  AND (json_array_length($regions) = 0 OR c.region IN (SELECT value FROM json_each($regions)))
  AND (json_array_length($products) = 0 OR c.product IN (SELECT value FROM json_each($products)))
  AND (json_array_length($statuses) = 0 OR c.status IN (SELECT value FROM json_each($statuses)))
  AND ($has_narrative IS NULL OR c.has_narrative = $has_narrative)
  AND ($search IS NULL OR $search = ''
       OR instr(lower(c.narrative), lower($search)) > 0 OR instr(lower(c.title), lower($search)) > 0)
  AND (json_array_length($tactics) = 0
       OR (NOT $tactics_all AND EXISTS (
              SELECT 1 FROM complaint_tactics AS t
              WHERE t.complaint_id = c.complaint_id AND t.tactic_id IN (SELECT value FROM json_each($tactics))))
       OR ($tactics_all AND (
              SELECT count(DISTINCT t.tactic_id) FROM complaint_tactics AS t
              WHERE t.complaint_id = c.complaint_id AND t.tactic_id IN (SELECT value FROM json_each($tactics)))
            = (SELECT count(DISTINCT value) FROM json_each($tactics))))
