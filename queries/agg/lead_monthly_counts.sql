-- Monthly complaint counts for surge detection (issue 7): one row per series and month.
-- Series: per lender (tactic_id NULL), per tactic (lender_id NULL), per lender x tactic, and all
-- complaints in scope (both NULL: the detector compares shares against it).
-- A complaint counts once per series even when several labels (text, sub_issue) name the same tactic.
-- Answered from the monthly counts built at publish (complaints/aggregates.py), which have every
-- dimension of this question (scoped by in_scope of queries/_aggregated.sql, on lender ids here); with
-- no scope filter (the default view) from lead_monthly_series, the base question's answer at publish.
-- Scope filters: empty list = no filter.
--   $countries VARCHAR[], $sources VARCHAR[], $lenders VARCHAR[]
WITH unscoped AS (
    SELECT len($countries::VARCHAR[]) = 0 AND len($sources::VARCHAR[]) = 0 AND len($lenders::VARCHAR[]) = 0 AS yes
),
scoped AS (
    SELECT lender_id, month, n
    FROM monthly_lender_counts
    WHERE NOT (SELECT yes FROM unscoped)
      AND in_scope($countries::VARCHAR[], $sources::VARCHAR[], $lenders::VARCHAR[], []::VARCHAR[],
                   country, source, lender_id)
),
tagged AS (
    SELECT lender_id, tactic_id, month, n
    FROM monthly_lender_tactic_counts
    WHERE NOT (SELECT yes FROM unscoped)
      AND in_scope($countries::VARCHAR[], $sources::VARCHAR[], $lenders::VARCHAR[], []::VARCHAR[],
                   country, source, lender_id)
),
computed AS (
    SELECT CAST(NULL AS VARCHAR) AS lender_id, CAST(NULL AS VARCHAR) AS tactic_id, month, sum(n)::BIGINT AS n
    FROM scoped GROUP BY month
    UNION ALL
    SELECT lender_id, NULL, month, sum(n)::BIGINT
    FROM scoped WHERE lender_id IS NOT NULL GROUP BY lender_id, month
    UNION ALL
    SELECT CAST(NULL AS VARCHAR), tactic_id, month, sum(n)::BIGINT
    FROM tagged GROUP BY tactic_id, month
    UNION ALL
    SELECT lender_id, tactic_id, month, sum(n)::BIGINT
    FROM tagged WHERE lender_id IS NOT NULL GROUP BY lender_id, tactic_id, month
)
-- Unlike the base question, the rows come in no particular order: the detector (complaints/leads.py)
-- builds its own series x month matrix, and sorting ~110k rows costs more than the rest of the answer.
-- The ids are the ENUM types of lead_monthly_series, which reach pandas as categoricals (quicker than text).
SELECT * FROM lead_monthly_series WHERE (SELECT yes FROM unscoped)
UNION ALL
SELECT CAST(lender_id AS lead_lender_id), CAST(tactic_id AS lead_tactic_id), month, n FROM computed;
