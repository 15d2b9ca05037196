"""`python -m complaints stats`: what the store holds (counts, runs, sources, dates, lenders matched)."""

from __future__ import annotations

import json
import sys

import duckdb

from complaints import store
from complaints.commands._store_option import add_store_argument

HELP = "show what the store holds / 显示数据库概况"


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    add_store_argument(parser)


def _rows(con, sql: str) -> list[dict]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def collect(con) -> dict:
    meta = store.get_meta(con)
    total, first, last, matched, with_text = con.execute(
        "SELECT count(*), min(received), max(received), count(lender_id), count(*) FILTER (has_narrative) "
        "FROM complaints").fetchall()[0]
    runs = _rows(con, "SELECT file_name AS file, source, rows_read, rows_loaded, rows_duplicate, "
                      "rows_quarantined, started_at, finished_at, sha256, code_version, demo, run_id "
                      "FROM ingest_runs ORDER BY started_at, file_name")
    for run in runs:
        for key in ("started_at", "finished_at"):
            run[key] = run[key].isoformat(timespec="seconds") if run[key] else None
    return {
        "complaints": int(total),
        "demo": meta.get("demo") == "true",
        "store_version": meta.get("store_version"),
        "published_at": meta.get("published_at"),
        "taxonomy_version": meta.get("taxonomy_version"),
        "date_range": [first.isoformat() if first else None, last.isoformat() if last else None],
        "with_narrative": int(with_text),
        "lenders_matched_share": round(matched / total, 4) if total else None,
        "by_source": {r["source"]: r["n"] for r in _rows(
            con, "SELECT source, count(*) AS n FROM complaints GROUP BY source ORDER BY n DESC")},
        "by_language": {str(r["language"]): r["n"] for r in _rows(
            con, "SELECT language, count(*) AS n FROM complaints GROUP BY language ORDER BY n DESC")},
        "complaints_with_tactic": con.execute(
            "SELECT count(DISTINCT complaint_id) FROM complaint_tactics").fetchall()[0][0],
        "labels_by_source": {r["label_source"]: r["n"] for r in _rows(
            con, "SELECT label_source, count(*) AS n FROM complaint_tactics GROUP BY 1 ORDER BY 1")},
        "quarantined": con.execute("SELECT count(*) FROM quarantine").fetchall()[0][0],
        "lenders": con.execute("SELECT count(*) FROM lenders").fetchall()[0][0],
        "runs": runs,
        "meta": {k: v for k, v in meta.items() if k not in ("demo", "store_version", "published_at")},
    }


def _print_text(stats: dict, path) -> None:
    kind = "demo / 演示数据" if stats["demo"] else "real / 真实数据"
    print(f"store / 数据库: {path} ({kind}, version {stats['store_version']})")
    print(f"complaints / 投诉: {stats['complaints']:,}  ({stats['date_range'][0]} … {stats['date_range'][1]})")
    print(f"with narrative / 有正文: {stats['with_narrative']:,}   with a tactic / 有催收手段标签: "
          f"{stats['complaints_with_tactic']:,}   quarantined / 隔离: {stats['quarantined']:,}")
    share = stats["lenders_matched_share"]
    print(f"lenders matched / 已匹配机构: {share:.1%}" if share is not None else "lenders matched: -")
    for source, n in stats["by_source"].items():
        print(f"  {source}: {n:,}")
    print(f"runs / 导入记录: {len(stats['runs'])}")
    for run in stats["runs"][-20:]:
        print(f"  {run['started_at']}  {run['file']}: read {run['rows_read']:,}, loaded {run['rows_loaded']:,}, "
              f"duplicate {run['rows_duplicate']:,}, quarantined {run['rows_quarantined']:,}")


def run(args) -> int:
    path = store.store_path(args.store)
    try:
        con = store.connect_readonly(path)
    except FileNotFoundError as exc:
        print(f"stats: {exc} / 没有数据库", file=sys.stderr)
        return 2
    try:
        stats = collect(con)
    except duckdb.Error as exc:
        print(f"stats: {path} is not a Collection Watch store ({str(exc).splitlines()[0]})", file=sys.stderr)
        return 2
    finally:
        con.close()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
    else:
        _print_text(stats, path)
    return 0
