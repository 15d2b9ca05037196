"""Derived tables built at publish time, and the router that answers a question from them.

`build(con)` runs inside `store.writer()` just before the publish (pipeline.ingest, reclassify, and
`python -m complaints optimize` for an existing store). It drops and rebuilds every table from the base
tables only, so the derived tables always match the store they ship in; tests/test_aggregates.py
checks every routed question against its base-table version.

- complaint_tactic_set(complaint_id, tactic_id): one row per complaint and tactic (complaint_tactics has
  one row per label: a complaint named twice for a tactic, by text and sub-issue, appears twice there).
- daily_lender_counts(received, country, source, lender_key, lender_id, lender_name, n, n_tagged,
  n_severe, n_narrative): complaints per day, country, source and lender key; n_tagged of them with any
  tactic, n_severe with a tactic of SEVERE, n_narrative with a narrative. About days x lenders rows
  (~210k at 1M complaints, bounded by ~300k whatever the number of complaints).
- daily_lender_tactic_counts(received, country, source, lender_key, lender_id, tactic_id, n): the same
  per tactic (n counts complaints, once per tactic).
- daily_lender_tactic_pair_counts(..., tactic_a, tactic_b, n): complaints with both tactics (a = b: with
  the tactic), for the co-occurrence matrix (~1.5M small rows at 1M complaints: a few % of the store).
- monthly_*: the same three per calendar month. The table macros
  of queries/_aggregated.sql read whole months inside the period from them and only the edge days
  from the daily tables (~100x fewer rows for a multi-year period).
- filter_option_counts: the result of queries/filter_options.sql (it has no parameters).
- aggregate_info(key, value): the version of these definitions and the severe list n_severe used.

Routing: queries/agg/<name>.sql answers the question <name> from these tables. They only have the
dimensions dates, countries, sources and lenders, so `route()` picks them only when every other filter
(tactics, regions, products, statuses, has-narrative, text search) is off, the store holds the tables
of this version, and a $severe parameter equals the list n_severe was built with. Otherwise the
base-table question runs.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb

from complaints import QUERIES_DIR

VERSION = "8"
AGG_DIR = "agg"
# The dashboard's severe tactics (ui/taxonomy.py SEVERE; a test keeps the two equal).
SEVERE = ("violence_threats_intimidation", "threat_arrest_criminal", "impersonation_authority",
          "fake_legal_documents", "public_shaming_exposure")
LENDER_KEY = "COALESCE(c.lender_id, '~' || c.lender_name)"

AGGREGATES = {
    "complaint_tactic_set": """
        SELECT DISTINCT complaint_id, tactic_id FROM complaint_tactics ORDER BY tactic_id, complaint_id""",
    "daily_lender_counts": f"""
        WITH flags AS (
            SELECT complaint_id, bool_or(list_contains($severe, tactic_id)) AS severe
            FROM complaint_tactic_set GROUP BY complaint_id
        )
        SELECT c.received, c.country, c.source, {LENDER_KEY} AS lender_key, c.lender_id,
               min(c.lender_name) AS lender_name, count(*) AS n, count(f.complaint_id) AS n_tagged,
               count(*) FILTER (WHERE f.severe) AS n_severe, count(*) FILTER (WHERE c.has_narrative) AS n_narrative
        FROM complaints AS c LEFT JOIN flags AS f USING (complaint_id)
        GROUP BY ALL ORDER BY c.received""",
    "daily_lender_tactic_counts": f"""
        SELECT c.received, c.country, c.source, {LENDER_KEY} AS lender_key, c.lender_id, t.tactic_id,
               count(*) AS n
        FROM complaints AS c JOIN complaint_tactic_set AS t USING (complaint_id)
        GROUP BY ALL ORDER BY c.received""",
    "daily_lender_tactic_pair_counts": f"""
        SELECT c.received, c.country, c.source, {LENDER_KEY} AS lender_key, c.lender_id,
               a.tactic_id AS tactic_a, b.tactic_id AS tactic_b, count(*) AS n
        FROM complaints AS c JOIN complaint_tactic_set AS a USING (complaint_id)
        JOIN complaint_tactic_set AS b USING (complaint_id)
        GROUP BY ALL ORDER BY c.received""",
    "monthly_lender_counts": """
        SELECT CAST(date_trunc('month', received) AS DATE) AS month, country, source, lender_key, lender_id,
               min(lender_name) AS lender_name, sum(n)::BIGINT AS n, sum(n_tagged)::BIGINT AS n_tagged,
               sum(n_severe)::BIGINT AS n_severe, sum(n_narrative)::BIGINT AS n_narrative
        FROM daily_lender_counts GROUP BY ALL ORDER BY month""",
    "monthly_lender_tactic_counts": """
        SELECT CAST(date_trunc('month', received) AS DATE) AS month, country, source, lender_key, lender_id,
               tactic_id, sum(n)::BIGINT AS n
        FROM daily_lender_tactic_counts GROUP BY ALL ORDER BY month""",
    "filter_option_counts": (QUERIES_DIR / "filter_options.sql").read_text(encoding="utf-8").rstrip().rstrip(";"),
    "monthly_lender_tactic_pair_counts": """
        SELECT CAST(date_trunc('month', received) AS DATE) AS month, country, source, lender_key, lender_id,
               tactic_a, tactic_b, sum(n)::BIGINT AS n
        FROM daily_lender_tactic_pair_counts GROUP BY ALL ORDER BY month""",
}

# Filters the daily tables cannot answer: any of them set sends the question to the base tables.
UNCOVERED_LISTS = ("tactics", "regions", "products", "statuses")


def build(con: duckdb.DuckDBPyConnection, severe: tuple[str, ...] = SEVERE) -> dict[str, int]:
    """(Re)build every derived table from the base tables; returns their row counts."""
    counts = {}
    con.execute("SET enable_progress_bar = false")  # the CLI prints its own lines
    for name, select in AGGREGATES.items():  # in order: the tactic set feeds the next ones
        params = {"severe": list(severe)} if "$severe" in select else {}
        con.execute(f"CREATE OR REPLACE TABLE {name} AS {select}", params)
        counts[name] = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
    con.execute("CREATE OR REPLACE TABLE aggregate_info (key VARCHAR NOT NULL, value VARCHAR)")
    con.execute("INSERT INTO aggregate_info VALUES ('version', ?), ('severe', ?)",
                [VERSION, ",".join(sorted(severe))])
    return counts


def store_info(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """aggregate_info of the store ({} when it has no derived tables)."""
    try:
        return dict(con.execute("SELECT key, value FROM aggregate_info").fetchall())
    except duckdb.CatalogException:
        return {}


def macro_sql() -> str:
    """The table macros over the derived tables (create them only on a store that has them)."""
    return (QUERIES_DIR / "_aggregated.sql").read_text(encoding="utf-8")


def has_version(name: str) -> bool:
    return (QUERIES_DIR / AGG_DIR / f"{name}.sql").is_file()


def covered(params: Mapping, info: Mapping[str, str], sql: str = "") -> bool:
    """True when the derived tables (described by info) give exactly the base tables' answer."""
    if info.get("version") != VERSION:
        return False
    if any(params.get(key) for key in UNCOVERED_LISTS):
        return False
    if params.get("has_narrative") is not None or params.get("search"):
        return False
    # n_severe was counted for one severe list: only that list may use it.
    return "n_severe" not in sql or ",".join(sorted(params.get("severe") or ())) == info.get("severe")


def route(name: str, params: Mapping, info: Mapping[str, str]) -> str:
    """The query file to run for question `name`: 'agg/<name>' when covered, else `name`."""
    if not has_version(name):
        return name
    sql = (QUERIES_DIR / AGG_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return f"{AGG_DIR}/{name}" if covered(params, info, sql) else name
