"""What a page waits for under a text search: all of its questions, one after another, for a term
searched for the first time (the dashboard finds a term's matches once and keeps them for the
page's other questions, as ui/data.py does).

    python bench/bench_search_pages.py --store STORE [--runs 5] [--no-text-index] [--term T ...] [--out FILE]

Each run starts with no kept matches. The questions per page are those the page runs with the
default filters (pages/*.py), in the order it runs them; chart options and the detail view are left
out. Without --no-text-index the store's search index is used when it has one (complaints/search.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402
from bench.common import filter_macro_sql  # noqa: E402
from complaints import aggregates, search  # noqa: E402

PAGES = {
    "overview": ["records_count", "volume_over_time", "volume_by_source", "top_lenders", "overview_headline",
                 "tactic_shares"],
    "tactics": ["records_count", "tactic_shares", "tactic_trend", "tactic_cooccurrence", "tactic_examples"],
    "lenders": ["lender_ranking"],
    "records": ["records_count", "records_page"],
}
TERMS = (run.SEARCH_ZH, run.SEARCH_EN, run.SEARCH_COMMON)


def measure(store: Path, runs: int, use_index: bool, terms=TERMS) -> list[dict]:
    con = run.duck_connect(store, filter_macro_sql())
    index = search.attach(con, store) if use_index else None
    base = run.base_params(con)
    info = aggregates.store_info(con)
    results = []
    for term in terms:
        for page, questions in PAGES.items():
            times = []
            for _ in range(runs):
                if index is not None:
                    index.forget()
                started = time.perf_counter()
                for name in questions:
                    params = {**base, **run.QUERY_DEFAULTS.get(name, {}), "search": term}
                    _, sql, used = run.routed_question(name, params, info, indexed=bool(index and index.serves_facts))
                    search.select(con, index, term)
                    con.execute(sql, used).df()
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            results.append({"term": term, "page": page, "questions": questions, "text_index": index is not None,
                            "runs": runs, "median_ms": round(times[len(times) // 2], 1), "max_ms": round(times[-1], 1)})
    con.close()
    return results


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--store", type=Path, required=True)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--no-text-index", action="store_true", help="scan the store in DuckDB instead")
    p.add_argument("--term", action="append", help=f"search this term (repeatable; default: {', '.join(TERMS)})")
    p.add_argument("--out", type=Path)
    args = p.parse_args(argv)
    results = measure(args.store, args.runs, not args.no_text_index, tuple(args.term or TERMS))
    for r in results:
        print(f"{r['term']:<14} {r['page']:<9} {len(r['questions'])} questions  median {r['median_ms']:>8.0f} ms"
              f"  max {r['max_ms']:>8.0f} ms  {'index' if r['text_index'] else 'scan'}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"store": str(args.store), "results": results}, ensure_ascii=False, indent=1),
                            encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
