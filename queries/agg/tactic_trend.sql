-- Complaints with each tactic per interval, with the interval's total for shares.
-- Answered from the counts built at publish (complaints/aggregates.py, queries/_aggregated.sql) under
-- the filters the base question takes, except those this line does not name (and text search):
-- covers: tactics
WITH totals AS (
    SELECT CAST(date_trunc($interval, received) AS DATE) AS period, sum(n)::BIGINT AS total
    FROM scoped_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $interval IN ('month', 'quarter', 'year'))
    GROUP BY ALL
),
tt AS (
    SELECT CAST(date_trunc($interval, received) AS DATE) AS period, tactic_id, sum(n)::BIGINT AS complaints
    -- per date first: DuckDB then sums the mask rows per date and mask before expanding the masks into
    -- tactics (under a tactic filter at 10M, 46k rows expanded instead of 396k)
    FROM (SELECT received, tactic_id, sum(n) AS n
          FROM scoped_tactic_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $tactic_bits, $tactics_all, $interval IN ('month', 'quarter', 'year'))
          GROUP BY ALL)
    GROUP BY ALL
)
SELECT tt.period, tt.tactic_id, tt.complaints, totals.total, tt.complaints / totals.total AS share
FROM tt JOIN totals USING (period)
ORDER BY tt.period, tt.tactic_id;
