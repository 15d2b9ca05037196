"""Chinese complaint platforms (黑猫投诉 and similar): JSON array / wrapped object, JSON lines or CSV.

Encoding: UTF-8 (BOM or not), else GB18030/GBK, checked strictly over the whole file; UTF-8 that
was once decoded as Latin-1 (mojibake like 'æŠ•è¯‰') is repaired. Text is kept as written
(Simplified or Traditional). Scraper blobs such as
"2025-11-23 于黑猫投诉平台发起\\n<公司>\\n\\n<正文>\\n\\n[投诉对象]X[投诉要求]Y" are split into
date, body, lender and demand. Relative dates ("3小时前") and dates without a year are rejected
per row with the reason.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

from complaints.record import Record, Rejected
from complaints.sources._common import (
    DateParser,
    clean,
    csv_rows,
    detect_encoding,
    fail,
    header_key,
    inner_name,
    is_mojibake,
    json_table,
    open_text,
    parse_amount,
    repair_mojibake,
    sniff,
)

ALIASES = {
    "source_id": ["投诉编号", "编号", "投诉单号", "id", "complaint_id", "sn"],
    "received": ["发布时间", "投诉时间", "发起时间", "创建时间", "时间", "日期", "date", "time", "timestamp",
                 "created_at", "pubdate"],
    "title": ["投诉标题", "标题", "title"],
    "narrative": ["投诉详情", "投诉内容", "问题说明", "详情", "内容", "正文", "summary", "text", "content"],
    "lender_name": ["投诉对象", "被投诉方", "被投诉商家", "商家", "object", "company", "target"],
    "issue": ["投诉问题", "问题", "problem", "issue"],
    "demand": ["投诉要求", "诉求", "要求", "demands", "demand"],
    "amount": ["涉诉金额", "金额", "amount", "money"],
    "status": ["投诉进度", "进度", "状态", "处理状态", "status"],
    "region": ["地区", "省份", "所在地区", "province", "region"],
}
HEADER_TO_FIELD = {header_key(a): f for f, names in ALIASES.items() for a in names}
URL_KEYS = {header_key(k) for k in ("href", "url", "link", "链接", "网址")}
_URL_ID = re.compile(r"/view/(\d+)")

BLOB_MARK = re.compile(r"\[投诉对象\]|【投诉对象】|于黑猫投诉平台发起")
_BLOB_DATE = re.compile(r"(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)[^\n]*?于黑猫投诉平台发起\s*\n?")
_BLOB_FIELD = re.compile(r"[\[【](投诉对象|投诉要求|投诉问题|涉诉金额|投诉进度|投诉编号)[\]】]\s*(.*?)(?=[\[【]投诉|\n|$)")
_BLOB_KEY = {"投诉对象": "lender_name", "投诉要求": "demand", "投诉问题": "issue", "涉诉金额": "amount",
             "投诉进度": "status", "投诉编号": "source_id"}

_FULL_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_NO_YEAR = re.compile(r"^\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
_RELATIVE = re.compile(r"(\d+\s*(秒|分钟|分|小时|天|日|周|个月)前|刚刚|今天|昨天|前天|ago)", re.I)
_BEIJING = dt.timezone(dt.timedelta(hours=8))
DETECT_ROWS = 5_000


def parse_cn_date(value: str) -> dt.date | None:
    """'2025-11-03 12:01', '2025年11月3日', '2025/11/3', Unix seconds/milliseconds."""
    m = _FULL_DATE.search(value)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    s = value.strip()
    if s.isdigit() and len(s) in (10, 13):
        seconds = int(s) / (1000 if len(s) == 13 else 1)
        return dt.datetime.fromtimestamp(seconds, _BEIJING).date()
    return None


def date_problem(value: str) -> str:
    """Why a date value cannot be used."""
    if _RELATIVE.search(value):
        return f"relative date {value!r} (no absolute date to load)"
    if _NO_YEAR.match(value):
        return f"date without a year {value!r}"
    return f"unparseable date {value!r}"


def parse_blob(text: str) -> tuple[dict, str]:
    """Fields found in a scraper blob, and the blob's body text (header and [..] fields removed)."""
    found: dict = {}
    body = text
    m = _BLOB_DATE.search(text)
    if m:
        found["received"] = m.group(1)
        body = text[m.end():]
        # the line after "于黑猫投诉平台发起" is the complaint's list title (often the company name)
        first, _, rest = body.partition("\n")
        if first.strip() and rest:
            found["title"] = first.strip()
            body = rest
    for key, value in _BLOB_FIELD.findall(text):
        if value.strip():
            found[_BLOB_KEY[key]] = value.strip()
    cut = re.search(r"[\[【]投诉(对象|要求|问题)[\]】]", body)
    if cut:
        body = body[:cut.start()]
    return found, body.strip()


