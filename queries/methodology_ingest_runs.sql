-- Provenance: every file loaded into the store.
SELECT source, file_name, left(sha256, 12) AS sha256_prefix, started_at, finished_at, rows_read, rows_loaded,
       rows_duplicate, rows_quarantined, code_version, demo
FROM ingest_runs
ORDER BY started_at DESC;
