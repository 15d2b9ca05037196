"""Measured before/after of candidate optimizations, on a scratch copy of a benchmark store.

    python bench/experiments.py --store bench/cache/demo-r1000000-....duckdb --out bench/results/exp-1m.json

Each variant changes the store copy (DDL), the shared filter macro, or a query, never the repo's
files. The same questions run against the baseline and each variant alternately (so a busy machine
slows both alike); results must be identical to the baseline's, which is checked. Variants:
- tactic_in: the macro's tactic clause as an uncorrelated `complaint_id IN (SELECT ... GROUP BY ...
  HAVING ...)` instead of correlated EXISTS / count(DISTINCT) subqueries, which DuckDB evaluates for
  every complaint even when no tactic is selected;
- search_nolower: for a search term without cased letters (Chinese), `contains(narrative, term)`
  instead of `contains(lower(narrative), lower(term))` (same matches: lower() only changes cased letters);
  cased terms use a case-insensitive RE2 match on the raw text instead of lower() on every row;
- sorted: complaints rewritten ordered by received (zone maps skip row groups outside a date range);
- all: the three together;
- aggregates: `all` plus complaints/aggregates.py's tables, with volume_over_time, volume_by_source,
  top_lenders and tactic_shares answered from them (valid when the filter uses only dates, countries,
  sources and lenders: the scenarios `all` and `12m` here).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402

from bench import run  # noqa: E402
from bench.common import QUERIES_DIR, discover_queries, filter_macro_sql, query_params  # noqa: E402
from complaints import aggregates  # noqa: E402

ORIGINAL_TACTIC_CLAUSE_START = "  AND (len(tactics) = 0"
TACTIC_IN = """  AND (len(tactics) = 0 OR c.complaint_id IN (
        SELECT t.complaint_id FROM complaint_tactics AS t
        WHERE list_contains(tactics, t.tactic_id)
        GROUP BY t.complaint_id
        HAVING NOT tactics_all OR count(DISTINCT t.tactic_id) = len(list_distinct(tactics))));
"""
ORIGINAL_SEARCH = "OR contains(lower(c.narrative), lower(search)) OR contains(lower(c.title), lower(search)))"
SEARCH_NOLOWER = """OR (CASE WHEN lower(search) = upper(search)
                THEN contains(c.narrative, search) OR contains(c.title, search)
                ELSE regexp_matches(c.narrative, '(?i)' || regexp_escape(search))
                  OR regexp_matches(c.title, '(?i)' || regexp_escape(search)) END))"""

_SCOPE = """received BETWEEN CAST($start_date AS DATE) AND CAST($end_date AS DATE)
  AND (len($countries) = 0 OR list_contains($countries, country))
  AND (len($sources) = 0 OR list_contains($sources, source))
  AND (len($lenders) = 0 OR list_contains($lenders, lender_key))
  AND (len($excluded_lenders) = 0 OR NOT list_contains($excluded_lenders, lender_key))"""
AGGREGATE_SQL = {
    "volume_over_time": f"""SELECT CAST(date_trunc($interval, received) AS DATE) AS period, sum(n)::BIGINT AS complaints
        FROM daily_lender_counts WHERE {_SCOPE} GROUP BY ALL ORDER BY period""",
    "volume_by_source": f"""SELECT source, COALESCE(country, '?') AS country, sum(n)::BIGINT AS complaints
        FROM daily_lender_counts WHERE {_SCOPE} GROUP BY ALL ORDER BY complaints DESC""",
    "top_lenders": f"""WITH d AS (SELECT lender_key, any_value(lender_id) AS lender_id, sum(n)::BIGINT AS complaints
            FROM daily_lender_counts WHERE {_SCOPE} AND lender_key IS NOT NULL GROUP BY lender_key)
        SELECT d.lender_key, d.lender_id IS NULL AS unmatched,
               COALESCE(l.name_zh, substr(d.lender_key, 2)) AS name_zh,
               COALESCE(l.name_en, l.name_zh, substr(d.lender_key, 2)) AS name_en, d.complaints
        FROM d LEFT JOIN lenders AS l ON l.lender_id = d.lender_id
        ORDER BY d.complaints DESC, d.lender_key LIMIT $limit""",
    "tactic_shares": f"""WITH total AS (SELECT sum(n) AS total_n FROM daily_lender_counts WHERE {_SCOPE})
        SELECT tactic_id, sum(n)::BIGINT AS complaints, sum(n) / any_value(total.total_n) AS share
        FROM daily_lender_tactic_counts, total WHERE {_SCOPE} GROUP BY tactic_id
        ORDER BY complaints DESC, tactic_id""",
}

QUESTIONS = [  # (query, scenario)
    ("records_count", "all"), ("records_count", "12m"), ("records_count", "tactic"),
    ("records_count", "search_zh"), ("records_count", "search_en"),
    ("volume_over_time", "all"), ("volume_over_time", "12m"), ("volume_by_source", "all"),
    ("top_lenders", "all"), ("top_lenders", "12m"), ("tactic_shares", "all"), ("tactic_shares", "12m"), ("tactic_trend", "all"), ("overview_headline", "all"),
    ("lender_ranking", "all"), ("records_page", "all"),
]


def macro_variant(macro: str, name: str) -> str:
    """The macro with a variant's clause. queries/_filtered.sql has adopted tactic_in and (for caseless
    terms) search_nolower since these experiments; on today's macro the variants change nothing."""
    if name in ("tactic_in", "all"):
        macro = macro[:macro.index(ORIGINAL_TACTIC_CLAUSE_START)] + TACTIC_IN
    if name in ("search_nolower", "all") and ORIGINAL_SEARCH in macro:
        macro = macro.replace(ORIGINAL_SEARCH, SEARCH_NOLOWER)
    return macro


