"""Read-only, cached query execution for the dashboard.

- The store is opened read-only (complaints.store.connect_readonly) and the shared filter macro
  (queries/_filtered.sql) is created on each new connection.
- A newly published store is a new file (atomic rename): os.stat's inode and mtime change, and we
  reconnect. Results are cached per store version + query name + parameters.
- Queries are .sql files in queries/, run with $named parameters only: nothing user-typed is ever
  spliced into SQL.
"""

from __future__ import annotations

import json
import os
import re
import threading
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from complaints import QUERIES_DIR
from complaints.store import connect_readonly, get_meta, store_path

_LOCK = threading.Lock()  # one DuckDB connection is shared by all sessions; queries take turns


def sql_text(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"bad query name {name!r}")
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def store_signature() -> tuple[str, int, int] | None:
    """(path, inode, mtime_ns) of the published store, or None when there is none."""
    path = store_path()
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return str(path), stat.st_ino, stat.st_mtime_ns


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(signature: tuple[str, int, int]) -> duckdb.DuckDBPyConnection:
    con = connect_readonly(Path(signature[0]))
    con.execute(sql_text("_filtered"))
    return con


def connection() -> duckdb.DuckDBPyConnection:
    signature = store_signature()
    if signature is None:
        raise FileNotFoundError(str(store_path()))
    return _connection(signature)


@st.cache_data(max_entries=8, show_spinner=False)
def _meta(signature: tuple[str, int, int]) -> dict[str, str]:
    with _LOCK:
        return get_meta(_connection(signature))


def meta() -> dict[str, str]:
    signature = store_signature()
    return _meta(signature) if signature else {}


def store_version() -> str:
    return meta().get("store_version", "unknown")


def _jsonable(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


def _mentions(sql: str, param: str) -> bool:
    return re.search(r"\$" + re.escape(param) + r"\b", sql) is not None


def params_json(params: dict) -> str:
    return json.dumps({k: _jsonable(v) for k, v in sorted(params.items())}, ensure_ascii=False)


@st.cache_data(max_entries=512, show_spinner=False)
def _run(version: str, signature: tuple[str, int, int], name: str, params_key: str) -> pd.DataFrame:
    params = json.loads(params_key)
    sql = sql_text(name)
    used = {k: v for k, v in params.items() if _mentions(sql, k)}
    with _LOCK:
        return _connection(signature).execute(sql, used).df()


def run(name: str, params: dict | None = None) -> pd.DataFrame:
    """Run queries/<name>.sql with the given $named parameters (cached per store version)."""
    signature = store_signature()
    if signature is None:
        raise FileNotFoundError(str(store_path()))
    return _run(store_version(), signature, name, params_json(params or {})).copy()


def used_params(name: str, params: dict) -> dict:
    sql = sql_text(name)
    return {k: _jsonable(v) for k, v in params.items() if _mentions(sql, k)}


def fetch(name: str, params: dict) -> pd.DataFrame:
    """Uncached run, for deferred downloads (they run outside the script thread)."""
    signature = store_signature()
    if signature is None:
        raise FileNotFoundError(str(store_path()))
    sql = sql_text(name)
    clean = json.loads(params_json(params))
    with _LOCK:
        return _connection(signature).execute(sql, {k: v for k, v in clean.items() if _mentions(sql, k)}).df()
