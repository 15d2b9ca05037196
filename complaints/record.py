"""What a source adapter yields: canonical records, rejected rows, or one SourceError for the file.

Adapters (complaints/sources/*.py) each expose `read(path, **options) -> Iterator[Record | Rejected]`.
An adapter with a fast path may also expose `read_batches(path)`, yielding RecordBatch (many good rows
column by column) and Rejected: the pipeline takes that when it exists; `read` stays row by row.
They parse dates and numbers and map columns to the canonical fields below; they never scrub, hash
or store. Contact columns (names, phones, emails, addresses, ID numbers) are not mapped, so they are
dropped before anything else sees them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

# Canonical input fields an adapter may fill. Values: str, datetime.date (received),
# float (amount), bool (timely_response, consumer_disputed) or None.
CANONICAL_FIELDS = (
    "source_id",        # the source's own complaint id, raw; the pipeline replaces it by a keyed hash
    "received",         # datetime.date
    "country",          # ISO code, e.g. "US", "CN"
    "region",           # state or province
    "zip",              # raw ZIP; the pipeline keeps only its first 3 digits
    "lender_name",      # company / 投诉对象 as filed
    "product",
    "sub_product",
    "issue",
    "sub_issue",
    "channel",          # submitted via
    "status",           # company response to consumer / 投诉进度
    "public_response",
    "timely_response",
    "consumer_disputed",
    "tags",
    "title",
    "demand",           # 投诉要求
    "amount",           # 涉诉金额, float
    "narrative",
)

# Free-text fields: scrubbed by the anonymizer before anything is written.
TEXT_FIELDS = ("title", "demand", "narrative", "public_response")


@dataclass(slots=True)
class Record:
    """One input row mapped to canonical fields."""

    row_number: int                 # 1-based data row (header excluded) or JSON record number
    fields: dict = field(default_factory=dict)
    line: int | None = None         # physical line in the file, where known


@dataclass(slots=True)
class Rejected:
    """One input row that cannot be loaded; it goes to quarantine with its reason."""

    row_number: int
    reason: str                     # short and specific: "unparseable date '31/31/2020' in Date received"
    raw: dict = field(default_factory=dict)  # the row as read (the pipeline scrubs it before storing)
    line: int | None = None


@dataclass(slots=True)
class RecordBatch:
    """The good rows of one stretch of a file, column by column: what an adapter's fast path yields.

    columns[f][i] is exactly what Record.fields[f] would hold for the i-th row; every row has the
    same fields, in the order a Record's dict would list them."""

    row_numbers: list[int]
    lines: list[int | None]
    columns: dict[str, list]

    def __len__(self) -> int:
        return len(self.row_numbers)

    def fields(self, i: int) -> dict:
        return {name: values[i] for name, values in self.columns.items()}

    def records(self) -> Iterator[Record]:
        names = list(self.columns)
        for i, values in enumerate(zip(*self.columns.values(), strict=True)):
            yield Record(self.row_numbers[i], dict(zip(names, values, strict=True)), self.lines[i])


class SourceError(Exception):
    """The whole file cannot be read. The message names the file, the line and what is wrong,
    e.g. "complaints.csv: line 1: unknown columns: foo, bar (expected a CFPB export)"."""
