"""Helpers shared by the source adapters: opening (plain, .gz, .zip), sniffing bad files, encodings,
streaming CSV / JSON records, and cheap per-value parsers (dates, booleans, amounts).

Per-row work is kept light: dates are parsed through a per-file cache because a complaint file
repeats the same few thousand dates over and over.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import io
import itertools
import json
import re
import sys
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from complaints.record import SourceError

# Narratives can be long; the csv module's default limit (128 KiB) is too small for some exports.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

# Values that mean "no value" in the exports we know (the CFPB website writes the literal "None").
NULLS = frozenset({"", "None", "none", "NULL", "null", "NA", "N/A", "n/a", "nan", "NaN", "-"})

SNIFF_BYTES = 64 * 1024


def fail(path: Path, line: int | None, what: str) -> SourceError:
    """A SourceError whose message names the file (base name only) and the line."""
    where = f"line {line}: " if line else ""
    return SourceError(f"{Path(path).name}: {where}{what}")


def header_key(name: str) -> str:
    """Header as a lookup key: case, spaces, underscores and punctuation do not matter."""
    return re.sub(r"[\W_]+", "", str(name).casefold())


# ---------------------------------------------------------------------------------------------
# Opening files


def inner_name(path: Path) -> str:
    """The name that decides the format: 'x.csv.gz' -> 'x.csv'; a zip -> its first data member."""
    name = path.name.lower()
    if name.endswith(".gz"):
        return name[:-3]
    if name.endswith(".zip"):
        member = _zip_member(path)
        return member.lower() if member else name
    return name


def _zip_member(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if not n.endswith("/") and not n.startswith("__MACOSX")]
    except zipfile.BadZipFile as exc:
        raise fail(path, None, f"not a readable zip archive ({exc})") from None
    for ext in (".csv", ".json", ".jsonl", ".ndjson", ".txt"):
        for n in names:
            if n.lower().endswith(ext):
                return n
    return names[0] if names else None


def open_binary(path: Path) -> io.BufferedIOBase:
    """The file's decompressed bytes as a stream (.gz and .zip are opened transparently)."""
    path = Path(path)
    if not path.is_file():
        raise fail(path, None, "no such file")
    name = path.name.lower()
    if name.endswith(".gz"):
        return gzip.open(path, "rb")
    if name.endswith(".zip"):
        member = _zip_member(path)
        if member is None:
            raise fail(path, None, "empty zip archive (no file inside)")
        zf = zipfile.ZipFile(path)
        return zf.open(member)
    return open(path, "rb")


def sniff(path: Path) -> bytes:
    """First bytes of the (decompressed) file; raises SourceError for empty or binary files."""
    try:
        with open_binary(path) as f:
            head = f.read(SNIFF_BYTES)
    except (OSError, EOFError, zipfile.BadZipFile) as exc:
        raise fail(path, None, f"cannot read the file ({exc})") from None
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise fail(path, 1, "empty file")
    if looks_binary(head):
        raise fail(path, 1, "binary file, not text (expected CSV or JSON)")
    return head


def looks_binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 BOM: text, but not one we read
        return True
    return b"\x00" in head[:8192] or head.startswith((b"PK\x03\x04", b"\x1f\x8b", b"PAR1", b"%PDF"))


# ---------------------------------------------------------------------------------------------
# Encodings

MOJIBAKE_CHARS = frozenset("ÃÂåæçèéäïðâ€¦¤¥§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿")


