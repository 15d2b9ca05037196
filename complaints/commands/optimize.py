"""`python -m complaints optimize`: (re)build the derived tables the dashboard's fast queries read,
and the text search index beside the store."""

from __future__ import annotations

import sys
import time

from complaints import store
from complaints.commands._store_option import add_store_argument

HELP = "rebuild the derived tables and the search index of an existing store / 重建现有数据库的汇总表和搜索索引"


def add_arguments(parser) -> None:
    add_store_argument(parser)


def run(args) -> int:
    path = store.store_path(args.store)
    if not path.is_file():
        print(f"optimize: no store at {path} / 没有数据库", file=sys.stderr)
        return 2
    started = time.perf_counter()
    # store.writer() rebuilds the derived tables (complaints.aggregates.build) and the text search
    # index (complaints.search.build) before it publishes.
    with store.writer(path) as con:
        rows = con.execute("SELECT count(*) FROM complaints").fetchone()[0]
    print(f"optimized / 已优化: {path.name}, {rows:,} complaints, {time.perf_counter() - started:.1f} s")
    return 0
