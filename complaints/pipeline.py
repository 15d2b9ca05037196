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

import numpy as np
import pyarrow as pa

import complaints
from complaints import anonymize, language, tactics
from complaints import store as store_mod
from complaints.record import TEXT_FIELDS, Record, Rejected, SourceError
from complaints.runreport import RunReport

BATCH_ROWS = 20_000
# Inputs at least this big (bytes, summed over the command's files) go through the worker pool;
# smaller ones are processed inline, where forking would cost more than it saves.
POOL_MIN_BYTES = 4 * 1024 * 1024
MIN_RECEIVED = dt.date(2000, 1, 1)
WRITER_MEMORY_LIMIT = "1GB"

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
    received = fields.get("received")
    content = "\x1f".join(str(fields.get(k) or "") for k in ("lender_name", "product", "issue", "narrative"))
    digest = hashlib.sha256(f"{received}\x1f{content}".encode()).hexdigest()
    return anonymize.keyed_hash(f"{source}:content:{digest}")


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


def process_batch(source: str, run_id: str, items: list, known_ids=None) -> dict:
    """Turn adapter output into Arrow tables ready to insert.

    Duplicates are dropped BEFORE the expensive scrub + classify: within the batch (first occurrence
    wins) and, when `known_ids(ids) -> set` is given, rows the store already holds (re-ingesting an
    export, or a monthly export overlapping the last one, then costs little). The parent's SQL check
    stays authoritative for duplicates of earlier batches still in flight."""
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    version = _CONTEXT["taxonomy_version"]
    cols = {name: [] for name, _ in COMPLAINT_COLUMNS}
    tac = {name: [] for name in TACTIC_SCHEMA.names}
    quarantine = {name: [] for name in QUARANTINE_SCHEMA.names}
    duplicates = 0

    def reject(item, reason, raw):
        quarantine["run_id"].append(run_id)
        quarantine["row_number"].append(item.row_number)
        quarantine["line"].append(item.line)
        quarantine["reason"].append(reason)
        quarantine["row_json"].append(quarantine_json(raw))

    # Pass 1 (cheap): validate and identify.
    candidates: dict[int, tuple[dict, str]] = {}
    for item in items:
        if isinstance(item, Rejected):
            reject(item, item.reason or "rejected by the adapter", item.raw or {})
            continue
        fields = item.fields
        problem = received_problem(fields.get("received"), tomorrow)
        if problem:
            reject(item, problem, fields)
            continue
        key = source_key(source, fields)
        cid = complaint_id(source, key)
        if cid in candidates:
            duplicates += 1
            continue
        candidates[cid] = (fields, key)
    if known_ids is not None and candidates:
        for cid in known_ids(list(candidates)):
            duplicates += 1
            del candidates[cid]

    # Pass 2 (expensive): anonymize, detect language, classify, match lender.
    for cid, (fields, key) in candidates.items():
        received = fields["received"]
        texts = {f: _scrub(f, _text(fields.get(f))) for f in TEXT_FIELDS}
        lender_name = _text(fields.get("lender_name"))
        issue, sub_issue = _text(fields.get("issue")), _text(fields.get("sub_issue"))
        cols["complaint_id"].append(cid)
        cols["source"].append(source)
        cols["source_key"].append(key)
        cols["received"].append(received.date() if isinstance(received, dt.datetime) else received)
        for name in _STRING_FIELDS:
            cols[name].append(_text(fields.get(name)))
        cols["lender_name"][-1] = lender_name
        cols["issue"][-1], cols["sub_issue"][-1] = issue, sub_issue
        region, zip_code = fields.get("region"), _text(fields.get("zip"))
        cols["region"].append(_cached_region(region) if isinstance(region, str) else province_region(region))
        cols["zip3"].append(_cached_zip3(zip_code) if zip_code else None)
        cols["lender_id"].append(_match_lender(lender_name))
        cols["timely_response"].append(_bool(fields.get("timely_response")))
        cols["consumer_disputed"].append(_bool(fields.get("consumer_disputed")))
        cols["amount"].append(_amount(fields.get("amount")))
        for f in TEXT_FIELDS:
            cols[f].append(texts[f])
        cols["has_narrative"].append(texts["narrative"] is not None)
        cols["language"].append(language.detect(texts["title"], texts["narrative"], texts["demand"]))
        cols["run_id"].append(run_id)

        for field in CLASSIFIED_FIELDS:
            text = texts[field]
            if text is None:
                continue
            for ev in tactics.classify(text):
                _add_label(tac, cid, ev.tactic, "text", field, ev.start, ev.end, ev.text, version)
        for tactic_id in _sub_issue_tactics(issue, sub_issue):
            _add_label(tac, cid, tactic_id, "sub_issue", "sub_issue", None, None, sub_issue, version)

    return {
        "complaints": pa.table(cols, schema=COMPLAINT_SCHEMA),
        "tactics": pa.table(tac, schema=TACTIC_SCHEMA),
        "quarantine": pa.table(quarantine, schema=QUARANTINE_SCHEMA),
        "rows_read": len(items),
        "duplicates": duplicates,
    }


