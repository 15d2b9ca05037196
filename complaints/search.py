"""Text search at scale: a scan index of the lower-cased texts, kept beside the store.

DuckDB stores narratives compressed, and a search decompresses all of them on every query: about
1.2-2 s at 10 million complaints, most of it decompression (bench/README.md). The scan index holds
lower(title) and lower(narrative) uncompressed, laid end to end in store order, and a small C
function (native/textscan.c, loaded with ctypes) finds which texts hold a term with memchr and
memcmp, on two threads. The matching complaints' row ids are handed to the filter macro as an
Arrow table (queries/_searched_indexed.sql: `rowid IN (SELECT r FROM search_rows)`), so DuckDB reads
no text at all, and its other filters still skip data as usual.

Matches are the same as the filter macro's own search (queries/_filtered.sql): a substring of
lower(title) or lower(narrative), with the term lower-cased by DuckDB too (tests compare the two).

Files: `<store>.search-<store_version>/` holds title.offsets, title.bytes, narrative.offsets,
narrative.bytes, index.json, rowids (the row id of each text, only when the row ids are not simply
0, 1, 2, ... in scan order), facts_rows (the row of each complaint in the derived table
lender_facts, when the store has it) and title.ascii_blocks, narrative.ascii_blocks (which blocks of
texts are ASCII only: a term with a non-ASCII byte skips them; an index without them scans all).
`search_rows` carries the row ids of the matches in both tables: `r` for the filter macro, `f` for
the queries/indexed/ versions (queries/_searched_facts.sql), which then read the matches' tactic
masks instead of joining the labels. A term found in more than
DENSE_SHARE of the complaints (催收 is in a third of them) also gets `search_mask`, one flag per row
of lender_facts, which that macro joins by position instead of looking up millions of row ids.
store.writer() builds the
index from the private copy just before it publishes, and removes the index of the store it
replaced. An index is used only when its store_version and row count match the open store, and only
when the C helper could be compiled (the machine has a C compiler); otherwise searches scan in DuckDB
as before, with the same results.

Memory: the index is memory-mapped and each scanned slice is handed back to the kernel at once
(MADV_DONTNEED), so a search over 2 GB of text does not grow the dashboard's resident memory; the
kernel's page cache keeps the files warm.
"""

from __future__ import annotations

import ctypes
import glob
import hashlib
import json
import logging
import mmap
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from complaints import QUERIES_DIR, aggregates

log = logging.getLogger(__name__)

FORMAT = 3
FIELDS = ("title", "narrative")
NATIVE_SOURCE = Path(__file__).with_name("native") / "textscan.c"
THREADS = 2
SLICE_BYTES = 32 << 20        # each thread scans and releases ~32 MB at a time
# <field>.ascii_blocks: one flag per block of this many texts, 1 when all of them are ASCII. A term with
# a non-ASCII byte (any Chinese term) cannot occur there, so its scan skips those blocks: the English
# narratives, a quarter of the demo's text bytes at 10M.
ASCII_BLOCK = 4096
CACHE_BYTES = 64 << 20        # matches kept per index, most recent terms first (16 bytes per match)
# Above this share of all complaints, matches are also handed to queries/_searched_facts.sql as a mask
# joined to lender_facts by position: picking 3.3 million of 10 million rows by `rowid IN (...)` builds
# and probes a hash table of them (0.45-0.5 s), where reading one flag per row takes 0.06-0.1 s. For
# few matches the hash table is the cheaper one (bench/README.md, "Seventh pass").
DENSE_SHARE = 0.05


# ---------------------------------------------------------------------------------------------
# Building

def index_dir(store_file: Path, store_version: str) -> Path:
    return store_file.with_name(f"{store_file.name}.search-{store_version}")


