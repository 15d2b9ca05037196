"""store.writer(): atomic publish, readers keep the last good version, failures leave no trace."""

from __future__ import annotations

import hashlib
import os

import pytest

from complaints import store


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def count(db) -> int:
    con = store.connect_readonly(db)
    try:
        return con.execute("SELECT count(*) FROM meta WHERE key = 'n'").fetchall()[0][0]
    finally:
        con.close()


def test_store_path_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv("COMPLAINTS_STORE", raising=False)
    assert store.store_path() == store.DEFAULT_STORE
    monkeypatch.setenv("COMPLAINTS_STORE", str(tmp_path / "env.duckdb"))
    assert store.store_path() == tmp_path / "env.duckdb"
    assert store.store_path(tmp_path / "x.duckdb") == tmp_path / "x.duckdb"


def test_connect_readonly_without_store_is_clear(tmp_path):
    with pytest.raises(FileNotFoundError, match="no store"):
        store.connect_readonly(tmp_path / "none.duckdb")


def test_readers_cap_duckdb_memory(tmp_path):
    """The dashboard's connection keeps DuckDB's memory under READER_MEMORY_LIMIT (its default, 80 %
    of RAM, let a 10M store's searches hold 1.57 GB)."""
    import duckdb

    db = tmp_path / "s.duckdb"
    with store.writer(db):
        pass
    con = store.connect_readonly(db)
    reference = duckdb.connect()
    reference.execute(f"SET memory_limit = '{store.READER_MEMORY_LIMIT}'")
    setting = "SELECT current_setting('memory_limit')"
    assert con.execute(setting).fetchall() == reference.execute(setting).fetchall()
    assert duckdb.connect().execute(setting).fetchall() != reference.execute(setting).fetchall()
    con.close()


def test_writer_publishes_on_success_and_meta_roundtrips(tmp_path):
    db = tmp_path / "s.duckdb"
    with store.writer(db) as con:
        store.set_meta(con, n=1, demo="false")
        store.set_meta(con, n=2)
    con = store.connect_readonly(db)
    meta = store.get_meta(con)
    con.close()
    assert meta["n"] == "2" and meta["demo"] == "false" and meta["schema_version"] == store.SCHEMA_VERSION
    assert meta["store_version"]


def test_exception_inside_writer_leaves_store_unchanged(tmp_path):
    db = tmp_path / "s.duckdb"
    with store.writer(db) as con:
        store.set_meta(con, n=1)
    before = sha(db)
    with pytest.raises(RuntimeError), store.writer(db) as con:
        con.execute("INSERT INTO meta VALUES ('n', '2')")
        con.execute("CHECKPOINT")
        raise RuntimeError("midway")
    assert sha(db) == before
    version = store.get_meta(store.connect_readonly(db))["store_version"]
    # nothing left behind: the published store, its lock, and its own search index
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.duckdb", "s.duckdb.lock", f"s.duckdb.search-{version}"]


def test_reader_keeps_last_good_version_during_a_write(tmp_path):
    db = tmp_path / "s.duckdb"
    with store.writer(db) as con:
        con.execute("INSERT INTO meta VALUES ('n', '1')")
    old_reader = store.connect_readonly(db)
    with store.writer(db) as con:
        con.execute("INSERT INTO meta VALUES ('n', '2')")
        con.execute("CHECKPOINT")
        assert count(db) == 1                 # a reader opened during the load sees the published version
    assert count(db) == 2
    assert old_reader.execute("SELECT count(*) FROM meta WHERE key = 'n'").fetchall() == [(1,)]
    old_reader.close()


def test_fresh_starts_empty(tmp_path):
    db = tmp_path / "s.duckdb"
    with store.writer(db) as con:
        con.execute("INSERT INTO meta VALUES ('n', '1')")
    with store.writer(db, fresh=True) as con:
        assert con.execute("SELECT count(*) FROM meta WHERE key = 'n'").fetchall() == [(0,)]
    assert count(db) == 0


def test_stale_private_copy_of_a_dead_writer_is_removed(tmp_path):
    db = tmp_path / "s.duckdb"
    with store.writer(db) as con:
        store.set_meta(con, n=1)
    # a pid that cannot be alive
    stale = tmp_path / f"s.duckdb.building-{2**22 + 12345}"
    stale.write_bytes(b"half a load")
    with store.writer(db):
        pass
    assert not stale.exists()
    assert os.path.exists(db)
