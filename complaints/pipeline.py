"""Ingest pipeline: source file -> adapter -> anonymize -> language -> classify -> lender -> store.

Design (see docs/ingest.md for the long version):
- Everything a command loads goes through ONE `store.writer()`: a private copy of the store that is
  published by an atomic rename only when every file loaded. A failure or a kill leaves the
  published store exactly as it was (all-or-nothing per command).
- Rows stream from the adapter in batches of BATCH_ROWS. A batch is turned into Arrow tables by
  `process_batch` (validate, hash ids, scrub, detect language, classify, match lender, drop
  duplicates within the batch) - inline for small inputs, on a fork pool of worker processes for big
  ones, with at most a few batches in flight so memory stays bounded whatever the file size.
- The parent inserts each batch with DuckDB from Arrow (no per-row INSERT) after one SQL semi-join
  that finds which complaint ids the store already holds. complaint_id is a hash of
  source + source_key, so "same id" means "same source and source key"; earlier batches of the same
  run are already in the table, so within-run duplicates are caught the same way.
- Every row read is loaded, counted as a duplicate or quarantined with a reason:
  rows_read = rows_loaded + rows_duplicate + rows_quarantined.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import functools
import gc
import hashlib
import json
import math
import multiprocessing
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa

import complaints
from complaints import anonymize, language, tactics
from complaints import store as store_mod
from complaints.record import TEXT_FIELDS, Record, RecordBatch, Rejected, SourceError
from complaints.runreport import RunReport

# Big enough that the per-batch costs (one id lookup, three INSERTs, pickling) stay small: at 10k
# rows the id lookups alone cost the parent 2 us/row more.
BATCH_ROWS = 20_000
# Inputs at least this big (bytes, summed over the command's files) go through the worker pool;
# smaller ones are processed inline, where forking would cost more than it saves.
POOL_MIN_BYTES = 4 * 1024 * 1024
MIN_RECEIVED = dt.date(2000, 1, 1)
WRITER_MEMORY_LIMIT = "1GB"
COMMIT_ROWS = 200_000

COMPLAINT_COLUMNS = (
    ("complaint_id", pa.int64()), ("source", pa.string()), ("source_key", pa.string()),
    ("received", pa.date32()), ("country", pa.string()), ("region", pa.string()),
    ("zip3", pa.string()), ("lender_id", pa.string()), ("lender_name", pa.string()),
    ("product", pa.string()), ("sub_product", pa.string()), ("issue", pa.string()),
    ("sub_issue", pa.string()), ("channel", pa.string()), ("status", pa.string()),
    ("public_response", pa.string()), ("timely_response", pa.bool_()),
    ("consumer_disputed", pa.bool_()), ("tags", pa.string()), ("title", pa.string()),
    ("demand", pa.string()), ("amount", pa.float64()), ("narrative", pa.string()),
    ("has_narrative", pa.bool_()), ("language", pa.string()), ("run_id", pa.string()),
)
COMPLAINT_SCHEMA = pa.schema(COMPLAINT_COLUMNS)
TACTIC_SCHEMA = pa.schema([
    ("complaint_id", pa.int64()), ("tactic_id", pa.string()), ("label_source", pa.string()),
    ("field", pa.string()), ("evidence_start", pa.int32()), ("evidence_end", pa.int32()),
    ("evidence", pa.string()), ("taxonomy_version", pa.string()),
])
QUARANTINE_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("row_number", pa.int64()), ("line", pa.int64()),
    ("reason", pa.string()), ("row_json", pa.string()),
])
_STRING_FIELDS = ("country", "lender_name", "product", "sub_product", "issue", "sub_issue", "channel",
                  "status", "tags")
# Text fields the classifier reads, in this order.
CLASSIFIED_FIELDS = ("narrative", "title")


class IngestError(Exception):
    """A load that must not happen (wrong kind of store, missing file...). The message is for users."""


# ---------------------------------------------------------------------------------------------
# Per-row helpers (pure functions; run in workers)


def complaint_id(source: str, source_key: str) -> int:
    """First 8 bytes of sha256(source + source_key) as a non-negative signed 64-bit int (63 bits)."""
    digest = hashlib.sha256((source + source_key).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") & 0x7FFF_FFFF_FFFF_FFFF


def source_key(source: str, fields: dict) -> str:
    """Keyed hash of the source's own id; without one, of the row's content."""
    raw_id = fields.get("source_id")
    if raw_id is not None and str(raw_id).strip():
        return anonymize.keyed_hash(f"{source}:{str(raw_id).strip()}")
    return anonymize.keyed_hash(_content_key_input(source, fields))


_CN_PROVINCES = (
    "黑龙江", "内蒙古", "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南",
    "陕西", "甘肃", "青海", "台湾", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
_HAN = re.compile(r"[\u4e00-\u9fff]")


def province_region(region: object) -> str | None:
    """State or province only: '广东省深圳市南山区' -> '广东'; a value with digits (an address) -> None."""
    if region is None:
        return None
    text = str(region).strip()
    if not text or any(ch.isdigit() for ch in text):
        return None
    if _HAN.search(text):
        for province in _CN_PROVINCES:
            if text.startswith(province):
                return province
        return None   # a city or district alone is finer than a province
    return text if len(text) <= 40 else None


# Regions and ZIPs repeat a lot: a few thousand distinct values per million rows.
_cached_region = functools.lru_cache(maxsize=8192)(province_region)
_cached_zip3 = functools.lru_cache(maxsize=65536)(lambda zip_code: anonymize.zip3(zip_code))


def received_problem(value: object, tomorrow: dt.date) -> str | None:
    if value is None or value == "":
        return "missing received date"
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return f"received date is not a date: {str(value)[:40]!r}"
    if value < MIN_RECEIVED:
        return f"implausible received date {value.isoformat()} (before 2000)"
    if value > tomorrow:
        return f"implausible received date {value.isoformat()} (in the future)"
    return None


# Quarantined rows keep their content for diagnosis but lose anything that points at a person.
_CONTACT_KEY = re.compile(
    r"(^|[^a-z])(name|names|phone|phones|mobile|tel|telephone|cell|email|e_mail|mail|address|addr|street|"
    r"ssn|passport|wechat|weixin|qq|contact)([^a-z]|$)|id_?(card|number|no)|social_security|zip|postcode|"
    r"姓名|名字|电话|手机|邮箱|地址|住址|身份证|证件|联系|微信|邮编|户籍",
)


def is_contact_key(key: str) -> bool:
    normalized = re.sub(r"[\W_]+", "_", str(key).casefold())
    return bool(_CONTACT_KEY.search(normalized))


def quarantine_json(raw: dict) -> str:
    """The row as JSON: contact columns and raw ids dropped, every string scrubbed."""
    clean = {}
    for key, value in raw.items():
        if is_contact_key(key) or key == "source_id":
            continue
        if isinstance(value, str):
            value = anonymize.scrub(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif not (value is None or isinstance(value, bool | int | float)):
            value = anonymize.scrub(str(value))
        clean[str(key)] = value
    return json.dumps(clean, ensure_ascii=False, default=str)


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    return text if text.strip() else None


def _amount(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _bool(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


# ---------------------------------------------------------------------------------------------
# Batch processing (inline or in a worker process)

# Set in the parent before the pool forks, so workers inherit them without pickling.
_CONTEXT: dict = {}


class _NullRegistry:
    def match(self, name):
        return None

    def rows(self):
        return []


def _set_context(registry) -> None:
    _CONTEXT.clear()
    _CONTEXT.update(registry=registry, lender_cache={}, sub_issue_cache={}, scrub_cache={},
                    taxonomy_version=tactics.taxonomy_version())


# One text per script: the classifier, scrubber and language detector build their matchers on first use.
_WARM_UP_TEXTS = ("They called my work and threatened to sue me, call 555-201-8877.",
                  "催收员打电话给我的家人，威胁要起诉我。", "催收員打電話給我的家人，威脅要起訴我。")


def _warm_up() -> None:
    """Build the text matchers once in the parent, before the pool forks: otherwise every worker
    spends its own ~2.5 s CPU analysing the patterns. (Their regexes are compiled on first use, so each
    worker compiles those its texts need.)"""
    for text in _WARM_UP_TEXTS:
        tactics.classify(anonymize.scrub(text))
        language.detect(text)


def _match_lender(name: str | None) -> str | None:
    if not name:
        return None
    cache = _CONTEXT["lender_cache"]
    if name not in cache:
        if len(cache) > 200_000:
            cache.clear()
        cache[name] = _CONTEXT["registry"].match(name)
    return cache[name]


def _sub_issue_tactics(issue: str | None, sub_issue: str | None) -> list[str]:
    cache = _CONTEXT["sub_issue_cache"]
    key = (issue, sub_issue)
    if key not in cache:
        cache[key] = list(tactics.sub_issue_tactics(issue, sub_issue)) if sub_issue else []
    return cache[key]


def _scrub(field: str, text: str | None) -> str | None:
    if text is None:
        return None
    if field != "public_response":
        return anonymize.scrub(text)
    # Company public responses are a handful of boilerplate sentences repeated a million times.
    cache = _CONTEXT["scrub_cache"]
    if text not in cache:
        if len(cache) > 10_000:
            cache.clear()
        cache[text] = anonymize.scrub(text)
    return cache[text]


# A batch goes through two stages:
# 1. `_identify`, in the parent, column by column and cheap: quarantine rejected rows and bad dates,
#    hash the ids, drop duplicates (within the batch, rows the store holds, rows of batches still in
#    flight) and build every column that needs no text work (dates, categories, region, zip3, lender).
# 2. `_anonymize_and_label`, in a worker (or inline): scrub the free-text fields, detect the
#    language, classify, add sub-issue labels. Only the texts travel to the worker, and the scrubbed
#    ones come back as Arrow arrays (buffers are cheap to pickle, a list of strings is not).
# Duplicates are gone before stage 2, so a re-ingest costs the adapter plus hashing.

_UNSET = object()


def _map_values(fn, values: list) -> list:
    """[fn(v) for v in values], calling fn once per distinct value when the values are strings or
    None and repeat (categories, names, ZIPs). Other types are mapped one by one: True == 1 == 1.0
    must not share a result."""
    try:
        distinct = set(values)
    except TypeError:
        return [fn(v) for v in values]
    if len(distinct) * 2 > len(values) or not all(v is None or type(v) is str for v in distinct):
        return [fn(v) for v in values]
    memo = {v: fn(v) for v in distinct}
    return [memo[v] for v in values]


def _texts(values: list) -> list:
    """[_text(v) for v in values] without a call per string (narratives: no memo, all distinct)."""
    return [(v if v.strip() else None) if type(v) is str else None if v is None else _text(v) for v in values]


def _bools(values: list | None, n: int) -> pa.Array:
    """_bool of each value as an Arrow array (adapters give bool or None: kept as they are)."""
    if values is None:
        return pa.nulls(n, pa.bool_())
    if set(map(type, values)) <= {bool, type(None)}:
        return pa.array(values, pa.bool_())
    return pa.array([_bool(v) for v in values], pa.bool_())


def _region_of(value: object) -> str | None:
    return _cached_region(value) if isinstance(value, str) else province_region(value)


def _zip3_of(value: object) -> str | None:
    zip_code = _text(value)
    return _cached_zip3(zip_code) if zip_code else None


def _lender_of(value: object) -> str | None:
    return _match_lender(_text(value))


def _problems(received: list, tomorrow: dt.date) -> list | None:
    """received_problem of each value; None when every value is a plausible date (the usual case,
    checked at C speed)."""
    if received and set(map(type, received)) == {dt.date} and min(received) >= MIN_RECEIVED \
            and max(received) <= tomorrow:
        return None
    return [received_problem(v, tomorrow) for v in received]


def _source_keys(source: str, columns: dict, n: int) -> list[str]:
    """source_key() for every row, the HMAC keyed once for the batch."""
    ids = columns.get("source_id") or [None] * n
    if set(map(type, ids)) == {str}:
        stripped = [v.strip() for v in ids]
        if all(stripped):  # the usual case: every row has its id
            prefix = f"{source}:"
            return anonymize.keyed_hashes([prefix + v for v in stripped])
    inputs = []
    for i, raw_id in enumerate(ids):
        if raw_id is not None:
            text = raw_id.strip() if type(raw_id) is str else str(raw_id).strip()
            if text:
                inputs.append(f"{source}:{text}")
                continue
        inputs.append(_content_key_input(source, {f: columns[f][i] for f in _CONTENT_FIELDS if f in columns}))
    return anonymize.keyed_hashes(inputs)


_CONTENT_FIELDS = ("received", "lender_name", "product", "issue", "narrative")


def _content_key_input(source: str, fields: dict) -> str:
    received = fields.get("received")
    content = "\x1f".join(str(fields.get(k) or "") for k in ("lender_name", "product", "issue", "narrative"))
    digest = hashlib.sha256(f"{received}\x1f{content}".encode()).hexdigest()
    return f"{source}:content:{digest}"


def _complaint_ids(source: str, keys: list[str]) -> list[int]:
    sha = hashlib.sha256
    return [int.from_bytes(sha((source + key).encode("utf-8")).digest()[:8], "big") & 0x7FFF_FFFF_FFFF_FFFF
            for key in keys]


def _parts(chunk: list):
    """The chunk's adapter output as (Rejected | None, RecordBatch | None, dicts): runs of Records
    become one column-wise part; `dicts` keeps their own fields for quarantine JSON."""
    records: list[Record] = []

    def flush():
        names = list(dict.fromkeys(k for r in records for k in r.fields))
        batch = RecordBatch([r.row_number for r in records], [r.line for r in records],
                            {k: [r.fields.get(k) for r in records] for k in names})
        return None, batch, [r.fields for r in records]

    for item in chunk:
        if isinstance(item, Record):
            records.append(item)
            continue
        if records:
            yield flush()
            records = []
        if isinstance(item, RecordBatch):
            yield None, item, None
        else:
            yield item, None, None
    if records:
        yield flush()


class _Batch:
    """What stage 1 hands on: counts, quarantine, the kept rows' plain columns and the texts."""

    __slots__ = ("rows_read", "duplicates", "quarantine", "ids", "columns", "texts", "issues", "sub_issues")

    def work(self) -> tuple:
        """Arguments of _anonymize_and_label (what a worker needs, nothing more)."""
        return self.ids, self.texts, self.issues, self.sub_issues


