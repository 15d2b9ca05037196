"""`python -m complaints lenders`: the lender registry, and company names the registry does not know."""

from __future__ import annotations

import json
import sys

import duckdb

from complaints import store
from complaints.commands._store_option import add_store_argument
from complaints.lenders import Registry

HELP = "lender registry and unmatched company names / 放贷机构名录与未匹配的公司名"

UNMATCHED_SQL = ("SELECT lender_name, count(*) AS n FROM complaints WHERE lender_id IS NULL "
                 "GROUP BY 1 ORDER BY 2 DESC, 1 NULLS LAST LIMIT $limit")
NO_NAME = "(no company name / 无公司名)"


def add_arguments(parser) -> None:
    parser.add_argument("--unmatched", action="store_true",
                        help="list company names in the store that match no registry entry, with the closest "
                             "registry names / 列出未匹配的公司名及最接近的名录条目")
    parser.add_argument("--limit", type=int, default=50, help="at most this many names (default 50)")
    parser.add_argument("--demo", action="store_true",
                        help="also list the invented demo lenders / 同时列出演示用的虚构机构")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    add_store_argument(parser)


def _registry(include_demo: bool) -> Registry | None:
    try:
        return Registry.load(include_demo=include_demo)
    except (OSError, ValueError) as exc:
        print(f"error: lender registry: {exc}", file=sys.stderr)
        return None


def run(args) -> int:
    if not args.unmatched:
        registry = _registry(args.demo)
        return 2 if registry is None else _print_registry(registry, args.json)
    try:
        con = store.connect_readonly(args.store)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except duckdb.Error as exc:
        print(f"error: cannot open the store: {exc}", file=sys.stderr)
        return 2
    try:
        rows = con.execute(UNMATCHED_SQL, {"limit": max(args.limit, 1)}).fetchall()
        # suggest invented demo lenders only for a demo store
        demo_store = args.demo or store.get_meta(con).get("demo") == "true"
    except duckdb.Error as exc:
        print(f"error: cannot read the store: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    registry = _registry(demo_store)
    if registry is None:
        return 2
    found = [{"lender_name": name, "complaints": n,
              "closest": [{"lender_id": i, "name": d} for i, d in registry.closest(name or "", n=3)]}
             for name, n in rows]
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("every company name matches the registry / 所有公司名均已匹配")
        return 0
    print(f"{len(found)} unmatched company names (add them as aliases in data/lenders.csv) / "
          f"未匹配的公司名（可在 data/lenders.csv 中添加别名）:")
    for item in found:
        near = "; ".join(f"{c['name']} [{c['lender_id']}]" for c in item["closest"]) or "-"
        print(f"{item['complaints']:>8}  {item['lender_name'] or NO_NAME}\n          closest / 最接近: {near}")
    return 0


def _print_registry(registry: Registry, as_json: bool) -> int:
    rows = registry.rows()
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print(f"{len(rows)} lenders in the registry / 名录中的机构数")
    for r in rows:
        demo = " (demo)" if r["demo"] else ""
        names = " / ".join(x for x in (r["name_zh"], r["name_en"]) if x)
        print(f"  {r['lender_id']:<28} {r['country'] or '':<3} {r['kind']:<18} {names}{demo}")
    return 0
