-- Earliest and latest complaint date in the store (anchors the period presets).
SELECT min(received) AS first_date, max(received) AS last_date, count(*) AS n FROM complaints;