def sorted_copy(store: Path, target: Path) -> None:
    shutil.copyfile(store, target)
    con = duckdb.connect(str(target))
    con.execute("CREATE TABLE complaints_sorted AS SELECT * FROM complaints ORDER BY received, complaint_id")
    con.execute("DROP TABLE complaints")
    con.execute("ALTER TABLE complaints_sorted RENAME TO complaints")
    aggregates.build(con)
    con.execute("CHECKPOINT")
    con.close()


def timed(con, sql, params, runs) -> tuple[list[float], object]:
    result = con.execute(sql, params).fetchall()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        con.execute(sql, params).df()
        times.append((time.perf_counter() - t) * 1000)
    return times, sorted(map(repr, result))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--store", type=Path, required=True)
    p.add_argument("--scratch", type=Path, help="folder for the sorted copy (default: beside the store)")
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--variant", action="append", help="only these variants")
    p.add_argument("--out", type=Path)
    args = p.parse_args(argv)

    macro = filter_macro_sql()
    queries = discover_queries(QUERIES_DIR)
    scratch = (args.scratch or args.store.parent) / (args.store.stem + ".sorted-agg-scratch.duckdb")
    variants = args.variant or ["tactic_in", "search_nolower", "sorted", "all", "aggregates"]
    if {"sorted", "all", "aggregates"} & set(variants) and not scratch.exists():
        print(f"writing a copy sorted by received: {scratch}", flush=True)
        sorted_copy(args.store, scratch)
    base_con = run.duck_connect(args.store, macro)
    base = run.base_params(base_con)
    scens = run.scenarios(base_con, base)
    cons = {"baseline": base_con}
    for v in variants:
        cons[v] = run.duck_connect(scratch if v in ("sorted", "all", "aggregates") else args.store,
                                   macro if v == "sorted" else macro_variant(macro, "all" if v == "aggregates" else v))
    rows = []
    for qname, sname in QUESTIONS:
        all_params = {**base, **run.QUERY_DEFAULTS.get(qname, {}), **scens[sname]}
        times: dict[str, list[float]] = {k: [] for k in cons}
        results = {}
        for _ in range(args.runs):  # alternate so that load on the machine hits every variant alike
            for name, con in cons.items():
                sql = queries[qname]
                if name == "aggregates" and qname in AGGREGATE_SQL and sname in ("all", "12m"):
                    sql = AGGREGATE_SQL[qname]
                t, res = timed(con, sql, run.used_params(all_params, query_params(sql)), 1)
                times[name] += t
                results[name] = res
        row = {"question": f"{qname}[{sname}]"}
        for name in cons:
            ts = sorted(times[name])
            row[name] = {"p50_ms": round(ts[len(ts) // 2], 2), "min_ms": round(ts[0], 2),
                         "same_result": results[name] == results["baseline"]}
        rows.append(row)
        print(f"{row['question']:<30}" + "".join(
            f"  {n}={row[n]['p50_ms']:.1f}{'' if row[n]['same_result'] else '(≠)'}" for n in cons), flush=True)
    if args.out:
        args.out.write_text(json.dumps({"store": str(args.store), "runs": args.runs, "questions": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
