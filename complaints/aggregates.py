"""Pre-aggregated tables built at publish time, for the dashboard's widest (slowest) views.

Not wired in yet: the pipeline can call `build(con)` inside `store.writer()` just before the publish,
after every load. Each table is derived from the base tables only, so it is always consistent with the
store it ships in; tests/test_aggregates.py checks every count against the base tables.

- complaint_tactic_set(complaint_id, tactic_id): one row per complaint and tactic (complaint_tactics has
  one row per label, so a complaint named twice for a tactic, by text and sub-issue, appears twice).
  Questions that count complaints per tactic can `count(*)` over it with a SEMI JOIN instead of
  `count(DISTINCT complaint_id)` over the labels.
- daily_lender_counts(received, country, source, lender_key, lender_id, n): complaints per day, country,
  source and lender key. Answers volume over time, volume by source, top lenders and the lender ranking's
  counts whenever the filter uses only dates, countries, sources and lenders (the default view): about
  days x lenders rows (~280k for 100 lenders over 8 years) whatever the number of complaints.
- daily_lender_tactic_counts(received, country, source, lender_key, tactic_id, n): the same per tactic
  (n counts complaints, once per tactic), for tactic shares and trends under the same filters.
"""

from __future__ import annotations

import duckdb

LENDER_KEY = "COALESCE(c.lender_id, '~' || c.lender_name)"

AGGREGATES = {
    "complaint_tactic_set": """
        SELECT DISTINCT complaint_id, tactic_id FROM complaint_tactics ORDER BY tactic_id, complaint_id""",
    "daily_lender_counts": f"""
        SELECT c.received, c.country, c.source, {LENDER_KEY} AS lender_key, any_value(c.lender_id) AS lender_id,
               count(*) AS n
        FROM complaints AS c
        GROUP BY ALL ORDER BY c.received""",
    "daily_lender_tactic_counts": f"""
        SELECT c.received, c.country, c.source, {LENDER_KEY} AS lender_key, t.tactic_id, count(*) AS n
        FROM complaints AS c JOIN complaint_tactic_set AS t USING (complaint_id)
        GROUP BY ALL ORDER BY c.received""",
}


def build(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """(Re)build every aggregate table from the base tables; returns their row counts."""
    counts = {}
    for name, select in AGGREGATES.items():  # in order: the tactic table feeds the next ones
        con.execute(f"CREATE OR REPLACE TABLE {name} AS {select}")
        counts[name] = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
    return counts
