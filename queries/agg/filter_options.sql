-- Values each sidebar filter offers, with how many complaints carry them.
-- Computed at publish (complaints/aggregates.py runs queries/filter_options.sql into this table).
SELECT dimension, value, n FROM filter_option_counts ORDER BY dimension, n DESC, value;