def _identify(source: str, run_id: str, chunk: list, known_ids) -> _Batch:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    quarantine = {name: [] for name in QUARANTINE_SCHEMA.names}
    rows_read = 0

    def reject(number, line, reason, raw):
        quarantine["run_id"].append(run_id)
        quarantine["row_number"].append(number)
        quarantine["line"].append(line)
        quarantine["reason"].append(reason)
        quarantine["row_json"].append(quarantine_json(raw))

    # Pass 1: rows with a plausible date, their keys and ids.
    valid: list[tuple[dict, int]] = []
    keys: list[str] = []
    for rejected, part, dicts in _parts(chunk):
        if rejected is not None:
            rows_read += 1
            reject(rejected.row_number, rejected.line, rejected.reason or "rejected by the adapter", rejected.raw or {})
            continue
        n = len(part)
        rows_read += n
        columns = part.columns
        problems = _problems(columns.get("received") or [None] * n, tomorrow)
        if problems is not None:
            good = []
            for i, problem in enumerate(problems):
                if problem:
                    reject(part.row_numbers[i], part.lines[i], problem, dicts[i] if dicts else part.fields(i))
                else:
                    good.append(i)
            if not good:
                continue
            if len(good) < n:
                columns = {f: [values[i] for i in good] for f, values in columns.items()}
                n = len(good)
        keys.extend(_source_keys(source, columns, n))
        valid.append((columns, n))
    total = sum(n for _, n in valid)
    columns = _concat(valid, total)
    cids = _complaint_ids(source, keys)

    # Pass 2: drop duplicates (first occurrence wins), then rows the store or earlier batches hold.
    first: dict[int, int] = {}
    for i, cid in enumerate(cids):
        if cid not in first:
            first[cid] = i
    duplicates = total - len(first)
    if first:
        for cid in known_ids(list(first)):
            del first[cid]
            duplicates += 1
    keep = list(first.values())
    if len(keep) < total:
        columns = {f: [values[i] for i in keep] for f, values in columns.items()}
        keys = [keys[i] for i in keep]
    n = len(keep)

    def column(name):
        return columns.get(name) or [None] * n

    batch = _Batch()
    batch.rows_read, batch.duplicates = rows_read, duplicates
    batch.quarantine = pa.table(quarantine, schema=QUARANTINE_SCHEMA)
    batch.ids = list(first)
    received = column("received")
    if any(isinstance(v, dt.datetime) for v in set(received)):
        received = [v.date() if isinstance(v, dt.datetime) else v for v in received]
    strings = {name: _map_values(_text, column(name)) for name in _STRING_FIELDS}
    plain = {
        "complaint_id": pa.array(batch.ids, pa.int64()),
        "source": pa.array([source] * n, pa.string()),
        "source_key": pa.array(keys, pa.string()),
        "received": pa.array(received, pa.date32()),
        "region": pa.array(_map_values(_region_of, column("region")), pa.string()),
        "zip3": pa.array(_map_values(_zip3_of, column("zip")), pa.string()),
        "lender_id": pa.array(_map_values(_lender_of, strings["lender_name"]), pa.string()),
        "timely_response": _bools(columns.get("timely_response"), n),
        "consumer_disputed": _bools(columns.get("consumer_disputed"), n),
        "amount": (pa.array([_amount(v) for v in columns["amount"]], pa.float64()) if "amount" in columns
                   else pa.nulls(n, pa.float64())),
        "run_id": pa.array([run_id] * n, pa.string()),
    }
    for name, values in strings.items():
        plain[name] = pa.array(values, pa.string())
    batch.columns = plain
    batch.texts = {f: (None if f not in columns else
                       _texts(columns[f]) if f == "narrative" else _map_values(_text, columns[f]))
                   for f in TEXT_FIELDS}
    batch.issues, batch.sub_issues = strings["issue"], strings["sub_issue"]
    return batch