def _decodes(path: Path, encoding: str) -> tuple[bool, int]:
    """Whether the whole file decodes strictly; else (False, line of the first bad byte)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    line = 1
    with open_binary(path) as f:
        while chunk := f.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return False, line + chunk[: exc.start].count(b"\n")
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False, line
    return True, line


def detect_encoding(path: Path, candidates: Iterable[str] = ("utf-8-sig", "gb18030")) -> str:
    """First candidate that decodes the whole file strictly, else SourceError naming the line."""
    first_bad = None
    for enc in candidates:
        ok, line = _decodes(path, enc)
        if ok:
            return enc
        first_bad = first_bad or line
    raise fail(path, first_bad, f"undetectable encoding (not {' / '.join(candidates)})")


def mojibake_score(text: str) -> tuple[int, int]:
    """(suspicious Latin-1 chars, CJK chars) in a sample."""
    bad = sum(1 for ch in text if ch in MOJIBAKE_CHARS)
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return bad, cjk


def is_mojibake(sample: str) -> bool:
    """UTF-8 Chinese that was decoded as Latin-1/cp1252 and saved again: 'æŠ•è¯‰' instead of '投诉'."""
    bad, cjk = mojibake_score(sample)
    return bad >= 8 and bad > 2 * cjk


def repair_mojibake(text: str) -> str:
    for enc in ("cp1252", "latin-1"):
        try:
            return text.encode(enc).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    raise UnicodeError("not repairable")


def open_text(path: Path, encoding: str = "utf-8-sig", errors: str = "strict") -> io.TextIOWrapper:
    return io.TextIOWrapper(open_binary(path), encoding=encoding, errors=errors, newline="")


# ---------------------------------------------------------------------------------------------
# Streaming readers


def csv_rows(lines: Iterable[str], **fmt) -> Iterator[tuple[list[str], int]]:
    """(fields, first physical line of the row) for each CSV row, header included. Empty lines
    are not rows (as for pandas and DuckDB), so they are skipped rather than quarantined."""
    reader = csv.reader(lines, **fmt)
    start = 1
    for row in reader:
        if row:
            yield row, start
        start = reader.line_num + 1


def csv_blocks(lines: Iterable[str], size: int, **fmt) -> Iterator[tuple[list[list[str]], list[int]]]:
    """csv_rows by blocks of `size` rows: (rows, first physical line of each row), header included."""
    reader = csv.reader(lines, **fmt)
    rows: list[list[str]] = []
    starts: list[int] = []
    start = 1
    for row in reader:
        if row:
            rows.append(row)
            starts.append(start)
            if len(rows) >= size:
                yield rows, starts
                rows, starts = [], []
        start = reader.line_num + 1
    if rows:
        yield rows, starts


def json_records(path: Path, text: io.TextIOBase) -> Iterator[tuple[object, int]]:
    """(record, line) for a JSON array, JSON lines, or one object wrapping a list of records
    (`{"hits": {"hits": [...]}}`, `{"data": [...]}`, ...). Arrays and lines are streamed."""
    decoder = json.JSONDecoder()
    buf = ""
    pos = 0
    line = 1
    eof = False

    def fill() -> bool:
        nonlocal buf, pos, eof
        if eof:
            return False
        chunk = text.read(1 << 20)
        if not chunk:
            eof = True
            return False
        buf = buf[pos:] + chunk
        pos = 0
        return True

    def skip(chars: str) -> str:
        """Skip chars (counting newlines); return the next other char, '' at end of input."""
        nonlocal pos, line
        while True:
            while pos < len(buf) and buf[pos] in chars:
                if buf[pos] == "\n":
                    line += 1
                pos += 1
            if pos < len(buf):
                return buf[pos]
            if not fill():
                return ""

    def value() -> tuple[object, int]:
        nonlocal pos, line
        start_line = line
        while True:
            try:
                obj, end = decoder.raw_decode(buf, pos)
            except json.JSONDecodeError as exc:
                if not eof and fill():
                    continue
                raise fail(path, start_line + buf.count("\n", pos, exc.pos), f"invalid JSON ({exc.msg})") from None
            # a value that ends exactly at the buffer end may be cut (a number): read more first
            if end == len(buf) and not eof and fill():
                continue
            line += buf.count("\n", pos, end)
            pos = end
            return obj, start_line

    first = skip(" \t\r\n\ufeff")
    if first == "":
        raise fail(path, 1, "empty file")
    if first == "[":
        pos += 1
        while True:
            ch = skip(" \t\r\n,")
            if ch == "]" or ch == "":
                return
            yield value()
    if first != "{":
        raise fail(path, line, "not JSON: expected an array or objects")
    obj, start = value()
    nxt = skip(" \t\r\n")
    if nxt == "{":  # JSON lines
        yield obj, start
        while skip(" \t\r\n") == "{":
            yield value()
        if skip(" \t\r\n"):
            raise fail(path, line, "invalid JSON lines (a line is not an object)")
        return
    records = unwrap(obj)
    if records is None:
        yield obj, start  # a single record
        return
    for i, rec in enumerate(records):
        yield rec, start if i == 0 else None


def unwrap(obj: dict) -> list | None:
    """The list of records inside a wrapper object, or None when obj itself looks like a record."""
    hits = obj.get("hits")
    if isinstance(hits, dict) and isinstance(hits.get("hits"), list):
        return hits["hits"]
    for key in ("data", "complaints", "records", "items", "results", "list", "rows"):
        if isinstance(obj.get(key), list):
            return obj[key]
        if isinstance(obj.get(key), dict):
            inner = unwrap(obj[key])
            if inner is not None:
                return inner
    lists = [v for v in obj.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
    return lists[0] if len(lists) == 1 else None


# ---------------------------------------------------------------------------------------------
# Value parsers


def clean(value) -> str | None:
    if value is None:
        return None
    s = value.strip() if isinstance(value, str) else str(value).strip()
    return None if s in NULLS else s


_TRUE = frozenset({"yes", "y", "true", "t", "1", "是"})
_FALSE = frozenset({"no", "n", "false", "f", "0", "否"})


def parse_bool(value) -> bool | None:
    if isinstance(value, bool):
        return value
    if value is None:
        return None
    s = str(value).strip().casefold()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    return None


_NUMERIC_DATE = re.compile(r"^\s*(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})(?:[ T].*)?$")


def date_order(values: Iterable[str]) -> str | None:
    """'dmy' or 'mdy' from sample values like 27-04-2023 / 3/18/20; None when nothing decides it.
    A first field > 12 means day-first, a second field > 12 means month-first."""
    for v in values:
        m = _NUMERIC_DATE.match(v or "")
        if not m or len(m.group(1)) == 4:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        if a > 12 >= b:
            return "dmy"
        if b > 12 >= a:
            return "mdy"
    return None


def _year(y: str) -> int:
    n = int(y)
    if len(y) <= 2:
        return 2000 + n if n < 70 else 1900 + n
    return n


def parse_numeric_date(value: str, order: str = "mdy") -> dt.date | None:
    """ISO (2020-03-18, with or without time), Y/M/D, and M/D/Y(Y) or D-M-Y by `order`."""
    m = _NUMERIC_DATE.match(value)
    if not m:
        return None
    a, b, c = m.groups()
    try:
        if len(a) == 4:
            return dt.date(int(a), int(b), int(c))
        if len(c) not in (2, 4):
            return None
        if order == "dmy":
            return dt.date(_year(c), int(b), int(a))
        return dt.date(_year(c), int(a), int(b))
    except ValueError:
        return None


class DateParser:
    """Cached date parser for one file (dates repeat a lot)."""

    def __init__(self, order: str = "mdy", fmt: str | None = None,
                 fallback: Callable[[str], dt.date | None] | None = None):
        self.order = order
        self.fmt = fmt
        self.fallback = fallback
        self.cache: dict[str, dt.date | None] = {}

    def __call__(self, value: str) -> dt.date | None:
        try:
            return self.cache[value]
        except KeyError:
            pass
        result = None
        if self.fmt:
            try:
                result = dt.datetime.strptime(value.strip(), self.fmt).date()
            except ValueError:
                result = None
        else:
            result = parse_numeric_date(value, self.order)
            if result is None and self.fallback:
                result = self.fallback(value)
        if len(self.cache) < 100_000:
            self.cache[value] = result
        return result


_AMOUNT = re.compile(r"(\d[\d,，]*(?:\.\d+)?)\s*(万|千|亿|w|W|k|K)?")
_UNIT = {"万": 1e4, "w": 1e4, "W": 1e4, "千": 1e3, "k": 1e3, "K": 1e3, "亿": 1e8}


def parse_amount(value) -> float | None:
    """'5000元', '¥1,200.50', '1.2万', 3000 -> float; None when there is no number."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    m = _AMOUNT.search(str(value))
    if not m:
        return None
    number = float(m.group(1).replace(",", "").replace("，", ""))
    return number * _UNIT.get(m.group(2) or "", 1.0)


def json_table(path: Path, text, detect_rows: int, *, require_rows: bool = False):
    """JSON records as a table: first the keys seen in the first `detect_rows` records, then one
    (number, record, reason, raw, line) per record; a record that is not an object is rejected."""
    records = json_records(path, text)
    first = list(itertools.islice(records, detect_rows))
    if require_rows and not first:
        raise fail(path, 1, "empty file (no records)")
    keys: dict[str, None] = {}
    for rec, _ in first:
        if isinstance(rec, dict):
            keys.update(dict.fromkeys(rec))
    yield list(keys)
    for number, (rec, line) in enumerate(itertools.chain(first, records), start=1):
        if isinstance(rec, dict):
            yield number, rec, None, None, line
        else:
            yield number, None, "not a JSON object", {"value": str(rec)[:200]}, line
