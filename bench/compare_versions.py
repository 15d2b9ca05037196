"""Two versions of the derived-table questions, timed side by side on one store.

    python bench/compare_versions.py --before OLD_QUERIES_DIR --store STORE [--before-store OLD_STORE]
                                     [--runs 20] [--out FILE]

OLD_QUERIES_DIR is the queries/ folder of an earlier commit (for example from
`git worktree add /tmp/old <commit>`). Every question with a queries/agg/ version is run under the
benchmark's chart scenarios (all time, 12 months, one lender, one tactic), alternately with the
earlier folder's macros and files and with this checkout's, each on its own connection: run-to-run
drift of the machine (up to 30 % here, bench/README.md) then hits both alike. Prints and writes p50 and
p95 per pair, and whether both versions gave the same rows.

When the change is in the derived tables themselves, --before-store names a copy of the store made
before `python -m complaints optimize` rebuilt them: the earlier version's questions then read it,
whatever its derived-table version (OLD_QUERIES_DIR may be this checkout's queries/).
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
from bench.common import QUERIES_DIR, filter_macro_sql, percentile  # noqa: E402
from complaints import aggregates  # noqa: E402

SCENARIOS = ("all", "12m", "lender", "tactic")
WARMUP = 2


def _connect(store: Path, queries_dir: Path):
    con = run.duck_connect(store, filter_macro_sql(queries_dir))
    con.execute((queries_dir / "_aggregated.sql").read_text(encoding="utf-8"))  # that version's macros
    return con


def _info_as_current(con) -> dict:
    """store_info of an earlier version's store, read as if current: its own tactic bits, so that the
    router picks the agg/ files (the earlier questions read its tables through their own macros)."""
    return {**aggregates.store_info(con, any_version=True), "version": aggregates.VERSION}


def compare(store: Path, before_dir: Path, runs: int, after_dir: Path = QUERIES_DIR,
            before_store: Path | None = None) -> list[dict]:
    before, after = _connect(before_store or store, before_dir), _connect(store, after_dir)
    base = run.base_params(after)
    scenarios = run.scenarios(after, base)
    info = aggregates.store_info(after)
    before_info = _info_as_current(before) if before_store else info
    rows = []
    for name in sorted(p.stem for p in (after_dir / aggregates.AGG_DIR).glob("*.sql")):
        base_params = run.query_params((after_dir / f"{name}.sql").read_text(encoding="utf-8"))
        for scenario in SCENARIOS:
            params = {**base, **run.QUERY_DEFAULTS.get(name, {}), **scenarios.get(scenario, {})}
            if scenario not in scenarios or not run.applicable(scenarios[scenario], base_params):
                continue
            routed, new_sql, new_params = run.routed_question(name, params, info, after_dir)
            if not routed.startswith(f"{aggregates.AGG_DIR}/"):
                continue
            _, old_sql, old_params = run.routed_question(name, params, before_info, before_dir)
            times: dict[str, list[float]] = {"before": [], "after": []}
            answers = {}
            for i in range(WARMUP + runs):
                for side, con, sql, used, folder in (("before", before, old_sql, old_params, before_dir),
                                                     ("after", after, new_sql, new_params, after_dir)):
                    aggregates.specialise(con, used, folder)  # as the dashboard does, when that version can
                    start = time.perf_counter()
                    frame = con.execute(sql, used).df()  # what run.py times
                    if i >= WARMUP:
                        times[side].append((time.perf_counter() - start) * 1000)
                    answers[side] = run.normalize(run.df_rows(frame))
            rows.append({"name": f"{name}[{scenario}]",
                         **{f"{side}_p{q}": round(percentile(times[side], q), 2) for side in times for q in (50, 95)},
                         "same_rows": answers["before"] == answers["after"]})
    before.close()
    after.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="queries/ folder of the earlier version")
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--before-store", type=Path,
                        help="the store as the earlier version built it (default: --store)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    if not (args.before / "_aggregated.sql").is_file():
        print(f"{args.before} holds no _aggregated.sql: not a queries/ folder", file=sys.stderr)
        return 2
    rows = compare(args.store, args.before, args.runs, before_store=args.before_store)
    for row in rows:
        print(f"{row['name']:<40} p95 {row['before_p95']:7.1f} -> {row['after_p95']:7.1f} ms   "
              f"p50 {row['before_p50']:7.1f} -> {row['after_p50']:7.1f}   same rows: {row['same_rows']}")
    if args.out:
        args.out.write_text(json.dumps({"store": str(args.store), "before": str(args.before),
                                        "before_store": str(args.before_store or args.store), "runs": args.runs,
                                        "rows": rows}, indent=1), encoding="utf-8")
    differ = [row["name"] for row in rows if not row["same_rows"]]
    if differ:  # lender_ranking may against versions before 2026-11-30, whose top tactic broke ties at random
        print(f"different rows in {len(differ)} pairs: {', '.join(differ)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