def _add_label(tac, cid, tactic_id, label_source, field, start, end, evidence, version) -> None:
    tac["complaint_id"].append(cid)
    tac["tactic_id"].append(tactic_id)
    tac["label_source"].append(label_source)
    tac["field"].append(field)
    tac["evidence_start"].append(start)
    tac["evidence_end"].append(end)
    tac["evidence"].append(evidence)
    tac["taxonomy_version"].append(version)


def _process_in_worker(args):
    return process_batch(*args, known_ids=_published_known_ids)


def _ids_in(con, ids: list[int]) -> set[int]:
    """The ids `con`'s complaints table already holds (the small id list is the join's build side)."""
    con.register("_candidate_ids", pa.table({"complaint_id": pa.array(ids, pa.int64())}))
    try:
        found = con.execute("SELECT complaint_id FROM complaints "
                            "WHERE complaint_id IN (SELECT complaint_id FROM _candidate_ids)").fetchnumpy()
    finally:
        con.unregister("_candidate_ids")
    return set(found["complaint_id"].tolist())


def _published_known_ids(ids: list[int]) -> set[int]:
    """In a worker: ids the published store already holds. It cannot change during the load (the
    writer lock is held), and the private copy being loaded started as a copy of it."""
    path = _CONTEXT.get("published")
    if path is None:
        return set()
    con = _CONTEXT.get("published_con")
    if con is None:
        con = store_mod.connect_readonly(path)
        con.execute("SET threads = 1")
        con.execute("SET memory_limit = '256MB'")
        _CONTEXT["published_con"] = con
    return _ids_in(con, ids)


# ---------------------------------------------------------------------------------------------
# Writing batches


def _write_batch(con, result: dict, *, checked: bool = False) -> tuple[int, int, int]:
    """Insert one processed batch; returns (loaded, duplicate, quarantined).

    checked=True: the batch was already checked against this connection's complaints."""
    table = result["complaints"]
    duplicates = result["duplicates"]
    if table.num_rows and checked:
        _insert(con, "complaints", table)
        if result["tactics"].num_rows:
            _insert(con, "complaint_tactics", result["tactics"])
    elif table.num_rows:
        # Rows of earlier batches still in flight when this one was processed (pool mode).
        existing = np.fromiter(_ids_in(con, table.column("complaint_id").to_pylist()), dtype=np.int64)
        tac = result["tactics"]
        if len(existing):
            keep = ~np.isin(table.column("complaint_id").to_numpy(), existing)
            duplicates += int((~keep).sum())
            table = table.filter(pa.array(keep))
            if tac.num_rows:
                tac = tac.filter(pa.array(~np.isin(tac.column("complaint_id").to_numpy(), existing)))
        if table.num_rows:
            _insert(con, "complaints", table)
        if tac.num_rows:
            _insert(con, "complaint_tactics", tac)
    if result["quarantine"].num_rows:
        _insert(con, "quarantine", result["quarantine"])
    return table.num_rows, duplicates, result["quarantine"].num_rows


