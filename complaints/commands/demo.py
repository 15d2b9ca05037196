"""`python -m complaints demo`: build the synthetic demo store (invented lenders) through the pipeline."""

from __future__ import annotations

import argparse
import sys
import time

from complaints import demo, store
from complaints.commands._store_option import add_store_argument
from complaints.pipeline import IngestError
from complaints.record import SourceError

HELP = "build the demo store: synthetic complaints about invented lenders / 生成演示数据（虚构机构）"


def _positive_int(value: str) -> int:
    try:
        n = int(value.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value!r}")
    return n


def _month(value: str) -> str:
    try:
        demo.parse_month(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def add_arguments(parser) -> None:
    parser.add_argument("--rows", type=_positive_int, default=demo.DEFAULT_ROWS,
                        help=f"about how many complaints (default {demo.DEFAULT_ROWS:,}) / 投诉条数（约）")
    parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED,
                        help=f"random seed; same seed, same store (default {demo.DEFAULT_SEED}) / 随机种子")
    parser.add_argument("--until", type=_month, default=None, metavar="YYYY-MM",
                        help="last month, half-filled (default: this month) / 截止月份")
    add_store_argument(parser)
    parser.add_argument("--force", action="store_true",
                        help="replace a store that holds real complaints / 覆盖真实数据库")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show progress bars (default: when stderr is a terminal)")


def run(args) -> int:
    path = store.store_path(args.store)
    started = time.perf_counter()
    try:
        if not args.force and demo.holds_real_data(path):
            print(f"demo: {path} holds real complaints; use --store PATH for the demo (or --force to replace it) "
                  f"/ 该数据库是真实数据，请用 --store 指定演示数据库", file=sys.stderr)
            return 2
        p = demo.build(path, rows=args.rows, seed=args.seed, until=args.until, progress=args.progress)
    except (SourceError, IngestError, ValueError) as exc:
        print(f"demo: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"demo: {exc.strerror or exc} ({exc.filename or path}) — the store is unchanged / 数据库未改动",
              file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    print(f"demo store / 演示数据库: {path}")
    print(f"{p.total:,} complaints, {p.months[0][0]}-01 … {p.until}, seed {p.seed}, "
          f"{len(p.surges)} planted surges/falls, {seconds:.0f} s")
    return 0
