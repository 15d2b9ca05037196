"""CFPB Consumer Complaint Database: every CSV/JSON layout we have met.

Handled: the 18-column bulk export and today's 16-column one, the website export (MM/DD/YY, the
literal "None" for empty), spreadsheet round-trips (M/D/YY, CRLF, ZIPs that lost a leading zero),
the 2012-2017 Socrata/Kaggle layouts (13/14 columns, unnamed pandas index column, legacy issue names),
snake_case / API-style / underscore headers (DD-MM-YYYY dates detected per file), .csv, .csv.gz,
.zip and JSON (API hits with `_source`, plain objects, arrays keyed by CSV headers, JSON lines).
Headers are matched case/space/underscore/punctuation-insensitively through ALIASES.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator
from pathlib import Path

from complaints.record import Record, RecordBatch, Rejected
from complaints.sources._common import (
    NULLS,
    DateParser,
    clean,
    csv_blocks,
    date_order,
    fail,
    header_key,
    inner_name,
    json_records,
    open_text,
    parse_bool,
    sniff,
)

# canonical field -> header spellings (compared through header_key, so "ZIP code" == "zip_code").
ALIASES = {
    "source_id": ["Complaint ID", "complaint_id", "_id", "id"],
    "received": ["Date received", "date_received", "received"],
    "region": ["State", "state"],
    "zip": ["ZIP code", "zipcode", "zip", "zip_code"],
    "lender_name": ["Company", "company", "company_name"],
    "product": ["Product", "expected_category"],
    "sub_product": ["Sub-product", "sub_product", "subproduct"],
    "issue": ["Issue"],
    "sub_issue": ["Sub-issue", "sub_issue"],
    "channel": ["Submitted via", "submitted_via"],
    "status": ["Company response to consumer", "Company response", "company_response"],
    "public_response": ["Company public response", "company_public_response"],
    "timely_response": ["Timely response?", "timely_response", "timely"],
    "consumer_disputed": ["Consumer disputed?", "consumer_disputed"],
    "tags": ["Tags"],
    "narrative": ["Consumer complaint narrative", "complaint_what_happened", "consumer_complaint_narrative",
                  "narrative", "text"],
}
HEADER_TO_FIELD = {header_key(a): f for f, names in ALIASES.items() for a in names}

# Known CFPB columns we deliberately do not map, and columns added by third parties.
IGNORED = {header_key(h) for h in (
    "Date sent to company", "Consumer consent provided?", "has_narrative", "date_sent_to_company",
    "complaint_what_happened_length", "date_indexed", "date_received_formatted", "Unnamed: 0", "index",
)}
# A file is a CFPB export when it has at least one of these.
CORE = {"product", "issue", "narrative"}

BOOL_FIELDS = ("timely_response", "consumer_disputed")
DETECT_ROWS = 20_000  # rows buffered to detect day-first dates and files where no date parses
BATCH_ROWS = 5_000  # CSV rows per RecordBatch on the fast path
MEMO_LIMIT = 100_000  # distinct values remembered per column on the fast path


def read(path: Path, **options) -> Iterator[Record | Rejected]:
    """Row by row, in file order."""
    rejected: list[Rejected] = []  # a block's rejected rows come before its batch, not in row order
    for item in read_batches(path, **options):
        if isinstance(item, Rejected):
            rejected.append(item)
            continue
        rows = item.records() if isinstance(item, RecordBatch) else [item]
        yield from heapq.merge(sorted(rejected, key=_row_number), rows, key=_row_number)
        rejected = []
    yield from sorted(rejected, key=_row_number)


def _row_number(item: Record | Rejected) -> int:
    return item.row_number


def read_batches(path: Path, batch_rows: int = BATCH_ROWS, **options) -> Iterator[Record | Rejected | RecordBatch]:
    """The pipeline's fast path: CSV rows come column by column (one RecordBatch per `batch_rows`
    rows, its Rejected rows just before it), JSON records one by one."""
    path = Path(path)
    head = sniff(path)
    name = inner_name(path)
    if name.endswith((".json", ".jsonl", ".ndjson")) or head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        yield from _read_json(path)
    else:
        yield from _read_csv(path, head, batch_rows)


def _encoding(path: Path, head: bytes) -> str:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the sniff boundary
            return "cp1252"  # old Windows exports; cp1252 decodes almost anything
    return "utf-8-sig"


def _field_map(path: Path, headers: list[str]) -> dict[str, int]:
    """canonical field -> column index; SourceError when this is not a CFPB layout."""
    mapping: dict[str, int] = {}
    unknown = []
    for i, h in enumerate(headers):
        key = header_key(h)
        field = HEADER_TO_FIELD.get(key)
        if field and field not in mapping:
            mapping[field] = i
        elif key and key not in IGNORED and not field:
            unknown.append(h.strip()[:30])
    if not CORE & mapping.keys():
        shown = ", ".join(unknown[:8]) or "(none)"
        raise fail(path, 1, f"unknown columns: {shown} (expected a CFPB export with Product, Issue "
                            f"or Consumer complaint narrative)")
    return mapping


def _read_csv(path: Path, head: bytes, batch_rows: int) -> Iterator[Rejected | RecordBatch]:
    with open_text(path, _encoding(path, head), errors="replace") as text:
        blocks = csv_blocks(text, batch_rows)
        # The header, then enough rows to detect the date order, are read first.
        buffered: list[tuple[list, list]] = []
        seen = 0
        for rows, lines in blocks:
            buffered.append((rows, lines))
            seen += len(rows)
            if seen > DETECT_ROWS:
                break
        if not buffered:
            raise fail(path, 1, "empty file")
        headers = buffered[0][0].pop(0)
        buffered[0][1].pop(0)
        fmap = _field_map(path, headers)
        date_col = fmap.get("received")
        sample = [row for rows, _ in buffered for row in rows][:DETECT_ROWS]
        parse_date = _date_parser(path, [r[date_col] for r in sample if len(r) > date_col]
                                  if date_col is not None else [])
        layout = _Layout(headers, fmap, parse_date)
        first = 1
        for rows, lines in itertools.chain(buffered, blocks):
            if rows:
                yield from layout.columns(rows, lines, first)
                first += len(rows)


class _Layout:
    """Turns blocks of CSV rows into RecordBatch columns with the same values `_finish` gives row by
    row: each distinct value of a short column is cleaned once per block instead of once per row."""

    # Columns whose values repeat a lot (narratives and ids do not).
    UNIQUE = frozenset({"narrative", "source_id"})

    def __init__(self, headers: list[str], fmap: dict[str, int], parse_date: DateParser):
        self.width = len(headers)
        self.items = list(fmap.items())
        self.kept = [(headers[i], i) for _, i in self.items]
        self.parse_date = parse_date
        self.memos: dict[str, dict] = {}
        # The order a Record's fields dict lists its keys in (see _finish).
        self.names = [f for f, _ in self.items] + ([] if "source_id" in fmap else ["source_id"]) + ["country"]

    def memo_map(self, name: str, fn, values) -> list:
        """[fn(v) for v in values] for string (or None) values, fn called once per distinct value
        of the file (per `name`; a memo that grows too big starts over)."""
        memo = self.memos.setdefault(name, {})
        missing = set(values).difference(memo)
        if len(memo) + len(missing) > MEMO_LIMIT:
            memo.clear()
            missing = set(values)
        for v in missing:
            memo[v] = fn(v)
        return [memo[v] for v in values]

    def raw(self, row: list[str]) -> dict:  # only mapped columns go to quarantine
        return {h: row[i] for h, i in self.kept if i < len(row)}

    def columns(self, rows: list[list[str]], lines: list[int], first: int) -> Iterator[Rejected | RecordBatch]:
        width = self.width
        numbers = list(range(first, first + len(rows)))
        if set(map(len, rows)) != {width}:  # rare: malformed rows
            good = [j for j, row in enumerate(rows) if len(row) == width]
            for j, row in enumerate(rows):
                if len(row) != width:
                    yield Rejected(numbers[j], f"malformed row: {len(row)} fields, expected {width}", self.raw(row),
                                   lines[j])
            rows, lines, numbers = [rows[j] for j in good], [lines[j] for j in good], [numbers[j] for j in good]
        if not rows:
            return
        transposed = list(zip(*rows, strict=True))
        columns: dict[str, list] = {}
        for f, i in self.items:
            values = transposed[i]
            if f in self.UNIQUE:
                columns[f] = [None if (s := v.strip()) in NULLS else s for v in values]
            else:
                columns[f] = self.memo_map(f, clean, values)
        if "received" in columns:
            received = columns["received"]
            days = self.memo_map("date", lambda v: None if v is None else self.parse_date(v), received)
        else:
            received = days = [None] * len(rows)
        if None in days:  # rare: reject rows without a usable date, in row order
            keep = []
            for j, day in enumerate(days):
                if day is not None:
                    keep.append(j)
                elif received[j] is None:
                    yield Rejected(numbers[j], "no received date", self.raw(rows[j]), lines[j])
                else:
                    yield Rejected(numbers[j], f"unparseable date {received[j]!r} in Date received",
                                   self.raw(rows[j]), lines[j])
            if not keep:
                return
            columns = {f: [values[j] for j in keep] for f, values in columns.items()}
            days = [days[j] for j in keep]
            numbers = [numbers[j] for j in keep]
            lines = [lines[j] for j in keep]
        if "received" in columns:
            columns["received"] = days
        for k in BOOL_FIELDS:
            if k in columns:
                columns[k] = self.memo_map("bool", parse_bool, columns[k])
        if "zip" in columns:
            columns["zip"] = self.memo_map("pad_zip", _pad_zip, columns["zip"])
        if "region" in columns:
            columns["region"] = self.memo_map("upper", lambda r: r.upper() if r else r, columns["region"])
        columns.setdefault("source_id", [None] * len(numbers))
        columns["country"] = ["US"] * len(numbers)
        yield RecordBatch(numbers, lines, {name: columns[name] for name in self.names})


def _pad_zip(z: str | None) -> str | None:
    if z and len(z) in (3, 4) and z[0].isdigit():
        return z.zfill(5)  # a spreadsheet dropped the leading zero
    return z


def _date_parser(path: Path, sample: list[str]) -> DateParser:
    order = date_order(sample) or "mdy"
    parser = DateParser(order)
    values = [v for v in sample if v.strip() not in NULLS]
    if values and not any(parser(v) for v in values):
        raise fail(path, 2, f"unparseable dates: no date in the first {len(sample)} rows parses "
                            f"(e.g. {values[0]!r})")
    return parser


def _finish(number, fields, line, parse_date, raw) -> Record | Rejected:
    """Clean one mapped row; Rejected when it has no usable date."""
    for k, v in fields.items():
        if v is None or type(v) is str:
            fields[k] = clean(v)
        elif isinstance(v, list):
            fields[k] = ", ".join(str(x) for x in v) or None
        elif not isinstance(v, bool):
            fields[k] = clean(v)
    received = fields.get("received")
    if received is None:
        return Rejected(number, "no received date", raw(), line)
    day = parse_date(received)
    if day is None:
        return Rejected(number, f"unparseable date {received!r} in Date received", raw(), line)
    fields["received"] = day
    for k in BOOL_FIELDS:
        if k in fields:
            fields[k] = parse_bool(fields[k])
    z = fields.get("zip")
    if z:
        fields["zip"] = _pad_zip(z)
    r = fields.get("region")
    if r:
        fields["region"] = r.upper()
    fields.setdefault("source_id", None)  # no Complaint ID column: the pipeline derives a content key
    fields["country"] = "US"
    return Record(number, fields, line)


def _read_json(path: Path) -> Iterator[Record | Rejected]:
    with open_text(path, "utf-8-sig", errors="replace") as text:
        records = json_records(path, text)
        first = list(itertools.islice(records, DETECT_ROWS))
        if not first:
            raise fail(path, 1, "empty file (no records)")
        keys = _json_keys(first)
        fmap = _field_map(path, keys)
        by_field = {f: keys[i] for f, i in fmap.items()}
        sample = [str(_flat(r).get(by_field["received"]) or "") for r, _ in first] if "received" in by_field else []
        parse_date = _date_parser(path, sample)
        for number, (rec, line) in enumerate(itertools.chain(first, records), start=1):
            if not isinstance(rec, dict):
                yield Rejected(number, "not a JSON object", {"value": str(rec)[:200]}, line)
                continue
            flat = _flat(rec)
            fields = {f: flat.get(k) for f, k in by_field.items()}
            if "source_id" in fields and fields["source_id"] is None and "_id" in rec:
                fields["source_id"] = rec["_id"]
            yield _finish(number, fields, line, parse_date,
                          lambda flat=flat: {k: flat.get(k) for k in by_field.values()})


def _flat(rec: dict) -> dict:
    """API hits keep the complaint under `_source`."""
    src = rec.get("_source") if isinstance(rec, dict) else None
    return src if isinstance(src, dict) else rec


def _json_keys(sample: list) -> list[str]:
    """Every key seen in the sample records, in first-seen order."""
    keys: dict[str, None] = {}
    for rec, _ in sample:
        if isinstance(rec, dict):
            keys.update(dict.fromkeys(_flat(rec)))
    return list(keys)