def _concat(parts: list[tuple[dict, int]], total: int) -> dict[str, list]:
    if len(parts) == 1:
        return parts[0][0]
    names = list(dict.fromkeys(f for columns, _ in parts for f in columns))
    out = {}
    for name in names:
        values: list = []
        for columns, n in parts:
            values.extend(columns[name] if name in columns else [None] * n)
        out[name] = values
    return out


def _anonymize_and_label(ids: list[int], texts: dict, issues: list, sub_issues: list) -> dict:
    """Stage 2 (worker or inline): scrubbed texts, language and tactic labels of the kept rows."""
    version = _CONTEXT["taxonomy_version"]
    n = len(ids)
    scrubbed: dict[str, list | None] = {}
    for f in TEXT_FIELDS:
        values = texts.get(f)
        scrubbed[f] = None if values is None else [None if t is None else _scrub(f, t) for t in values]
    nothing = [None] * n
    title, narrative, demand = (scrubbed[f] or nothing for f in ("title", "narrative", "demand"))
    languages = [language.detect(t, s, d) if (t or s or d) else None
                 for t, s, d in zip(title, narrative, demand, strict=True)]
    tac = {name: [] for name in TACTIC_SCHEMA.names}
    for i, cid in enumerate(ids):
        for field in CLASSIFIED_FIELDS:
            values = scrubbed[field]
            text = values[i] if values is not None else None
            if text is None:
                continue
            for ev in tactics.classify(text):
                _add_label(tac, cid, ev.tactic, "text", field, ev.start, ev.end, ev.text, version)
        sub_issue = sub_issues[i]
        if sub_issue:
            for tactic_id in _sub_issue_tactics(issues[i], sub_issue):
                _add_label(tac, cid, tactic_id, "sub_issue", "sub_issue", None, None, sub_issue, version)
    return {
        "texts": {f: pa.array(scrubbed[f] or nothing, pa.string()) for f in TEXT_FIELDS},
        "language": pa.array(languages, pa.string()),
        "tactics": pa.table(tac, schema=TACTIC_SCHEMA),
    }


