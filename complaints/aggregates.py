"""Derived tables built at publish time, and the router that answers a question from them.

`build(con)` runs inside `store.writer()` just before the publish (pipeline.ingest, reclassify, and
`python -m complaints optimize` for an existing store). It drops and rebuilds every table from the base
tables only, so the derived tables always match the store they ship in; tests/test_aggregates.py
checks every routed question against its base-table version under every filter it claims to cover.

- complaint_tactic_set(received, complaint_id, tactic_id): one row per complaint and tactic
  (complaint_tactics has one row per label: a complaint named twice for a tactic, by text and sub-issue,
  appears twice there), sorted by date so that a page of recent complaints reads a few row groups.
- tactic_bits(tactic_id, bit, severe): one bit per tactic found in the store (taxonomy order), so a
  complaint's set of tactics is one integer, its tactic mask. "Any of these tactics" is then
  `mask & selected != 0` and "all of them" `mask & selected = selected`, exact for any selection.
- daily_lender_mask_counts(received, country, source, lender_key, lender_id, lender_name, tactic_mask, n,
  n_narrative): complaints per day, country, source, lender key and tactic mask (~3M rows at 10M
  complaints: days x lenders x the few hundred masks that occur). Answers every count under a tactic
  filter, and the co-occurrence matrix (group by mask first, then expand the few distinct masks).
- mask_tactics(tactic_mask, tactic_id): the tactics of each tactic mask that occurs (about 1,100 masks
  at 10M complaints). Expanding rows into their tactics by an equality join on it is a hash join; by
  `mask & bit != 0` against tactic_bits it was a nested loop, 9-18 ms more per tactic question at 10M.
- daily_lender_counts(..., n, n_tagged, n_severe, n_narrative): the same without the mask (~270k rows at
  10M), for the common case with no tactic filter; n_tagged with any tactic, n_severe with a tactic
  marked severe in tactic_bits.
- daily_lender_tactic_counts(..., tactic_id, n): complaints per tactic (once per tactic), no tactic filter.
- monthly_*: the same per calendar month. The table macros of queries/_aggregated.sql read whole months
  inside the period from them and only the edge days from the daily tables (~100x fewer rows).
- lender_facts(lender_key, received, country, source, region, product, status, has_narrative,
  tactic_mask, lender_id, lender_name, complaint_id): one narrow row per complaint, sorted by lender
  key, so a lender profile reads only its lender's row groups whatever the filters (regions, statuses,
  products, tactics, narrative). Under a text search with the store's scan index, the index names
  the matches' rows in it (queries/indexed/): tactic questions then need no label join.
- tactic_evidence(tactic_id, received, complaint_id, country, source, lender_key, tactic_mask, field,
  evidence_start, evidence_end, evidence): each complaint's first text evidence for each tactic, sorted by
  tactic and date, for the few recent examples the tactics page shows.
- filter_option_counts: the result of queries/filter_options.sql (it has no parameters).
- lead_monthly_series: the result of queries/lead_monthly_counts.sql with no scope filter: the leads
  page's default view reads it whole (~110k rows at 10M complaints) instead of summing it. Its ids are
  ENUMs (lead_lender_id, lead_tactic_id), which pandas receives as categoricals.
- aggregate_info(key, value): the version of these definitions and the severe list.

Routing: queries/agg/<name>.sql answers the question <name> from these tables. Every version covers
dates, countries, sources and lenders; a `-- covers:` line in the file lists the other filters it
answers exactly (tactics, regions, products, statuses, has_narrative). `route()` picks the version only
when every filter set is covered, the store holds the tables of this version, and a $severe parameter
equals the list the tables were built with. A text search goes to the base tables, except where
the store's scan index (complaints/search.py) is in use and queries/indexed/<name>.sql exists: that
version reads lender_facts for the matching complaints and answers every filter.

Macros: the agg/ versions read these tables through the table macros of queries/_aggregated.sql.
`scoped_counts` and `scoped_tactic_counts` hold two branches, the count tables (no tactic filter) and
the mask tables (a tactic filter); `specialise()` redefines them on a connection as the branch the next
question needs, since DuckDB binds and plans both otherwise.
"""

