"""The DuckDB store: where it lives, its schema, read-only access, and atomic publishing.

Publishing: a writer never touches the published file. It copies the store to a private
`<name>.building-<pid>` file beside it, loads there, checkpoints, closes, fsyncs and then
`os.replace`s the copy over the published path. A rename is atomic on POSIX, so a reader sees the
old version or the new one, never half a load; a reader that already has the old file open keeps
reading it. A writer that fails or is killed (kill -9) leaves only its private copy behind, which
the next writer removes. A lock file serialises writers.

The text search index of a store (complaints/search.py) lives beside it as
`<name>.search-<store_version>/`: written before the rename, named after the version it indexes,
and the index of the store it replaced is removed after it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from complaints import DATA_DIR, search

SCHEMA_FILE = Path(__file__).with_name("schema.sql")
SCHEMA_VERSION = "1"
DEFAULT_STORE = DATA_DIR / "complaints.duckdb"


def store_path(explicit: str | os.PathLike | None = None) -> Path:
    """--store, else $COMPLAINTS_STORE, else data/complaints.duckdb."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("COMPLAINTS_STORE")
    return Path(env) if env else DEFAULT_STORE


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))


READER_MEMORY_LIMIT = "1GB"  # per read-only connection (the dashboard shares one)


def connect_readonly(path: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """Open the published store for reading. Raises FileNotFoundError when there is none."""
    path = store_path(path)
    if not path.exists():
        raise FileNotFoundError(f"no store at {path}: build one with `python -m complaints demo` "
                                f"or `python -m complaints ingest`")
    # Attach into a private in-memory database rather than duckdb.connect(path): DuckDB caches open
    # database instances per path within a process, so while any connection to the old file stays open
    # (a dashboard's cached connection), connect(path) would keep returning the replaced version.
    con = duckdb.connect()
    try:
        # DuckDB's default is 80 % of RAM, and it keeps what it decompressed: a dashboard answering
        # searches at 10M complaints without the text index grew to 1.57 GB resident; with this
        # limit 1.28 GB, and every question still ran (bench/README.md, sixth pass).
        con.execute(f"SET memory_limit = '{READER_MEMORY_LIMIT}'")
        con.execute(f"ATTACH '{_sql_string(path)}' AS store (READ_ONLY)")
        con.execute("USE store")
    except BaseException:
        con.close()
        raise
    return con


def _sql_string(path: Path) -> str:
    return str(path).replace("'", "''")


def get_meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("SELECT key, value FROM meta").fetchall())


def set_meta(con: duckdb.DuckDBPyConnection, **values: object) -> None:
    for key, value in values.items():
        con.execute("DELETE FROM meta WHERE key = ?", [key])
        con.execute("INSERT INTO meta VALUES (?, ?)", [key, None if value is None else str(value)])


def _building_path(path: Path) -> Path:
    return path.with_name(f"{path.name}.building-{os.getpid()}")


def _remove_stale_builds(path: Path) -> None:
    """Private copies left by writers that died (their pid is gone)."""
    for stale in path.parent.glob(f"{path.name}.building-*"):
        pid = stale.name.rsplit("-", 1)[-1].split(".")[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _pid_alive(int(pid)):
            stale.unlink(missing_ok=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def writer(path: str | os.PathLike | None = None, *, fresh: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a private copy of the store; publish it atomically on success.

    fresh=True starts from an empty store instead of a copy (used by the demo build).
    On any exception the copy is discarded and the published store is untouched.
    Before publishing, the derived tables (complaints.aggregates) and the text search index
    (complaints.search) are rebuilt from the copy, so both always match the store they ship with.
    """
    path = store_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = open(path.with_name(path.name + ".lock"), "w")  # noqa: SIM115 - held for the whole load
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _remove_stale_builds(path)
        building = _building_path(path)
        building.unlink(missing_ok=True)
        if path.exists() and not fresh:
            shutil.copyfile(path, building)
        con = duckdb.connect(str(building))
        version, published = None, False
        try:
            create_schema(con)
            yield con
            from complaints import aggregates  # derived tables always match the store they ship in
            aggregates.build(con)
            version = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6]
            set_meta(con, schema_version=SCHEMA_VERSION, store_version=version,
                     published_at=datetime.now(UTC).isoformat(timespec="seconds"))
            con.execute("CHECKPOINT")
            search.build(con, path, version)  # named after the version it indexes
            con.close()
            _fsync(building)
            os.replace(building, path)
            published = True
            _fsync(path.parent)
            search.remove_other_indexes(path, keep_version=version)
        except BaseException:
            con.close()
            building.unlink(missing_ok=True)
            Path(str(building) + ".wal").unlink(missing_ok=True)
            if version and not published:  # an index built for a store that was never published
                shutil.rmtree(search.index_dir(path, version), ignore_errors=True)
            raise
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()