def read(path: Path, **options) -> Iterator[Record | Rejected]:
    path = Path(path)
    head = sniff(path)
    encoding = detect_encoding(path)
    first = head.decode(encoding if encoding != "utf-8-sig" else "utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    name = inner_name(path)
    with open_text(path, encoding) as text:
        lines = _maybe_repaired(path, text)
        if name.endswith((".json", ".jsonl", ".ndjson")) or first[:1] in ("[", "{"):
            rows = _json_rows(path, lines)
        else:
            rows = _csv_rows(path, lines)
        yield from _records(path, rows)


class _LineStream(io.TextIOBase):
    """A text stream over repaired lines (for the JSON reader)."""

    def __init__(self, lines):
        self._lines = iter(lines)

    def read(self, size=-1):
        return "".join(itertools.islice(self._lines, 1000)) if size else ""


def _maybe_repaired(path: Path, text):
    """The text stream itself, or repaired lines when it is mojibake."""
    sample = text.read(64 * 1024)
    text.seek(0)
    if not is_mojibake(sample):
        return text
    try:
        repair_mojibake(sample[: sample.rfind("\n") + 1] or sample)
    except UnicodeError:
        raise fail(path, 1, "garbled encoding: UTF-8 text that was decoded as Latin-1 "
                            "(mojibake) and cannot be repaired") from None
    return _repaired(path, text)


def _repaired(path: Path, text):
    for n, line in enumerate(text, start=1):
        try:
            yield repair_mojibake(line)
        except UnicodeError:
            raise fail(path, n, "garbled encoding: UTF-8 decoded as Latin-1 (mojibake) "
                                "that cannot be repaired") from None


def _simplified(text: str) -> str:
    if text.isascii():
        return text
    import opencc

    return opencc.OpenCC("t2s").convert(text)


def _columns(keys: list[str]) -> tuple[dict[str, str], str | None]:
    """canonical field -> key, and the URL key (ids hide in complaint links). Traditional-script
    headers (投訴編號) match their Simplified aliases."""
    mapping: dict[str, str] = {}
    url = None
    for k in keys:
        hk = header_key(_simplified(str(k)))
        f = HEADER_TO_FIELD.get(hk)
        if f and f not in mapping:
            mapping[f] = k
        elif hk in URL_KEYS and url is None:
            url = k
    return mapping, url


def _csv_rows(path, lines):
    """(number, dict row or None when malformed, raw, line, keys)"""
    rows = csv_rows(lines)
    try:
        headers, _ = next(rows)
    except StopIteration:
        raise fail(path, 1, "empty file") from None
    headers = [h.strip() for h in headers]
    yield headers
    width = len(headers)
    for number, (row, line) in enumerate(rows, start=1):
        if len(row) != width:
            raw = {h: v for h, v in zip(headers, row, strict=False) if header_key(_simplified(h)) in HEADER_TO_FIELD}
            yield number, None, f"malformed row: {len(row)} fields, expected {width}", raw, line
        else:
            yield number, dict(zip(headers, row, strict=True)), None, None, line


def _json_rows(path, lines):
    stream = lines if hasattr(lines, "read") else _LineStream(lines)
    yield from json_table(path, stream, DETECT_ROWS, require_rows=True)


def _records(path: Path, rows) -> Iterator[Record | Rejected]:
    keys = next(rows)
    mapping, url_key = _columns(keys)
    if not mapping:
        shown = ", ".join(str(k)[:20] for k in keys[:8]) or "(none)"
        raise fail(path, 1, f"unknown columns: {shown} "
                            f"(expected 黑猫-style fields such as 投诉对象, 投诉详情, 发布时间)")
    text_keys = [mapping[f] for f in ("title", "narrative") if f in mapping]
    buffered = list(itertools.islice(rows, DETECT_ROWS))
    has_blob_dates = any(
        row and any(BLOB_MARK.search(str(row.get(k) or "")) for k in text_keys) for _, row, *_ in buffered)
    if "received" not in mapping and not has_blob_dates:
        raise fail(path, 1, "no date column (expected 发布时间, 投诉时间 or date)")
    parse_date = DateParser(fallback=parse_cn_date)
    parse_date.order = "ymd"  # Chinese dates are year-first; numeric parse handles Y-M-D
    outcomes = (_one(n, row, problem, raw, line, mapping, url_key, text_keys, parse_date)
                for n, row, problem, raw, line in itertools.chain(buffered, rows))
    head = list(itertools.islice(outcomes, len(buffered)))
    if head and not any(isinstance(o, Record) for o in head):
        bad = [o.reason for o in head if o.reason.startswith(("unparseable date", "relative", "date without"))]
        if len(bad) == len(head):
            raise fail(path, head[0].line or 2, f"unparseable dates: no row's date parses (e.g. {bad[0]})")
    yield from head
    yield from outcomes


def _one(number, row, problem, raw, line, mapping, url_key, text_keys, parse_date):
    if row is None:
        return Rejected(number, problem, raw, line)
    raw = {k: row.get(k) for k in [*mapping.values(), url_key] if k}  # contact columns never leave
    fields = {f: clean(row.get(k)) for f, k in mapping.items()}
    for k in text_keys:
        value = row.get(k)
        if value and BLOB_MARK.search(str(value)):
            found, body = parse_blob(str(value))
            field = "title" if mapping.get("title") == k else "narrative"
            # a blob in the title column is the whole complaint: its body is the narrative
            if field == "title":
                fields["title"] = None
                if not fields.get("narrative"):
                    fields["narrative"] = body or None
            else:
                fields["narrative"] = body or None
            for f, v in found.items():
                if not fields.get(f):
                    fields[f] = v
    if not fields.get("source_id") and url_key:
        m = _URL_ID.search(str(row.get(url_key) or ""))
        if m:
            fields["source_id"] = m.group(1)
    received = fields.get("received")
    if received is None:
        return Rejected(number, "no received date", raw, line)
    day = parse_date(str(received))
    if day is None:
        return Rejected(number, date_problem(str(received)), raw, line)
    fields["received"] = day
    if "amount" in fields:
        fields["amount"] = parse_amount(fields["amount"])
    for f in ("issue", "demand", "lender_name"):
        if fields.get(f):
            fields[f] = fields[f].strip(" ,，")
    fields.setdefault("source_id", None)  # no id: the pipeline derives a content key
    fields["country"] = "CN"
    return Record(number, fields, line)
