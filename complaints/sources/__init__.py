"""Source adapters: one module per input format, each with `read(path, **options)`.

`read(source, path, mapping=None)` dispatches by source name: "cfpb", "tousu" or "generic"
(generic needs `mapping`, the TOML file naming which column is which canonical field).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from complaints.record import Record, RecordBatch, Rejected, SourceError
from complaints.sources import cfpb, generic, tousu

ADAPTERS = {"cfpb": cfpb.read, "tousu": tousu.read, "generic": generic.read}
# Adapters with a column-wise fast path (RecordBatch) for the pipeline.
BATCH_ADAPTERS = {"cfpb": cfpb.read_batches}


def read(source: str, path, mapping=None) -> Iterator[Record | Rejected]:
    """Records and rejected rows of one file; SourceError for a whole-file problem."""
    if source not in ADAPTERS:
        raise SourceError(f"unknown source {source!r} (expected one of: {', '.join(ADAPTERS)})")
    if source == "generic":
        if mapping is None:
            raise SourceError(f"{Path(path).name}: the generic source needs a mapping file (--mapping)")
        return ADAPTERS[source](Path(path), mapping=Path(mapping))
    return ADAPTERS[source](Path(path))


def read_batches(source: str, path, mapping=None) -> Iterator[Record | Rejected | RecordBatch]:
    """Like read(), but an adapter with a fast path yields its good rows as RecordBatch columns."""
    if source in BATCH_ADAPTERS:
        return BATCH_ADAPTERS[source](Path(path))
    return read(source, path, mapping=mapping)


__all__ = ["ADAPTERS", "BATCH_ADAPTERS", "read", "read_batches", "Record", "RecordBatch", "Rejected", "SourceError"]