def _complaints_table(batch: _Batch, labelled: dict) -> pa.Table:
    columns = {**batch.columns, **labelled["texts"], "language": labelled["language"]}
    columns["has_narrative"] = labelled["texts"]["narrative"].is_valid()
    return pa.Table.from_arrays([columns[name] for name in COMPLAINT_SCHEMA.names], schema=COMPLAINT_SCHEMA)


def process_batch(source: str, run_id: str, items: list, known_ids=None) -> dict:
    """Adapter output (Record, Rejected, RecordBatch) -> Arrow tables ready to insert, in one go.
    `known_ids(ids) -> set` names ids to treat as duplicates (the store's)."""
    batch = _identify(source, run_id, items, known_ids or (lambda ids: set()))
    labelled = _anonymize_and_label(*batch.work())
    return {"complaints": _complaints_table(batch, labelled), "tactics": labelled["tactics"],
            "quarantine": batch.quarantine, "rows_read": batch.rows_read, "duplicates": batch.duplicates}


def _add_label(tac, cid, tactic_id, label_source, field, start, end, evidence, version) -> None:
    tac["complaint_id"].append(cid)
    tac["tactic_id"].append(tactic_id)
    tac["label_source"].append(label_source)
    tac["field"].append(field)
    tac["evidence_start"].append(start)
    tac["evidence_end"].append(end)
    tac["evidence"].append(evidence)
    tac["taxonomy_version"].append(version)


