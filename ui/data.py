"""Read-only, cached query execution for the dashboard.

- The store is opened read-only (complaints.store.connect_readonly) and the shared filter macro
  (queries/_filtered.sql) is created on each new connection.
- A newly published store is a new file (atomic rename): os.stat's inode and mtime change, and we
  reconnect. Results are cached per store version + query name + parameters.
- Queries are .sql files in queries/, run with $named parameters only: nothing user-typed is ever
  spliced into SQL.
- Text search uses the store's scan index when it has one (complaints.search): the filter macro's
  `searched` is replaced on the connection, and each search registers its matches first.
- Routing: a question with a version in queries/agg/ is answered from the derived tables built at
  publish when the filters allow it, and under a search through the index from queries/indexed/
  (complaints.aggregates.route); the "show SQL" expander shows the file that actually ran (sql_text
  of a question is the version last run for it in this session).
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

from complaints import QUERIES_DIR, aggregates, frames, search
from complaints.store import connect_readonly, get_meta, store_path

_LOCK = threading.Lock()  # one DuckDB connection is shared by all sessions; queries take turns


def _file_text(name: str) -> str:
    """queries/<name>.sql; name is a question ('tactic_shares') or a routed version ('agg/tactic_shares',
    'indexed/tactic_shares')."""
    if not name.replace("_", "").replace("/", "").isalnum() or name.count("/") > 1:
        raise ValueError(f"bad query name {name!r}")
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _last_routes() -> dict[str, str]:
    """Question -> the file last run for it in this browser session ({} outside a session)."""
    try:
        return st.session_state.setdefault("_query_routes", {})
    except Exception:  # noqa: BLE001 - no script run context (bench, bare tests)
        return {}


def sql_text(name: str) -> str:
    """The SQL of question `name` as last run in this session (its base version if not run yet)."""
    return _file_text(_last_routes().get(name, name))


def store_signature() -> tuple[str, int, int] | None:
    """(path, inode, mtime_ns) of the published store, or None when there is none."""
    path = store_path()
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return str(path), stat.st_ino, stat.st_mtime_ns


@st.cache_resource(max_entries=2, show_spinner=False)
def _open(signature: tuple[str, int, int]) -> tuple[duckdb.DuckDBPyConnection, search.TextIndex | None]:
    """The shared connection to one published store, and its text index when it has a usable one.
    Cached together: a connection whose macro reads the index never outlives the index."""
    con = connect_readonly(Path(signature[0]))
    con.execute(_file_text("_filtered"))
    aggregates.add_macros(con)  # the agg/ versions read the derived tables through them
    return con, search.attach(con, Path(signature[0]))


def _connection(signature: tuple[str, int, int]) -> duckdb.DuckDBPyConnection:
    return _open(signature)[0]


def _execute(signature: tuple[str, int, int], sql: str, params: dict, *, full_rows: bool = False) -> pd.DataFrame:
    """Run `sql` on the shared connection; a search first registers its matches (same lock).
    `full_rows` (downloads, with their narratives): read through Arrow, as complaints/frames.py says."""
    with _LOCK:
        con, index = _open(signature)
        search.select(con, index, params.get("search"))
        aggregates.specialise(con, params)
        if full_rows:
            return frames.rows_frame(con, sql, params)
        return con.execute(sql, params).df()


@st.cache_data(max_entries=8, show_spinner=False)
def _aggregate_info(signature: tuple[str, int, int]) -> dict[str, str]:
    with _LOCK:
        return aggregates.store_info(_connection(signature))


def routed_name(name: str, params: dict) -> str:
    """The file that answers question `name` under these parameters (see complaints.aggregates.route)."""
    signature = store_signature()
    if signature is None:
        return aggregates.route(name, params, {})
    index = _open(signature)[1]
    indexed = index is not None and index.serves_facts
    return aggregates.route(name, params, _aggregate_info(signature), indexed=indexed)


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


def _bound(signature: tuple[str, int, int], sql: str, params: dict) -> dict:
    """The parameters `sql` reads: the filters, and the tactic masks worked out from them for the
    derived tables (complaints.aggregates.with_tactic_bits)."""
    if any(_mentions(sql, name) for name in aggregates.DERIVED_PARAMS):
        params = aggregates.with_tactic_bits(params, _aggregate_info(signature))
    return {k: v for k, v in params.items() if _mentions(sql, k)}


@st.cache_data(max_entries=512, show_spinner=False)
def _run(version: str, signature: tuple[str, int, int], name: str, params_key: str) -> pd.DataFrame:
    sql = _file_text(name)
    return _execute(signature, sql, _bound(signature, sql, json.loads(params_key)))


def run(name: str, params: dict | None = None) -> pd.DataFrame:
    """Run question <name> with the given $named parameters (cached per store version), from the
    derived tables when they cover the filters, else from queries/<name>.sql."""
    signature = store_signature()
    if signature is None:
        raise FileNotFoundError(str(store_path()))
    routed = routed_name(name, params or {})
    _last_routes()[name] = routed
    return _run(store_version(), signature, routed, params_json(params or {})).copy()


def used_params(name: str, params: dict) -> dict:
    """The parameters question `name` runs with, as "show SQL" lists them."""
    sql = _file_text(routed_name(name, params))
    signature = store_signature()
    used = _bound(signature, sql, params) if signature else {k: v for k, v in params.items() if _mentions(sql, k)}
    sources = [key for derived, keys in aggregates.DERIVED_PARAMS.items() if derived in used for key in keys]
    used = {**{k: params.get(k) for k in sources}, **used}  # a mask is listed with what it was worked out from
    return {k: _jsonable(v) for k, v in used.items()}


def fetch(name: str, params: dict) -> pd.DataFrame:
    """Uncached run of full rows, for deferred downloads (they run outside the script thread)."""
    signature = store_signature()
    if signature is None:
        raise FileNotFoundError(str(store_path()))
    sql = _file_text(routed_name(name, params))
    return _execute(signature, sql, _bound(signature, sql, json.loads(params_json(params))), full_rows=True)
