-- The last day with complaints in the scope: decides the latest complete month (issue 7 leads).
--   $countries VARCHAR[], $sources VARCHAR[], $lenders VARCHAR[]  (empty list = no filter)
SELECT max(received) AS last_day
FROM complaints
WHERE (len($countries::VARCHAR[]) = 0 OR list_contains($countries::VARCHAR[], country))
  AND (len($sources::VARCHAR[]) = 0 OR list_contains($sources::VARCHAR[], source))
  AND (len($lenders::VARCHAR[]) = 0 OR list_contains($lenders::VARCHAR[], lender_id));