def _ids_in(con, ids: list[int]) -> set[int]:
    """The ids `con`'s complaints table already holds (the small id list is the join's build side)."""
    con.register("_candidate_ids", pa.table({"complaint_id": pa.array(ids, pa.int64())}))
    try:
        found = con.execute("SELECT complaint_id FROM complaints "
                            "WHERE complaint_id IN (SELECT complaint_id FROM _candidate_ids)").fetchnumpy()
    finally:
        con.unregister("_candidate_ids")
    return set(found["complaint_id"].tolist())


# ---------------------------------------------------------------------------------------------
# Writing batches


def _write_batch(con, batch: _Batch, labelled: dict) -> int:
    """Insert one processed batch (already deduplicated); returns the rows loaded."""
    table = _complaints_table(batch, labelled)
    if table.num_rows:
        _insert(con, "complaints", table)
    if labelled["tactics"].num_rows:
        _insert(con, "complaint_tactics", labelled["tactics"])
    if batch.quarantine.num_rows:
        _insert(con, "quarantine", batch.quarantine)
    return table.num_rows


def _insert(con, table_name: str, arrow_table: pa.Table) -> None:
    view = f"_arrow_{table_name}"
    con.register(view, arrow_table)
    try:
        columns = ", ".join(arrow_table.schema.names)
        con.execute(f"INSERT INTO {table_name} ({columns}) SELECT {columns} FROM {view}")
    finally:
        con.unregister(view)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    """Adapter output in groups of about `size` rows (a RecordBatch counts its rows)."""
    chunk: list = []
    rows = 0
    for item in items:
        chunk.append(item)
        rows += len(item) if isinstance(item, RecordBatch) else 1
        if rows >= size:
            yield chunk
            chunk, rows = [], 0
    if chunk:
        yield chunk


