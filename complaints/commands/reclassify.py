"""`python -m complaints reclassify`: relabel every stored complaint with the current tactic taxonomy."""

from __future__ import annotations

import sys

from complaints import store
from complaints.commands._store_option import add_store_argument
from complaints.pipeline import IngestError, reclassify

HELP = "relabel all complaints with the current tactic taxonomy / 用当前分类重新标注全部投诉"


def add_arguments(parser) -> None:
    add_store_argument(parser)


def run(args) -> int:
    path = store.store_path(args.store)
    try:
        counts = reclassify(path, progress=None)
    except IngestError as exc:
        print(f"reclassify: {exc}", file=sys.stderr)
        return 2
    print(f"relabelled / 已重新标注: {counts['complaints']:,} complaints, {counts['labels']:,} labels "
          f"(taxonomy {counts['taxonomy_version']})")
    return 0
