-- Complaints with each tactic per interval, with the interval's total for shares.
-- Answered from the daily/monthly counts built at publish (complaints/aggregates.py, queries/_aggregated.sql): the dashboard runs this
-- version only when no filter other than dates, countries, sources and lenders is set.
WITH totals AS (
    SELECT CAST(date_trunc($interval, received) AS DATE) AS period, sum(n)::BIGINT AS total
    FROM scoped_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $interval IN ('month', 'quarter', 'year'))
    GROUP BY ALL
),
tt AS (
    SELECT CAST(date_trunc($interval, received) AS DATE) AS period, tactic_id, sum(n)::BIGINT AS complaints
    FROM scoped_tactic_counts($start_date, $end_date, $countries, $sources, $lenders, $excluded_lenders, $interval IN ('month', 'quarter', 'year'))
    GROUP BY ALL
)
SELECT tt.period, tt.tactic_id, tt.complaints, totals.total, tt.complaints / totals.total AS share
FROM tt JOIN totals USING (period)
ORDER BY tt.period, tt.tactic_id;