def _progress_bar(enabled: bool | None, desc: str):
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return contextlib.nullcontext(None)
    from tqdm import tqdm

    return tqdm(desc=desc, unit=" rows", unit_scale=True, file=sys.stderr, dynamic_ncols=True,
                mininterval=0.5)


def ingest_records(con, source: str, records: Iterable[Record | Rejected | RecordBatch], *, file_name: str,
                   sha256: str, demo: bool, pool=None, progress: bool | None = False,
                   batch_rows: int | None = None, registry=None, commit_rows: int | None = None) -> RunReport:
    """Load an iterator of adapter output into an open writer connection; one ingest_runs row.

    The demo generator may call this directly (inside its own writer) with records it builds.
    commit_rows: the caller opened a transaction on `con`; commit it and open the next one after
    about this many rows.
    """
    if registry is not None or not _CONTEXT:
        _set_context(registry or _NullRegistry())
    run_id = uuid.uuid4().hex
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    clock = time.perf_counter()
    report = RunReport(file=Path(file_name).name, source=source, run_id=run_id, sha256=sha256)
    pending: collections.deque = collections.deque()
    # Enough batches in flight to keep every worker busy while the parent reads and writes, few
    # enough to bound memory.
    max_pending = 2 * pool._processes if pool is not None else 0
    # Ids of batches handed to workers but not written yet: duplicates too, though not in the table.
    in_flight: set[int] = set()

    def known_ids(ids: list[int]) -> set[int]:
        return _ids_in(con, ids) | in_flight.intersection(ids)

    uncommitted = 0

    def absorb(batch: _Batch, labelled: dict) -> None:
        nonlocal uncommitted
        loaded = _write_batch(con, batch, labelled)
        in_flight.difference_update(batch.ids)
        uncommitted += batch.rows_read
        if commit_rows and uncommitted >= commit_rows:
            con.commit()
            con.begin()
            uncommitted = 0
        report.rows_read += batch.rows_read
        report.rows_loaded += loaded
        report.rows_duplicate += batch.duplicates
        report.rows_quarantined += batch.quarantine.num_rows
        if bar is not None:
            bar.update(batch.rows_read)

    with _progress_bar(progress, report.file) as bar:
        for chunk in _chunks(records, batch_rows or BATCH_ROWS):
            batch = _identify(source, run_id, chunk, known_ids)
            if pool is None or not batch.ids:
                absorb(batch, _anonymize_and_label(*batch.work()))
                continue
            in_flight.update(batch.ids)
            pending.append((batch, pool.apply_async(_anonymize_and_label, batch.work())))
            while len(pending) >= max_pending:
                done, result = pending.popleft()
                absorb(done, result.get())
        while pending:
            done, result = pending.popleft()
            absorb(done, result.get())

    report.seconds = time.perf_counter() - clock
    con.execute(
        "INSERT INTO ingest_runs (run_id, source, file_name, sha256, started_at, finished_at, rows_read, "
        "rows_loaded, rows_duplicate, rows_quarantined, code_version, demo) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [run_id, source, report.file, sha256, started, dt.datetime.now(dt.UTC).replace(tzinfo=None),
         report.rows_read, report.rows_loaded, report.rows_duplicate, report.rows_quarantined,
         code_version(), demo],
    )
    return report


# ---------------------------------------------------------------------------------------------
# Files and commands


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


_CODE_VERSION: str | None = None


def code_version() -> str:
    """complaints.__version__ plus the git short hash when the code runs from a checkout."""
    global _CODE_VERSION
    if _CODE_VERSION is None:
        version = complaints.__version__
        try:
            short = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=complaints.ROOT,
                                   capture_output=True, text=True, timeout=5, check=False).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            short = ""
        _CODE_VERSION = f"{version}+g{short}" if short else version
    return _CODE_VERSION