from __future__ import annotations

import functools
import json
import operator
import re
import weakref
from collections.abc import Mapping
from pathlib import Path

import duckdb

from complaints import QUERIES_DIR

VERSION = "13"
AGG_DIR = "agg"
INDEXED_DIR = "indexed"
# The dashboard's severe tactics (ui/taxonomy.py SEVERE; a test keeps the two equal).
SEVERE = ("violence_threats_intimidation", "threat_arrest_criminal", "impersonation_authority",
          "fake_legal_documents", "public_shaming_exposure")
LENDER_KEY = "COALESCE(c.lender_id, '~' || c.lender_name)"
MAX_TACTICS = 64  # one bit each in a UBIGINT mask


def _question(name: str) -> str:
    """The base question queries/<name>.sql as a subquery (no trailing semicolon)."""
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8").rstrip().rstrip(";")


# In order: each table may read the ones before it. $tactic_order: TACTIC_IDS (taxonomy order first).
AGGREGATES = {
    "complaint_tactic_set": """
        SELECT DISTINCT c.received, t.complaint_id, t.tactic_id
        FROM complaint_tactics AS t JOIN complaints AS c USING (complaint_id)
        ORDER BY c.received, t.complaint_id""",
    "tactic_bits": """
        WITH ids AS (SELECT DISTINCT tactic_id FROM complaint_tactic_set)
        SELECT tactic_id,
               -- The shift count is a UBIGINT too: UBIGINT << INTEGER is a HUGEINT, which made every mask
               -- in the derived tables 16 bytes wide and every mask operation 128-bit.
               (1::UBIGINT << (row_number() OVER (ORDER BY COALESCE(list_position($tactic_order, tactic_id), 1000),
                                                         tactic_id) - 1)::UBIGINT) AS bit,
               list_contains($severe, tactic_id) AS severe
        FROM ids ORDER BY bit""",
    "complaint_masks": """
        SELECT t.complaint_id, bit_or(b.bit) AS tactic_mask
        FROM complaint_tactic_set AS t JOIN tactic_bits AS b USING (tactic_id)
        GROUP BY t.complaint_id""",
    "daily_lender_mask_counts": f"""
        SELECT c.received, c.country, c.source, {LENDER_KEY} AS lender_key, c.lender_id,
               min(c.lender_name) AS lender_name, COALESCE(m.tactic_mask, 0::UBIGINT) AS tactic_mask,
               count(*) AS n, count(*) FILTER (WHERE c.has_narrative) AS n_narrative
        FROM complaints AS c LEFT JOIN complaint_masks AS m USING (complaint_id)
        GROUP BY ALL ORDER BY c.received""",
    "mask_tactics": """
        SELECT DISTINCT d.tactic_mask, b.tactic_id
        FROM daily_lender_mask_counts AS d JOIN tactic_bits AS b ON d.tactic_mask & b.bit != 0
        ORDER BY ALL""",
    "daily_lender_counts": """
        SELECT received, country, source, lender_key, lender_id, min(lender_name) AS lender_name,
               sum(n)::BIGINT AS n, COALESCE(sum(n) FILTER (WHERE tactic_mask != 0), 0)::BIGINT AS n_tagged,
               COALESCE(sum(n) FILTER (WHERE tactic_mask & (SELECT bit_or(bit) FROM tactic_bits WHERE severe) != 0), 0)::BIGINT
                   AS n_severe,
               sum(n_narrative)::BIGINT AS n_narrative
        FROM daily_lender_mask_counts GROUP BY ALL ORDER BY received""",
    "daily_lender_tactic_counts": """
        SELECT d.received, d.country, d.source, d.lender_key, d.lender_id, b.tactic_id, sum(d.n)::BIGINT AS n
        FROM daily_lender_mask_counts AS d JOIN tactic_bits AS b ON d.tactic_mask & b.bit != 0
        GROUP BY ALL ORDER BY d.received""",
    "monthly_lender_mask_counts": """
        SELECT CAST(date_trunc('month', received) AS DATE) AS month, country, source, lender_key, lender_id,
               min(lender_name) AS lender_name, tactic_mask, sum(n)::BIGINT AS n,
               sum(n_narrative)::BIGINT AS n_narrative
        FROM daily_lender_mask_counts GROUP BY ALL ORDER BY month""",
    "monthly_lender_counts": """
        SELECT CAST(date_trunc('month', received) AS DATE) AS month, country, source, lender_key, lender_id,
               min(lender_name) AS lender_name, sum(n)::BIGINT AS n, sum(n_tagged)::BIGINT AS n_tagged,
               sum(n_severe)::BIGINT AS n_severe, sum(n_narrative)::BIGINT AS n_narrative
        FROM daily_lender_counts GROUP BY ALL ORDER BY month""",
    "monthly_lender_tactic_counts": """
        SELECT CAST(date_trunc('month', received) AS DATE) AS month, country, source, lender_key, lender_id,
               tactic_id, sum(n)::BIGINT AS n
        FROM daily_lender_tactic_counts GROUP BY ALL ORDER BY month""",
    "lender_facts": f"""
        SELECT {LENDER_KEY} AS lender_key, c.received, c.country, c.source, c.region, c.product, c.status,
               c.has_narrative, COALESCE(m.tactic_mask, 0::UBIGINT) AS tactic_mask,
               c.lender_id, c.lender_name, c.complaint_id
        FROM complaints AS c LEFT JOIN complaint_masks AS m USING (complaint_id)
        ORDER BY lender_key, c.received""",
    "tactic_evidence": f"""
        SELECT t.tactic_id, c.received, t.complaint_id, c.country, c.source, {LENDER_KEY} AS lender_key,
               COALESCE(m.tactic_mask, 0::UBIGINT) AS tactic_mask,
               t.field, t.evidence_start, t.evidence_end, t.evidence
        FROM complaint_tactics AS t
        JOIN complaints AS c USING (complaint_id)
        LEFT JOIN complaint_masks AS m USING (complaint_id)
        WHERE t.evidence_start IS NOT NULL AND t.field IN ('narrative', 'title')
        QUALIFY row_number() OVER (PARTITION BY t.complaint_id, t.tactic_id
                                   ORDER BY t.evidence_start, t.field, t.evidence_end) = 1
        ORDER BY t.tactic_id, c.received, t.complaint_id""",
    "lead_monthly_series": """
        SELECT CAST(lender_id AS lead_lender_id) AS lender_id, CAST(tactic_id AS lead_tactic_id) AS tactic_id,
               month, n
        FROM (""" + _question("lead_monthly_counts") + ")",
    "filter_option_counts": _question("filter_options"),
}
# ENUM types of lead_monthly_series' ids, made before the tables: the leads page reads that table whole
# (~110k rows at 10M complaints), and an ENUM column reaches pandas as a categorical, six times faster
# than a VARCHAR column of the same values (queries/agg/lead_monthly_counts.sql casts to them too).
ENUMS = {
    "lead_lender_id": "SELECT DISTINCT lender_id FROM complaints WHERE lender_id IS NOT NULL ORDER BY 1",
    "lead_tactic_id": "SELECT DISTINCT tactic_id FROM complaint_tactics ORDER BY 1",
}
# Needed only while building.
SCRATCH = ("complaint_masks",)
# Tables of earlier versions that build() removes.
RETIRED = ("daily_lender_tactic_pair_counts", "monthly_lender_tactic_pair_counts")