def build(con: duckdb.DuckDBPyConnection, store_file: Path, store_version: str) -> Path:
    """Write the scan index of the store open on `con` (a writer's private copy), for the store
    that will be published at `store_file` with `store_version`. Returns its folder."""
    final = index_dir(store_file, store_version)
    tmp = final.with_name(final.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        rows = 0
        for field in FIELDS:
            rows = _write_field(con, field, tmp)
            _write_ascii_blocks(tmp, field, rows)
        dense = _write_rowids(con, tmp / "rowids", rows)
        facts = _write_facts_rows(con, tmp / "facts_rows", rows)
        (tmp / "index.json").write_text(json.dumps(
            {"format": FORMAT, "store_version": store_version, "rows": rows, "dense_rowids": dense,
             "facts_rows": facts, "ascii_block": ASCII_BLOCK}),
            encoding="utf-8")
        shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def _write_field(con: duckdb.DuckDBPyConnection, field: str, folder: Path) -> int:
    """lower(field) of every complaint, in scan order."""
    reader = con.sql(f"SELECT lower(coalesce({field}, '')) AS t FROM complaints").to_arrow_reader(1 << 17)
    total, rows = 0, 0
    with open(folder / f"{field}.offsets", "wb") as offsets_file, open(folder / f"{field}.bytes", "wb") as data_file:
        np.zeros(1, dtype=np.int64).tofile(offsets_file)
        for batch in reader:
            texts = batch.column(0).cast(pa.large_string())
            if texts.null_count:  # coalesce above makes this impossible; a guard, not a path
                raise ValueError("null text in the scan index")
            offsets = np.frombuffer(texts.buffers()[1], dtype=np.int64)[texts.offset:texts.offset + len(texts) + 1]
            data = texts.buffers()[2]
            if data is not None and offsets[-1] > offsets[0]:
                data_file.write(memoryview(data)[offsets[0]:offsets[-1]])
            (offsets[1:] - offsets[0] + total).astype(np.int64).tofile(offsets_file)
            total += int(offsets[-1] - offsets[0])
            rows += len(texts)
    return rows


def _write_ascii_blocks(folder: Path, field: str, rows: int) -> None:
    """<field>.ascii_blocks (see ASCII_BLOCK), from the field's written texts."""
    offsets = np.fromfile(folder / f"{field}.offsets", dtype=np.int64)
    starts = offsets[np.arange(0, rows, ASCII_BLOCK)]
    ends = offsets[np.minimum(np.arange(ASCII_BLOCK, rows + ASCII_BLOCK, ASCII_BLOCK), rows)]
    flags = np.ones(len(starts), dtype=np.uint8)
    if offsets[-1]:
        data = np.memmap(folder / f"{field}.bytes", dtype=np.uint8, mode="r")
        for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
            flags[i] = end == start or bool(data[start:end].max() < 0x80)
        del data
    flags.tofile(folder / f"{field}.ascii_blocks")


def _write_rowids(con: duckdb.DuckDBPyConnection, path: Path, rows: int) -> bool:
    """The row id of each complaint in scan order; only written when they are not 0..rows-1 (a table
    with deleted rows). Returns whether they are dense (and the file was left out)."""
    rowids = con.sql("SELECT rowid FROM complaints").fetchnumpy()["rowid"].astype(np.int64)
    if len(rowids) != rows:
        raise ValueError(f"the complaints table changed while it was indexed ({len(rowids)} != {rows})")
    if np.array_equal(rowids, np.arange(rows, dtype=np.int64)):
        return True
    rowids.tofile(path)
    return False


def _write_facts_rows(con: duckdb.DuckDBPyConnection, path: Path, rows: int) -> bool:
    """The row id in lender_facts (complaints.aggregates) of each complaint in scan order, when the
    store has that table. A row id filter reads about 60 ms less at 10M than a complaint_id semi-join
    (bench/README.md); the ids are read here, after the writer's last change, so they are the
    published ones. Returns whether the file was written."""
    try:
        found = con.sql("""SELECT f.rowid AS f FROM complaints AS c JOIN lender_facts AS f USING (complaint_id)
                          ORDER BY c.rowid""").fetchnumpy()["f"]
    except duckdb.CatalogException:  # a store without the derived tables
        return False
    if len(found) != rows:  # derived tables older than the complaints: the index doesn't use them
        return False
    np.asarray(found, dtype=np.int64).tofile(path)
    return True


def move_indexes(from_store: Path, to_store: Path) -> None:
    """After `from_store` was renamed to `to_store` (a staged build), move its index along and drop
    the indexes of the store it replaced."""
    from complaints.store import connect_readonly, get_meta

    for path in from_store.parent.glob(f"{glob.escape(from_store.name)}.search-*"):
        target = to_store.with_name(to_store.name + path.name[len(from_store.name):])
        shutil.rmtree(target, ignore_errors=True)
        os.replace(path, target)
    con = connect_readonly(to_store)
    try:
        version = get_meta(con).get("store_version")
    finally:
        con.close()
    remove_other_indexes(to_store, keep_version=version)


def remove_other_indexes(store_file: Path, keep_version: str | None) -> None:
    """Remove scan indexes beside `store_file` that belong to another store version (a replaced
    store, or a writer that died). A reader that still has an old index mapped keeps its pages."""
    for path in store_file.parent.glob(f"{glob.escape(store_file.name)}.search-*"):
        if keep_version is None or path.name != index_dir(store_file, keep_version).name:
            shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# The C helper

_native_lock = threading.Lock()
_native_fn: object = None  # None: not tried yet; False: unavailable


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "collection-watch"


def native_scanner():
    """The compiled cw_find_texts, or None when no C compiler is available (searches then scan
    in DuckDB). Compiled once per source version into the user's cache folder."""
    global _native_fn
    with _native_lock:
        if _native_fn is None:
            _native_fn = _load_native() or False
        return _native_fn or None


def _load_native():
    source = NATIVE_SOURCE.read_bytes()
    tag = hashlib.sha256(source + sys.platform.encode()).hexdigest()[:16]
    for folder in (_cache_dir(), Path(tempfile.gettempdir()) / "collection-watch"):
        library = folder / f"textscan-{tag}.so"
        try:
            if not library.exists():
                folder.mkdir(parents=True, exist_ok=True)
                partial = library.with_suffix(f".{os.getpid()}.tmp")
                compiler = os.environ.get("CC", "cc")
                subprocess.run([compiler, "-O2", "-shared", "-fPIC", "-o", str(partial), str(NATIVE_SOURCE)],
                               check=True, capture_output=True, timeout=120)
                os.replace(partial, library)
            lib = ctypes.CDLL(str(library))
        except (OSError, subprocess.SubprocessError) as exc:
            log.info("text search: C helper unavailable in %s (%s)", folder, exc)
            continue
        fn = lib.cw_find_texts
        fn.restype = ctypes.c_int64
        fn.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64, ctypes.c_int64,
                       ctypes.c_char_p, ctypes.c_int64, ctypes.c_int64, ctypes.c_void_p]
        return fn
    log.warning("text search: no C compiler worked; searches scan the store instead (slower, same results)")
    return None


