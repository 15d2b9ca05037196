-- Values each sidebar filter offers, with how many complaints carry them.
SELECT 'country' AS dimension, country AS value, count(*) AS n FROM complaints WHERE country IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'source', source, count(*) FROM complaints GROUP BY ALL
UNION ALL
SELECT 'region', region, count(*) FROM complaints WHERE region IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'product', product, count(*) FROM complaints WHERE product IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'status', status, count(*) FROM complaints WHERE status IS NOT NULL GROUP BY ALL
ORDER BY dimension, n DESC, value;