# Filters a version answers only when its `-- covers:` line names them; search never is.
COVERABLE = ("tactics", "regions", "products", "statuses", "has_narrative")


def build(con: duckdb.DuckDBPyConnection, severe: tuple[str, ...] = SEVERE) -> dict[str, int]:
    """(Re)build every derived table from the base tables; returns their row counts."""
    from complaints.tactics import TACTIC_IDS

    counts = {}
    con.execute("SET enable_progress_bar = false")  # the CLI prints its own lines
    # Drop the old tables first and checkpoint, so the new ones reuse their blocks: CREATE OR REPLACE
    # would write each new table beside the old one, and the file would grow by them at every publish.
    for name in (*AGGREGATES, *RETIRED, "aggregate_info"):
        con.execute(f"DROP TABLE IF EXISTS {name}")
    for name in ENUMS:  # after the tables that use them
        con.execute(f"DROP TYPE IF EXISTS {name}")
    con.execute("CHECKPOINT")
    for name, select in ENUMS.items():
        con.execute(f"CREATE TYPE {name} AS ENUM ({select})")
    # lead_monthly_series is the base question with no scope filter (the empty lists).
    values = {"severe": list(severe), "tactic_order": list(TACTIC_IDS), "countries": [], "sources": [], "lenders": []}
    for name, select in AGGREGATES.items():
        params = {key: value for key, value in values.items() if f"${key}" in select}
        con.execute(f"CREATE OR REPLACE TABLE {name} AS {select}", params)
        counts[name] = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        if name == "tactic_bits" and counts[name] > MAX_TACTICS:
            raise ValueError(f"{counts[name]} tactic ids in the store: the tactic mask holds {MAX_TACTICS}")
    for name in SCRATCH:
        con.execute(f"DROP TABLE {name}")
        del counts[name]
    con.execute("CREATE OR REPLACE TABLE aggregate_info (key VARCHAR NOT NULL, value VARCHAR)")
    con.execute("INSERT INTO aggregate_info VALUES ('version', ?), ('severe', ?)",
                [VERSION, ",".join(sorted(severe))])
    return counts