def read_source(source: str, path: Path, mapping=None) -> Iterator[Record | Rejected | RecordBatch]:
    """The adapter for `source` (cfpb | tousu | generic), on its column-wise fast path if it has one."""
    from complaints import sources

    return sources.read_batches(source, path, mapping=mapping)


def source_label(source: str, mapping) -> str:
    """What goes into the `source` column: generic files are named by their mapping."""
    if source == "generic":
        if not mapping:
            raise IngestError("--source generic needs --mapping FILE (column mapping) / 通用格式需要 --mapping")
        from complaints.sources import generic

        return generic.source_name(mapping)
    return source


def load_registry(include_demo: bool):
    try:
        from complaints import lenders
    except ModuleNotFoundError as exc:  # registry not installed yet: every lender stays unmatched
        if exc.name != "complaints.lenders":
            raise
        return _NullRegistry()

    return lenders.Registry.load(include_demo=include_demo)


def ingest_file(con, source: str, path: str | os.PathLike, *, mapping=None, demo: bool = False,
                pool=None, progress: bool | None = False, commit_rows: int | None = None) -> RunReport:
    """Load one file into an open writer connection."""
    path = Path(path)
    label = source_label(source, mapping)
    records = read_source(source, path, mapping=mapping)
    return ingest_records(con, label, records, file_name=path.name, sha256=file_sha256(path), demo=demo,
                          pool=pool, progress=progress, commit_rows=commit_rows)


def check_store_kind(con, demo: bool) -> None:
    """Demo and real complaints never share a store."""
    has_data = con.execute("SELECT EXISTS (SELECT 1 FROM complaints) OR EXISTS (SELECT 1 FROM ingest_runs)"
                           ).fetchall()[0][0]
    if not has_data:
        return
    store_demo = store_mod.get_meta(con).get("demo") == "true"
    if store_demo and not demo:
        raise IngestError("this store holds demo data; real complaints go into a separate store: "
                          "use --store PATH / 此数据库是演示数据，真实投诉请用 --store 指定另一个数据库")
    if demo and not store_demo:
        raise IngestError("this store holds real complaints; demo data goes into a separate store: "
                          "use --store PATH / 此数据库是真实数据，演示数据请用 --store 指定另一个数据库")