# ---------------------------------------------------------------------------------------------
# Reading

class _Field:
    """One field's texts: offsets in memory (8 bytes per complaint), bytes memory-mapped."""

    def __init__(self, folder: Path, field: str, rows: int, ascii_block: int | None = None):
        self.offsets = np.fromfile(folder / f"{field}.offsets", dtype=np.int64)
        if len(self.offsets) != rows + 1:
            raise ValueError(f"{field}.offsets holds {len(self.offsets) - 1} texts, not {rows}")
        size = int(self.offsets[-1])
        self._file = open(folder / f"{field}.bytes", "rb")  # noqa: SIM115 - kept open while mapped
        if os.fstat(self._file.fileno()).st_size != size:
            raise ValueError(f"{field}.bytes is not {size} bytes long")
        self.map = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ) if size else None
        self.address = np.frombuffer(self.map, dtype=np.uint8).ctypes.data if self.map else 0
        self.byte_counts = self._byte_counts()
        self.ascii_blocks = (self._ascii_blocks(folder / f"{field}.ascii_blocks", rows)
                             if ascii_block == ASCII_BLOCK else None)

    @staticmethod
    def _ascii_blocks(path: Path, rows: int) -> np.ndarray | None:
        """The field's ASCII-only flags per block of texts; None when absent (an index built before
        they were kept) or of the wrong length: then every block is scanned."""
        try:
            flags = np.fromfile(path, dtype=np.uint8)
        except OSError:
            return None
        return flags if len(flags) == -(-rows // ASCII_BLOCK) else None

    def non_ascii_ranges(self, rows: int) -> list[tuple[int, int]]:
        """The row ranges that may hold a non-ASCII byte: all rows but the ASCII-only blocks."""
        if self.ascii_blocks is None:
            return [(0, rows)]
        ranges: list[tuple[int, int]] = []
        for block in np.flatnonzero(self.ascii_blocks == 0):
            first, last = int(block) * ASCII_BLOCK, min(rows, (int(block) + 1) * ASCII_BLOCK)
            if ranges and ranges[-1][1] == first:
                ranges[-1] = (ranges[-1][0], last)
            else:
                ranges.append((first, last))
        return ranges

    def _byte_counts(self) -> np.ndarray:
        """How often each byte value occurs in a sample: the rarest byte of a term is scanned for."""
        if self.map is None:
            return np.zeros(256, dtype=np.int64)
        sample = np.frombuffer(self.map, dtype=np.uint8, count=min(len(self.map), 8 << 20))
        counts = np.bincount(sample, minlength=256)
        self.release(0, len(sample))
        return counts

    def release(self, start: int, end: int) -> None:
        """Hand a scanned byte range back to the kernel (it stays in the page cache)."""
        if self.map is None or end <= start:
            return
        page = mmap.PAGESIZE
        first = start - start % page
        self.map.madvise(mmap.MADV_DONTNEED, first, min(end, len(self.map)) - first)

    def close(self) -> None:
        self.address = 0
        if self.map is not None:
            self.map.close()
        self._file.close()

    def slices(self, rows: int, ranges: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
        """Row ranges of about SLICE_BYTES each, covering `ranges` (default: all rows)."""
        out = []
        for first, last in [(0, rows)] if ranges is None else ranges:
            positions = np.arange(int(self.offsets[first]), int(self.offsets[last]), SLICE_BYTES)
            bounds = np.searchsorted(self.offsets, positions, side="right") - 1
            starts = sorted(set(int(b) for b in bounds if first <= b < last) | {first})
            out += [(a, b) for a, b in zip(starts, [*starts[1:], last], strict=True) if a < b]
        return out


class TextIndex:
    """The scan index of one published store."""

    def __init__(self, folder: Path, rows: int, scanner, dense_rowids: bool = True, facts_rows: bool = False,
                 ascii_block: int | None = None):
        self.folder = folder
        self.rows = rows
        self.rowids = None if dense_rowids else np.fromfile(folder / "rowids", dtype=np.int64)
        if self.rowids is not None and len(self.rowids) != rows:
            raise ValueError(f"rowids holds {len(self.rowids)} ids, not {rows}")
        # mapped, not read: a search touches only the pages of its matches (80 MB at 10M complaints)
        self.facts_rows = None
        if facts_rows:
            self.facts_rows = np.memmap(folder / "facts_rows", dtype=np.int64, mode="r") if rows else np.zeros(0, np.int64)
            if len(self.facts_rows) != rows:
                raise ValueError(f"facts_rows holds {len(self.facts_rows)} rows, not {rows}")
        self.serves_facts = False  # set by attach() once the connection has queries/_searched_facts.sql
        # set by attach() when lender_facts' row ids are its positions 0..rows-1, so that a mask with
        # one flag per row can be joined to it by position (dense matches, see Matches)
        self.facts_positional = False
        self.dense_share = DENSE_SHARE
        self._dense_on_con: bool | None = None  # what search_dense() says on the connection now
        self._scan = scanner
        self._fields = [_Field(folder, field, rows, ascii_block) for field in FIELDS]
        self._slices = [field.slices(rows) for field in self._fields]
        # for a term with a non-ASCII byte: the slices of the blocks that are not ASCII-only
        self._non_ascii_slices = [field.slices(rows, field.non_ascii_ranges(rows)) for field in self._fields]
        self._pool = ThreadPoolExecutor(THREADS, thread_name_prefix="text-search")
        self._cache: OrderedDict[bytes, Matches] = OrderedDict()
        self._cached_bytes = 0
        self._cache_lock = threading.Lock()
        self._closed = False

    def matches(self, needle: bytes) -> np.ndarray:
        """One uint8 per complaint, in scan order: 1 when lower(title) or lower(narrative) holds
        `needle` (a lower-cased term, UTF-8)."""
        if self._closed:
            raise RuntimeError("this text index was closed")
        hits = np.zeros(self.rows, dtype=np.uint8)
        if not needle:
            hits[:] = 1
            return hits
        needle_bytes = np.frombuffer(needle, dtype=np.uint8)
        tasks = []
        field_slices = self._non_ascii_slices if needle_bytes.max() >= 0x80 else self._slices
        for field, slices in zip(self._fields, field_slices, strict=True):
            if field.map is not None:
                pivot = int(np.argmin(field.byte_counts[needle_bytes]))  # its rarest byte: what memchr seeks
                tasks += [(field, pivot, a, b) for a, b in slices]
        list(self._pool.map(lambda task: self._scan_slice(*task, needle, hits), tasks))
        return hits

    def _scan_slice(self, field: _Field, pivot: int, first: int, last: int, needle: bytes,
                    hits: np.ndarray) -> None:
        # Two fields may set the same complaint's byte from two threads: both write 1, which is safe.
        self._scan(field.address, field.offsets.ctypes.data, first, last, needle, len(needle), pivot,
                   hits.ctypes.data)
        field.release(int(field.offsets[first]), int(field.offsets[last]))

    def find(self, needle: bytes, *, cached: bool = True) -> Matches:
        """The complaints whose lower-cased texts hold `needle` (see Matches). The most recent terms'
        answers are kept (CACHE_BYTES)."""
        with self._cache_lock:
            if cached and needle in self._cache:
                self._cache.move_to_end(needle)
                return self._cache[needle]
        # (as bool: numpy finds the set flags 3-6x faster than in uint8, 30-50 ms less at 10M)
        positions = np.flatnonzero(self.matches(needle).view(bool))
        rowids = positions if self.rowids is None else self.rowids[positions]
        facts = (np.full(len(positions), -1, dtype=np.int64) if self.facts_rows is None
                 else np.asarray(self.facts_rows[positions], dtype=np.int64))
        mask = None
        if self.facts_positional and len(positions) > self.dense_share * self.rows:
            flags = np.zeros(self.rows, dtype=bool)
            flags[facts] = True
            mask = pa.table({"m": pa.array(flags)})
        found = Matches(pa.table({"r": pa.array(rowids.astype(np.int64, copy=False)), "f": pa.array(facts)}), mask)
        if cached:
            with self._cache_lock:
                if needle not in self._cache:
                    self._cache[needle] = found
                    self._cached_bytes += found.nbytes
                while self._cached_bytes > CACHE_BYTES and len(self._cache) > 1:
                    self._cached_bytes -= self._cache.popitem(last=False)[1].nbytes
        return found

    def forget(self) -> None:
        """Drop the kept matches (benchmarks time a term searched for the first time)."""
        with self._cache_lock:
            self._cache.clear()
            self._cached_bytes = 0

    def close(self) -> None:
        """Stop the threads and unmap the files; the index can't be searched after this."""
        self._pool.shutdown(wait=True)
        self._closed = True
        for field in self._fields:
            field.close()


def open_index(store_file: Path, store_version: str, rows: int) -> TextIndex | None:
    """The scan index for this store version, or None when it is absent, stale or unusable."""
    folder = index_dir(store_file, store_version)
    try:
        info = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (info.get("format") != FORMAT or info.get("store_version") != store_version or info.get("rows") != rows
            or not isinstance(info.get("dense_rowids"), bool) or not isinstance(info.get("facts_rows"), bool)):
        log.warning("text search: %s does not match the store; searches scan the store instead", folder)
        return None
    scanner = native_scanner()
    if scanner is None:
        return None
    try:
        return TextIndex(folder, rows, scanner, info["dense_rowids"], info["facts_rows"], info.get("ascii_block"))
    except (OSError, ValueError) as exc:
        log.warning("text search: %s is unreadable (%s); searches scan the store instead", folder, exc)
        return None


# ---------------------------------------------------------------------------------------------
# Using it on a read-only connection

NO_ROWS = pa.table({"r": pa.array([], type=pa.int64()), "f": pa.array([], type=pa.int64())})
NO_MASK = pa.table({"m": pa.array([], type=pa.bool_())})


@dataclass(frozen=True)
class Matches:
    """A term's matches: `rows`, their row ids in complaints (`r`) and in lender_facts (`f`, -1 when
    the index has no facts rows), for con.register('search_rows', ...); and, when they are many
    (DENSE_SHARE), `mask`: one flag `m` per row of lender_facts, in its order, for `search_mask`."""
    rows: pa.Table
    mask: pa.Table | None = None

    @property
    def nbytes(self) -> int:
        return self.rows.nbytes + (self.mask.nbytes if self.mask is not None else 0)


def attach(con: duckdb.DuckDBPyConnection, store_file: Path) -> TextIndex | None:
    """Point the filter macro's search at the scan index of the store open on `con`, when there is a
    usable one, and give the queries/indexed/ versions their macro when the store has the derived
    tables. Run after queries/_filtered.sql. Returns the index (pass it to `select`; pass its
    `serves_facts` as `indexed` to aggregates.route) or None."""
    from complaints.store import get_meta

    version = get_meta(con).get("store_version")
    if not version:
        return None
    rows = con.execute("SELECT count(*) FROM complaints").fetchall()[0][0]
    index = open_index(Path(store_file), version, rows)
    if index is not None:
        con.register("search_rows", NO_ROWS)
        con.register("search_mask", NO_MASK)
        con.execute((QUERIES_DIR / "_searched_indexed.sql").read_text(encoding="utf-8"))
        # the queries/indexed/ versions (aggregates.route): matches read from lender_facts, through
        # the derived tables' macros (made again here when the caller made them already: harmless)
        if index.facts_rows is not None and aggregates.add_macros(con):
            con.execute((QUERIES_DIR / "_searched_facts.sql").read_text(encoding="utf-8"))
            index.serves_facts = True
            index._dense_on_con = False  # as _searched_facts.sql defines search_dense()
            index.facts_positional = _facts_rows_are_positions(con, rows)
    return index


def _facts_rows_are_positions(con: duckdb.DuckDBPyConnection, rows: int) -> bool:
    """Whether lender_facts has `rows` rows with row ids 0..rows-1 (no deleted rows), so that a
    POSITIONAL JOIN lines row id i up with position i."""
    count, top = con.execute("SELECT count(*), max(rowid) FROM lender_facts").fetchall()[0]
    return count == rows and (rows == 0 or top == rows - 1)


# search_dense() for select(): fixed texts, one per answer
DENSE_MACRO = {flag: f"CREATE OR REPLACE TEMP MACRO search_dense() AS {str(flag).lower()}" for flag in (False, True)}


def select(con: duckdb.DuckDBPyConnection, index: TextIndex | None, term: str | None, *,
           cached: bool = True) -> Matches | None:
    """Before running a question with search `term` on `con`: register the matches of `term` as
    `search_rows`, and for many matches their mask as `search_mask` (the macro search_dense() then
    says so: queries/_searched_facts.sql). Call it and run the question under the same lock, as they
    share the connection."""
    if index is None or not term:
        return None
    needle = con.execute("SELECT lower($t)", {"t": term}).fetchall()[0][0].encode("utf-8")
    found = index.find(needle, cached=cached)
    con.register("search_rows", found.rows)
    if index.serves_facts:
        dense = found.mask is not None
        con.register("search_mask", found.mask if dense else NO_MASK)
        if index._dense_on_con != dense:
            # a constant macro, so that DuckDB drops the branch of searched_facts() that doesn't apply
            con.execute(DENSE_MACRO[dense])
            index._dense_on_con = dense
    return found