def store_info(con: duckdb.DuckDBPyConnection, *, any_version: bool = False) -> dict[str, str]:
    """aggregate_info of the store ({} when it has no derived tables), and for this version's tables
    the bit of each tactic ("tactic_bits", JSON), which with_tactic_bits() reads. `any_version` reads
    the bits of an earlier version's tables too (bench/compare_versions.py times questions on them)."""
    try:
        info = dict(con.execute("SELECT key, value FROM aggregate_info").fetchall())
    except duckdb.CatalogException:
        return {}
    if any_version or info.get("version") == VERSION:
        info["tactic_bits"] = json.dumps(dict(con.execute("SELECT tactic_id, bit FROM tactic_bits").fetchall()))
    return info


# The parameters with_tactic_bits() adds, each with the parameters it is worked out from.
DERIVED_PARAMS = {"tactic_bits": ("tactics", "tactics_all"), "severe_bits": ("severe",)}


def with_tactic_bits(params: Mapping, info: Mapping[str, str]) -> dict:
    """`params` plus the tactic lists as masks of the store's tactic bits, for the macros of
    queries/_aggregated.sql and queries/_searched_facts.sql and the questions that read masks:
    - $tactic_bits, the tactic filter: NULL when no tactic is selected; else the selected tactics'
      bits, or 0 when nothing can match (with "any": none of them is in the store; with "all": one of
      them isn't);
    - $severe_bits, the bits of $severe.
    Worked out here rather than by subqueries over tactic_bits in the SQL: DuckDB bound those again at
    every macro expansion (2-9 ms of planning per question at 1M), and joined their one-row result to
    every matched row under a search (89 ms for 3.3M rows at 10M); bench/README.md, "Eighth pass"."""
    bit_of = json.loads(info.get("tactic_bits") or "{}")

    def bits(tactics) -> int:
        return functools.reduce(operator.or_, (int(bit_of[t]) for t in set(tactics) if t in bit_of), 0)

    out = dict(params)
    selected = set(params.get("tactics") or [])
    if not selected:
        out["tactic_bits"] = None
    elif params.get("tactics_all") and not selected <= set(bit_of):
        out["tactic_bits"] = 0
    else:
        out["tactic_bits"] = bits(selected)
    if "severe" in params:
        out["severe_bits"] = bits(params["severe"] or [])
    return out