@contextlib.contextmanager
def _rare_gc():
    """A batch keeps ~100k container objects alive (CSV rows are lists). With the default
    thresholds the cyclic collector walks them again every 700 allocations, which doubled the
    adapter's cost. Loading makes no reference cycles worth collecting mid-run: collect rarely, and
    never walk the objects that existed before the load (modules, taxonomy, registry). Workers
    forked inside inherit the setting."""
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(200_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


@contextlib.contextmanager
def worker_pool(total_bytes: int, workers: int | None = None):
    """A fork pool for big inputs, created BEFORE the store connection opens (no DuckDB threads are
    forked). Yields None when processing inline is the better deal."""
    if workers is None and os.environ.get("COMPLAINTS_INGEST_WORKERS", "").isdigit():
        workers = int(os.environ["COMPLAINTS_INGEST_WORKERS"])
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if total_bytes >= POOL_MIN_BYTES else 0
    if workers < 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()


def ingest(paths, source: str, *, store=None, mapping=None, demo: bool = False, fresh: bool = False,
           progress: bool | None = True, meta: dict | None = None, workers: int | None = None
           ) -> list[RunReport]:
    """Load files into the store in one atomic publish: all of them or (on any error) none."""
    paths = [Path(p) for p in ([paths] if isinstance(paths, str | os.PathLike) else paths)]
    for path in paths:
        if not path.is_file():
            raise IngestError(f"{path.name}: no such file / 文件不存在 ({path})")
    if mapping is not None and not Path(mapping).is_file():
        raise IngestError(f"{Path(mapping).name}: mapping file not found / 找不到映射文件")
    source_label(source, mapping)  # fail early on a bad generic mapping
    registry = load_registry(include_demo=demo)
    _set_context(registry)
    _warm_up()
    published = store_mod.store_path(store)
    total_bytes = sum(p.stat().st_size for p in paths)
    reports = []
    with _rare_gc(), worker_pool(total_bytes, workers) as pool, store_mod.writer(published, fresh=fresh) as con:
        # Without a limit DuckDB may keep most of a 10M-row load in memory (its default is 80% of RAM).
        con.execute(f"SET memory_limit = '{WRITER_MEMORY_LIMIT}'")
        if not fresh:
            check_store_kind(con, demo)
        # Transactions of COMMIT_ROWS rows instead of one per batch: DuckDB then writes far less
        # WAL and checkpoints far less often (3x less insert CPU at 1M rows, a smaller file). Not one
        # transaction for everything: until a commit DuckDB keeps every inserted Arrow batch alive
        # (memory would grow with the file). The private copy is what makes the load atomic.
        con.begin()
        for path in paths:
            reports.append(ingest_file(con, source, path, mapping=mapping, demo=demo, pool=pool,
                                       progress=progress, commit_rows=COMMIT_ROWS))
        _refresh_lenders(con, registry)
        store_mod.set_meta(con, demo="true" if demo else "false", taxonomy_version=tactics.taxonomy_version(),
                       code_version=code_version(), **(meta or {}))
        con.commit()
    return reports


def _refresh_lenders(con, registry) -> None:
    rows = list(registry.rows())
    con.execute("DELETE FROM lenders")
    if not rows:
        return
    columns = ("lender_id", "name_zh", "name_en", "country", "kind", "aliases", "demo")
    data = {c: [r.get(c) for r in rows] for c in columns}
    data["aliases"] = [list(a) if a else [] for a in data["aliases"]]
    data["demo"] = [bool(d) for d in data["demo"]]
    table = pa.table(data, schema=pa.schema([
        ("lender_id", pa.string()), ("name_zh", pa.string()), ("name_en", pa.string()),
        ("country", pa.string()), ("kind", pa.string()), ("aliases", pa.list_(pa.string())),
        ("demo", pa.bool_())]))
    _insert(con, "lenders", table)


# ---------------------------------------------------------------------------------------------
# Reclassify


def reclassify(store_arg=None, progress: bool | None = True, *, workers: int | None = None) -> dict:
    """Relabel every complaint (text and sub-issue labels) with the current taxonomy, atomically."""
    path = store_mod.store_path(store_arg)
    if not path.exists():
        raise IngestError(f"no store at {path} / 没有数据库: build one with `python -m complaints ingest`")
    registry = _NullRegistry()
    _set_context(registry)
    _warm_up()
    version = tactics.taxonomy_version()
    counts = {"complaints": 0, "labels": 0, "taxonomy_version": version}
    with worker_pool(path.stat().st_size, workers) as pool, store_mod.writer(path) as con:
        con.execute("DELETE FROM complaint_tactics")
        # A second connection streams the complaints while the first one writes labels.
        reader = con.cursor()
        batches = reader.sql("SELECT complaint_id, narrative, title, issue, sub_issue FROM complaints"
                             ).to_arrow_reader(BATCH_ROWS)
        pending: collections.deque = collections.deque()
        max_pending = (pool._processes + 1) if pool is not None else 0

        def absorb(table):
            counts["labels"] += table.num_rows
            if table.num_rows:
                _insert(con, "complaint_tactics", table)

        with _progress_bar(progress, "reclassify") as bar:
            for batch in batches:
                rows = batch.to_pylist()
                counts["complaints"] += len(rows)
                if pool is None:
                    absorb(label_rows(rows))
                else:
                    pending.append(pool.apply_async(label_rows, (rows,)))
                    while len(pending) >= max_pending:
                        absorb(pending.popleft().get())
                if bar is not None:
                    bar.update(len(rows))
            while pending:
                absorb(pending.popleft().get())
        reader.close()
        store_mod.set_meta(con, taxonomy_version=version)
    return counts


def label_rows(rows: list[dict]) -> pa.Table:
    """Tactic labels for stored complaints (texts are already scrubbed)."""
    version = _CONTEXT.get("taxonomy_version") or tactics.taxonomy_version()
    if "sub_issue_cache" not in _CONTEXT:
        _set_context(_NullRegistry())
    tac = {name: [] for name in TACTIC_SCHEMA.names}
    for row in rows:
        cid = row["complaint_id"]
        for field in CLASSIFIED_FIELDS:
            if row[field]:
                for ev in tactics.classify(row[field]):
                    _add_label(tac, cid, ev.tactic, "text", field, ev.start, ev.end, ev.text, version)
        for tactic_id in _sub_issue_tactics(row["issue"], row["sub_issue"]):
            _add_label(tac, cid, tactic_id, "sub_issue", "sub_issue", None, None, row["sub_issue"], version)
    return pa.table(tac, schema=TACTIC_SCHEMA)


__all__ = ["BATCH_ROWS", "IngestError", "RunReport", "SourceError", "complaint_id", "ingest", "ingest_file",
           "ingest_records", "process_batch", "reclassify", "source_key"]
