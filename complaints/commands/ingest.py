"""`python -m complaints ingest`: load complaint files into the store (all files or none)."""

from __future__ import annotations

import argparse
import sys

from complaints import store
from complaints.commands._store_option import add_store_argument
from complaints.pipeline import IngestError, ingest
from complaints.record import SourceError
from complaints.runreport import format_table

HELP = "load complaint files into the store / 导入投诉文件 (cfpb | tousu | generic)"


def add_arguments(parser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="complaint files (.csv, .json, .jsonl, .gz, .zip)")
    parser.add_argument("--source", required=True, choices=("cfpb", "tousu", "generic"),
                        help="input format / 数据来源格式")
    parser.add_argument("--mapping", metavar="FILE", help="column mapping for --source generic / 通用格式的列映射")
    add_store_argument(parser)
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show a progress bar (default: when stderr is a terminal)")


def run(args) -> int:
    path = store.store_path(args.store)
    try:
        reports = ingest(args.files, args.source, store=path, mapping=args.mapping, progress=args.progress)
    except SourceError as exc:
        print(f"ingest: {exc} — no file of this command was loaded, the store is unchanged "
              f"/ 本次未导入任何文件，数据库未改动", file=sys.stderr)
        return 2
    except IngestError as exc:
        print(f"ingest: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"ingest: {exc.strerror or exc} ({exc.filename or path}) — the store is unchanged / 数据库未改动",
              file=sys.stderr)
        return 2
    print(format_table(reports))
    print(f"store / 数据库: {path}")
    return 0
