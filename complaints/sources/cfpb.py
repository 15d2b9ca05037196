"""CFPB Consumer Complaint Database: every CSV/JSON layout we have met.

Handled: the 18-column bulk export and today's 16-column one, the website export (MM/DD/YY, the
literal "None" for empty), spreadsheet round-trips (M/D/YY, CRLF, ZIPs that lost a leading zero),
the 2012-2017 Socrata/Kaggle layouts (13/14 columns, unnamed pandas index column, legacy issue names),
snake_case / API-style / underscore headers (DD-MM-YYYY dates detected per file), .csv, .csv.gz,
.zip and JSON (API hits with `_source`, plain objects, arrays keyed by CSV headers, JSON lines).
Headers are matched case/space/underscore/punctuation-insensitively through ALIASES.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

from complaints.record import Record, Rejected
from complaints.sources._common import (
    NULLS,
    DateParser,
    clean,
    csv_rows,
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


def read(path: Path, **options) -> Iterator[Record | Rejected]:
    path = Path(path)
    head = sniff(path)
    name = inner_name(path)
    if name.endswith((".json", ".jsonl", ".ndjson")) or head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        yield from _read_json(path)
    else:
        yield from _read_csv(path, head)


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


def _read_csv(path: Path, head: bytes) -> Iterator[Record | Rejected]:
    with open_text(path, _encoding(path, head), errors="replace") as text:
        rows = csv_rows(text)
        try:
            headers, _ = next(rows)
        except StopIteration:
            raise fail(path, 1, "empty file") from None
        fmap = _field_map(path, headers)
        width = len(headers)
        date_col = fmap.get("received")
        buffered = list(itertools.islice(rows, DETECT_ROWS))
        parse_date = _date_parser(path, [r[0][date_col] for r in buffered if len(r[0]) > date_col]
                                  if date_col is not None else [])
        items = list(fmap.items())
        kept = [(headers[i], i) for _, i in items]

        def raw(row):  # only mapped columns go to quarantine
            return {h: row[i] for h, i in kept if i < len(row)}

        for number, (row, line) in enumerate(itertools.chain(buffered, rows), start=1):
            if len(row) != width:
                yield Rejected(number, f"malformed row: {len(row)} fields, expected {width}", raw(row), line)
                continue
            fields = {f: row[i] for f, i in items}
            yield _finish(number, fields, line, parse_date, lambda row=row: raw(row))


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
    if z and len(z) in (3, 4) and z[0].isdigit():
        fields["zip"] = z.zfill(5)  # a spreadsheet dropped the leading zero
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