def macro_sql() -> str:
    """The table macros over the derived tables (create them only on a store that has them)."""
    return (QUERIES_DIR / "_aggregated.sql").read_text(encoding="utf-8")


def add_macros(con: duckdb.DuckDBPyConnection) -> bool:
    """Create the table macros on a read connection when its store holds the derived tables of this
    version (the agg/ and indexed/ versions read them); returns whether it did. Safe to repeat."""
    if store_info(con).get("version") != VERSION:
        return False
    con.execute(macro_sql())
    _specialised.pop(con, None)  # the general definitions again
    return True


# Connection -> whether its scoped_counts and scoped_tactic_counts are those for a tactic filter (True)
# or for none (False); absent: the general definitions of queries/_aggregated.sql.
_specialised: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_SPECIALISED_SQL = {False: "_scoped_plain.sql", True: "_scoped_masked.sql"}


def specialise(con: duckdb.DuckDBPyConnection, params: Mapping, queries_dir: Path = QUERIES_DIR) -> None:
    """Before running a derived-table question with `params` (which hold its $tactic_bits, from
    with_tactic_bits) on `con`: define scoped_counts, scoped_tactic_counts, tactic_split and page_keys
    as the one branch its tactic filter needs (cutoff_keys then counts through the one branch too).
    The general definitions bind and plan both branches, and DuckDB drops the unused one only
    afterwards; binding the one saves a quarter of a question's time at 1M complaints (bench/README.md,
    "Tenth pass"). Redefining takes 4-9 ms, so it is done only when the filter changes from tactics to
    none or back. Not thread-safe: call it and run the question under the
    same lock, as with search.select. (`queries_dir`: the benchmark's comparison of two versions.)"""
    if "tactic_bits" not in params:
        return
    masked = params["tactic_bits"] is not None
    if _specialised.get(con) is not masked:
        sql = _specialised_sql(queries_dir, masked)
        if sql is None:  # an earlier version's queries/ folder, without them
            return
        con.execute(sql)
        _specialised[con] = masked


@functools.cache
def _specialised_sql(queries_dir: Path, masked: bool) -> str | None:
    path = queries_dir / _SPECIALISED_SQL[masked]
    return path.read_text(encoding="utf-8") if path.is_file() else None


def has_version(name: str) -> bool:
    return (QUERIES_DIR / AGG_DIR / f"{name}.sql").is_file()


def covers(sql: str) -> set[str]:
    """The filters beyond dates, countries, sources and lenders that a version's `-- covers:` line names."""
    found = re.search(r"^-- covers:(.*)$", sql, re.MULTILINE)
    return set(found.group(1).split()) & set(COVERABLE) if found else set()


def covered(params: Mapping, info: Mapping[str, str], sql: str = "") -> bool:
    """True when the derived tables (described by info) give exactly the base tables' answer."""
    if info.get("version") != VERSION:
        return False
    if params.get("search"):
        return False
    wanted = {key for key in COVERABLE if key != "has_narrative" and params.get(key)}
    if params.get("has_narrative") is not None:
        wanted.add("has_narrative")
    if not wanted <= covers(sql):
        return False
    # n_severe was counted for one severe list: only that list may use it.
    return "n_severe" not in sql or ",".join(sorted(params.get("severe") or ())) == info.get("severe")


def route(name: str, params: Mapping, info: Mapping[str, str], indexed: bool = False) -> str:
    """The query file to run for question `name`: 'agg/<name>' when covered; under a text search,
    'indexed/<name>' when the connection searches through the scan index (`indexed`) and the store
    has this version's lender_facts; else `name`."""
    if params.get("search"):
        usable = indexed and info.get("version") == VERSION
        return f"{INDEXED_DIR}/{name}" if usable and (QUERIES_DIR / INDEXED_DIR / f"{name}.sql").is_file() else name
    if not has_version(name):
        return name
    sql = (QUERIES_DIR / AGG_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return f"{AGG_DIR}/{name}" if covered(params, info, sql) else name
