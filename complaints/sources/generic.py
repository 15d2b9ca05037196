"""Any CSV, JSON lines / JSON array or Parquet file, described by a small TOML mapping file:

    [source]
    name = "my_survey"          # becomes complaints.source; lower-case letters, digits, _ and -
    country = "GB"              # optional: ISO code for every row (or map a `country` column)
    date_format = "%d/%m/%Y"    # optional strptime format; default: ISO / M/D/Y, day-first detected
    encoding = "utf-8"          # optional, CSV only (default utf-8 with or without BOM)
    delimiter = ","             # optional, CSV only

    [columns]                   # canonical field = column name in the file
    source_id = "case_ref"
    received = "opened"
    lender_name = "firm"
    narrative = "story"

Only canonical fields (complaints.record.CANONICAL_FIELDS) can be mapped, so contact columns
(names, phones, addresses) can never reach the store: unmapped columns are dropped.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

from complaints.record import CANONICAL_FIELDS, Record, Rejected, SourceError
from complaints.sources._common import (
    NULLS,
    DateParser,
    clean,
    csv_rows,
    date_order,
    detect_encoding,
    fail,
    inner_name,
    json_table,
    open_text,
    parse_amount,
    parse_bool,
    sniff,
)
from complaints.sources.tousu import parse_cn_date

RESERVED_SOURCES = {"cfpb", "tousu", "demo"}
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
SOURCE_KEYS = {"name", "country", "date_format", "encoding", "delimiter", "dayfirst"}
DETECT_ROWS = 20_000


def load_mapping(mapping: Path) -> dict:
    """The validated mapping: {'name', 'country', 'date_format', 'encoding', 'delimiter', 'columns'}."""
    mapping = Path(mapping)
    try:
        data = tomllib.loads(mapping.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(f"{mapping.name}: mapping file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"{mapping.name}: not a valid TOML mapping ({exc})") from None
    src = data.get("source")
    cols = data.get("columns")
    if not isinstance(src, dict) or not isinstance(cols, dict):
        raise SourceError(f"{mapping.name}: a mapping needs a [source] table and a [columns] table")
    name = src.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise SourceError(f"{mapping.name}: [source] name must be a short lower-case slug "
                          f"like \"my_survey\" (got {name!r})")
    if name in RESERVED_SOURCES:
        raise SourceError(f"{mapping.name}: source name {name!r} is reserved (use the {name} source)")
    extra = sorted(set(src) - SOURCE_KEYS)
    if extra:
        raise SourceError(f"{mapping.name}: unknown [source] keys: {', '.join(extra)} "
                          f"(allowed: {', '.join(sorted(SOURCE_KEYS))})")
    unknown = sorted(set(cols) - set(CANONICAL_FIELDS))
    if unknown:
        raise SourceError(f"{mapping.name}: unknown canonical fields in [columns]: {', '.join(unknown)} "
                          f"(allowed: {', '.join(CANONICAL_FIELDS)})")
    bad = sorted(k for k, v in cols.items() if not isinstance(v, str) or not v)
    if bad:
        raise SourceError(f"{mapping.name}: [columns] values must be column names: {', '.join(bad)}")
    if "received" not in cols:
        raise SourceError(f"{mapping.name}: [columns] must map `received` (the complaint date)")
    return {"name": name, "country": src.get("country"), "date_format": src.get("date_format"),
            "encoding": src.get("encoding", "utf-8-sig"), "delimiter": src.get("delimiter", ","),
            "dayfirst": src.get("dayfirst"), "columns": dict(cols)}


def source_name(mapping: Path) -> str:
    """The source name the mapping declares (complaints.source for its rows)."""
    return load_mapping(mapping)["name"]


def read(path: Path, mapping: Path | None = None, **options) -> Iterator[Record | Rejected]:
    path = Path(path)
    if mapping is None:
        raise fail(path, None, "the generic source needs a mapping file")
    spec = load_mapping(mapping)
    name = inner_name(path)
    if name.endswith(".parquet"):
        rows = _parquet_rows(path)
    else:
        head = sniff(path)
        first = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if name.endswith((".json", ".jsonl", ".ndjson")) or first in (b"[", b"{"):
            rows = _json_rows(path)
        else:
            rows = _csv_rows(path, spec)
    yield from _records(path, Path(mapping), spec, rows)


def _csv_rows(path, spec):
    try:
        detect_encoding(path, (spec["encoding"],))  # one strict pass, so the error names the line
    except LookupError:
        raise fail(path, None, f"unknown encoding {spec['encoding']!r} in the mapping") from None
    except SourceError as exc:
        raise SourceError(f"{exc}; set encoding in the mapping") from None
    with open_text(path, spec["encoding"]) as text:
        rows = csv_rows(text, delimiter=spec["delimiter"])
        try:
            headers, _ = next(rows)
        except StopIteration:
            raise fail(path, 1, "empty file") from None
        headers = [h.strip() for h in headers]
        yield headers
        mapped = set(spec["columns"].values())
        width = len(headers)
        for number, (row, line) in enumerate(rows, start=1):
            if len(row) != width:
                raw = {h: v for h, v in zip(headers, row, strict=False) if h in mapped}
                yield number, None, f"malformed row: {len(row)} fields, expected {width}", raw, line
            else:
                yield number, dict(zip(headers, row, strict=True)), None, None, line


def _json_rows(path):
    with open_text(path, "utf-8-sig") as text:
        yield from json_table(path, text, DETECT_ROWS)


def _parquet_rows(path):
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for bad files
        raise fail(path, None, f"not a readable Parquet file ({exc})") from None
    yield list(pf.schema_arrow.names)
    number = 0
    for batch in pf.iter_batches(batch_size=50_000):
        for row in batch.to_pylist():
            number += 1
            yield number, row, None, None, None


def _records(path: Path, mapping_path: Path, spec: dict, rows) -> Iterator[Record | Rejected]:
    keys = next(rows)
    cols = spec["columns"]
    missing = sorted(f"{f} -> {c!r}" for f, c in cols.items() if c not in keys)
    if missing:
        raise fail(path, 1, f"columns named in {mapping_path.name} are missing from the file: "
                            f"{', '.join(missing)} (the file has: {', '.join(map(str, keys[:12]))})")
    buffered = list(itertools.islice(rows, DETECT_ROWS))
    date_col = cols["received"]
    sample = [str(r[date_col]) for _, r, *_ in buffered if r and r.get(date_col) is not None]
    if spec["dayfirst"] is not None:
        order = "dmy" if spec["dayfirst"] else "mdy"
    else:
        order = date_order(sample) or "mdy"
    parse_date = DateParser(order, fmt=spec["date_format"], fallback=parse_cn_date)
    values = [v for v in sample if v.strip() not in NULLS]
    if values and not any(parse_date(v) for v in values):
        hint = f" with date_format {spec['date_format']!r}" if spec["date_format"] else ""
        raise fail(path, 2, f"unparseable dates in column {date_col!r}{hint}: no row's date parses "
                            f"(e.g. {values[0]!r})")
    items = list(cols.items())
    country = spec["country"]
    for number, row, problem, raw, line in itertools.chain(buffered, rows):
        if row is None:
            yield Rejected(number, problem, raw, line)
            continue
        fields = {}
        for f, c in items:
            v = row.get(c)
            fields[f] = v if isinstance(v, bool | int | float) and f in ("amount", "timely_response",
                                                                           "consumer_disputed") else clean(v)
        received = row.get(date_col)
        if hasattr(received, "year") and hasattr(received, "day"):  # Parquet date/timestamp
            fields["received"] = received if type(received).__name__ == "date" else received.date()
        elif fields.get("received") is None:
            yield Rejected(number, f"no date in column {date_col!r}", _raw(row, cols), line)
            continue
        else:
            day = parse_date(fields["received"])
            if day is None:
                yield Rejected(number, f"unparseable date {fields['received']!r} in {date_col}",
                               _raw(row, cols), line)
                continue
            fields["received"] = day
        if "amount" in fields:
            fields["amount"] = parse_amount(fields["amount"])
        for b in ("timely_response", "consumer_disputed"):
            if b in fields:
                fields[b] = parse_bool(fields[b])
        if country and not fields.get("country"):
            fields["country"] = country
        fields.setdefault("source_id", None)  # no id column: the pipeline derives a content key
        yield Record(number, fields, line)


def _raw(row: dict, cols: dict) -> dict:
    """Only the mapped columns: unmapped ones may hold contact details."""
    return {c: (None if row.get(c) is None else str(row.get(c))) for c in cols.values()}