def _insert(con, table_name: str, arrow_table: pa.Table) -> None:
    view = f"_arrow_{table_name}"
    con.register(view, arrow_table)
    try:
        columns = ", ".join(arrow_table.schema.names)
        con.execute(f"INSERT INTO {table_name} ({columns}) SELECT {columns} FROM {view}")
    finally:
        con.unregister(view)


def _batches(records: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in records:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _progress_bar(enabled: bool | None, desc: str):
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return contextlib.nullcontext(None)
    from tqdm import tqdm

    return tqdm(desc=desc, unit=" rows", unit_scale=True, file=sys.stderr, dynamic_ncols=True,
                mininterval=0.5)


def ingest_records(con, source: str, records: Iterable[Record | Rejected], *, file_name: str, sha256: str,
                   demo: bool, pool=None, progress: bool | None = False, batch_rows: int | None = None,
                   registry=None) -> RunReport:
    """Load an iterator of adapter output into an open writer connection; one ingest_runs row.

    The demo generator may call this directly (inside its own writer) with records it builds.
    """
    if registry is not None or not _CONTEXT:
        _set_context(registry or _NullRegistry())
    run_id = uuid.uuid4().hex
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    clock = time.perf_counter()
    report = RunReport(file=Path(file_name).name, source=source, run_id=run_id, sha256=sha256)
    pending: collections.deque = collections.deque()
    # Enough batches in flight to keep every worker busy, few enough to bound memory.
    max_pending = (pool._processes + 1) if pool is not None else 0

    def absorb(result, checked=False):
        loaded, duplicate, quarantined = _write_batch(con, result, checked=checked)
        report.rows_read += result["rows_read"]
        report.rows_loaded += loaded
        report.rows_duplicate += duplicate
        report.rows_quarantined += quarantined
        if bar is not None:
            bar.update(result["rows_read"])

    with _progress_bar(progress, report.file) as bar:
        for batch in _batches(records, batch_rows or BATCH_ROWS):
            if pool is None:
                # Inline, the batch is checked against this very connection: nothing left to check.
                absorb(process_batch(source, run_id, batch, known_ids=lambda ids: _ids_in(con, ids)),
                       checked=True)
                continue
            pending.append(pool.apply_async(_process_in_worker, ((source, run_id, batch),)))
            while len(pending) >= max_pending:
                absorb(pending.popleft().get())
        while pending:
            absorb(pending.popleft().get())

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


def read_source(source: str, path: Path, mapping=None) -> Iterator[Record | Rejected]:
    """The adapter for `source` (cfpb | tousu | generic)."""
    from complaints import sources

    return sources.read(source, path, mapping=mapping)


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
                pool=None, progress: bool | None = False) -> RunReport:
    """Load one file into an open writer connection."""
    path = Path(path)
    label = source_label(source, mapping)
    records = read_source(source, path, mapping=mapping)
    return ingest_records(con, label, records, file_name=path.name, sha256=file_sha256(path), demo=demo,
                          pool=pool, progress=progress)


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
    published = store_mod.store_path(store)
    # Workers look up ids in the published store to skip known rows early (not when starting fresh).
    _CONTEXT["published"] = published if published.exists() and not fresh else None
    total_bytes = sum(p.stat().st_size for p in paths)
    reports = []
    with worker_pool(total_bytes, workers) as pool, store_mod.writer(published, fresh=fresh) as con:
        # Without a limit DuckDB may keep most of a 10M-row load in memory (its default is 80% of RAM).
        con.execute(f"SET memory_limit = '{WRITER_MEMORY_LIMIT}'")
        if not fresh:
            check_store_kind(con, demo)
        for path in paths:
            reports.append(ingest_file(con, source, path, mapping=mapping, demo=demo, pool=pool,
                                       progress=progress))
        _refresh_lenders(con, registry)
        store_mod.set_meta(con, demo="true" if demo else "false", taxonomy_version=tactics.taxonomy_version(),
                       code_version=code_version(), **(meta or {}))
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
