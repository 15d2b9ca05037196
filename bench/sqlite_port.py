"""SQLite comparison: the same rows in a SQLite file, and the same questions in SQLite's dialect.

Export: complaints, complaint_tactics, lenders, ingest_runs and meta are copied row for row (all columns) into a SQLite
file beside the cached DuckDB store, once per store. Dates become ISO text (SQLite has no DATE type;
ISO text sorts and compares correctly), booleans 0/1, lists JSON text. We give SQLite the indexes a
Datasette user would add for these facets (received, lender, complaint_id and tactic on the labels)
and run ANALYZE, so the comparison is against a tuned SQLite, not a bare one.

Translation (see `translate`): mechanical rewrites of the DuckDB dialect, applied in order:
  1. `FROM filtered($start_date, ...)`   -> a CTE `filtered` prepended to the query, whose body is the
     hand-written SQLite port of queries/_filtered.sql in bench/sqlite/_filtered.sql;
  2. `len($p::VARCHAR[])` / `len(p)`      -> `json_array_length(:p)` (list parameters are passed as JSON);
     `list_contains($p, x)`              -> `(x IN (SELECT value FROM json_each(:p)))`;
     `list_distinct(p)`                  -> `(SELECT json_group_array(DISTINCT value) FROM json_each(p))`;
  3. `date_trunc('month'|'year'|'week'|'quarter'|'day', x)` -> `date(x, 'start of month')` etc.;
     `CAST(x AS DATE)` -> `date(x)`; `strftime(x, fmt)` -> `strftime(fmt, x)`; `year(x)`/`month(x)`;
     `contains(a, b)` -> `(instr(a, b) > 0)`; `ILIKE` -> `LIKE`; `::TYPE` casts dropped;
     `$name` -> `:name`.
     `GROUP BY ALL` -> `GROUP BY <positions of the non-aggregate select items>`; `any_value` -> `min`;
     `bool_or` -> `max`; `arg_max(a, n)` -> max over zero-padded n || a,
     `first(a ORDER BY n DESC, a)` likewise with min and max - n; `left` -> `substr`;
     `list(x ORDER BY y)` -> `json_group_array(x)` (SQLite 3.40 has no ordered aggregates);
     `string_agg(DISTINCT x, s)` -> `replace(group_concat(DISTINCT x), ',', s)`; `a / b` -> `a * 1.0 / b`
     (DuckDB divides integers to a float, SQLite to an integer).
A query the rewrites cannot express (QUALIFY) has a hand adaptation bench/sqlite/<query>.sql in DuckDB
syntax, which then goes through the same rewrites; `sqlite_translation` in the report says which.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from datetime import date
from pathlib import Path

import duckdb

from bench.common import BENCH_DIR, strip_sql_comments

SQLITE_DIR = BENCH_DIR / "sqlite"
EXPORT_VERSION = "3"
TABLES = ("complaints", "complaint_tactics", "lenders", "ingest_runs", "meta")
INDEXES = (
    "CREATE INDEX complaints_received ON complaints(received)",
    "CREATE INDEX complaints_lender ON complaints(lender_id)",
    "CREATE INDEX complaints_country ON complaints(country)",
    "CREATE INDEX tactics_complaint ON complaint_tactics(complaint_id, tactic_id)",
    "CREATE INDEX tactics_tactic ON complaint_tactics(tactic_id, complaint_id)",
)


# ---------------------------------------------------------------------------------------------
# Export

def sqlite_path_for(store: Path) -> Path:
    return store.with_name(f"{store.stem}.sqlite-v{EXPORT_VERSION}.db")


def _sqlite_columns(con: duckdb.DuckDBPyConnection, table: str) -> tuple[list[str], list[str]]:
    """(SQLite column definitions, DuckDB select expressions that give SQLite-ready values)."""
    defs, exprs = [], []
    for name, duck_type, *_ in con.execute(f"DESCRIBE {table}").fetchall():
        t = duck_type.upper()
        defs.append(f"{name} {_sqlite_type(t)}")
        if t == "BOOLEAN":
            exprs.append(f"CAST({name} AS INTEGER)")
        elif t.endswith("[]"):
            exprs.append(f"CAST(to_json({name}) AS VARCHAR)")  # lists as JSON text
        elif t == "DATE" or t.startswith("TIMESTAMP"):
            exprs.append(f"CAST({name} AS VARCHAR)")  # ISO text, which sorts and compares correctly
        else:
            exprs.append(name)
    return defs, exprs


def export_to_sqlite(store: Path, target: Path | None = None, batch: int = 100_000, log=print) -> Path:
    """Copy the tables to SQLite (cached: skipped when the file exists). Returns the SQLite path.

    DuckDB converts the values (dates to ISO text, booleans to 0/1, lists to JSON) and hands them over
    as Arrow batches, turned into rows column-wise (a 1M store: 73 s, against 126 s converting value by
    value in Python; a 10M store: 12 minutes).
    """
    target = target or sqlite_path_for(store)
    if target.exists():
        return target
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    log(f"exporting {store.name} to SQLite {target.name}")
    src = duckdb.connect(str(store), read_only=True)
    dst = sqlite3.connect(tmp)
    dst.execute("PRAGMA journal_mode=OFF")
    dst.execute("PRAGMA synchronous=OFF")
    try:
        for table in TABLES:
            defs, exprs = _sqlite_columns(src, table)
            dst.execute(f"CREATE TABLE {table} ({', '.join(defs)})")
            insert = f"INSERT INTO {table} VALUES ({', '.join('?' * len(defs))})"
            reader = src.sql(f"SELECT {', '.join(exprs)} FROM {table}").to_arrow_reader(batch)
            for record_batch in reader:
                dst.executemany(insert, zip(*(column.to_pylist() for column in record_batch.columns), strict=True))
        for ddl in INDEXES:
            dst.execute(ddl)
        dst.execute("ANALYZE")
        dst.commit()
    finally:
        dst.close()
        src.close()
    os.replace(tmp, target)
    return target


def _sqlite_type(duck_type: str) -> str:
    t = duck_type.upper()
    if t in ("BIGINT", "INTEGER", "BOOLEAN", "SMALLINT", "TINYINT", "HUGEINT"):
        return "INTEGER"
    if t in ("DOUBLE", "FLOAT", "REAL") or t.startswith("DECIMAL"):
        return "REAL"
    return "TEXT"  # VARCHAR, DATE (ISO text), TIMESTAMP, lists (JSON)


def connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    con.execute("PRAGMA cache_size=-262144")  # 256 MB page cache: give SQLite a fair amount of memory
    con.execute("PRAGMA mmap_size=4294967296")
    return con


# ---------------------------------------------------------------------------------------------
# Translation

def _split_call(sql: str, open_paren: int) -> tuple[list[str], int]:
    """Arguments of the call whose '(' is at open_paren, and the index just past its ')'."""
    depth, args, start, i, quote = 0, [], open_paren + 1, open_paren, None
    while i < len(sql):
        ch = sql[i]
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                args.append(sql[start:i].strip())
                return args, i + 1
        elif ch == "," and depth == 1:
            args.append(sql[start:i].strip())
            start = i + 1
        i += 1
    raise ValueError("unbalanced parentheses")


def _rewrite_calls(sql: str, name: str, fn) -> str:
    """Replace every call name(...) (case-insensitive, innermost last) by fn(args) -> str."""
    pattern = re.compile(rf"(?<![\w.]){name}\s*\(", re.IGNORECASE)
    out, pos = [], 0
    while m := pattern.search(sql, pos):
        args, end = _split_call(sql, m.end() - 1)
        args = [_rewrite_calls(a, name, fn) for a in args]
        out.append(sql[pos:m.start()])
        out.append(fn(args))
        pos = end
    out.append(sql[pos:])
    return "".join(out)


def _cast(args: list[str]) -> str:
    inner = args[0]
    m = re.match(r"(?is)(.*)\s+AS\s+([\w\[\]]+)\s*$", inner)
    if not m:
        return f"CAST({inner})"
    expr, typ = m.group(1), m.group(2).upper()
    if typ == "DATE":
        return f"date({expr})"
    if typ.endswith("[]"):
        return expr
    return f"CAST({expr} AS {typ})"


_TRUNC = {"month": "'start of month'", "year": "'start of year'", "day": "'start of day'"}


def _date_trunc(args: list[str]) -> str:
    if args[0].lstrip().startswith("$"):  # unit chosen at run time: every unit the pages offer
        cases = " ".join(f"WHEN '{u}' THEN {_date_trunc([repr(u), args[1]])}"
                         for u in ("day", "week", "month", "quarter", "year"))
        return f"(CASE {args[0]} {cases} END)"
    unit, expr = args[0].strip("'\" ").lower(), args[1]
    if unit in _TRUNC:
        return f"date({expr}, {_TRUNC[unit]})"
    if unit == "week":  # ISO weeks start on Monday, as in DuckDB
        return f"date({expr}, '-6 days', 'weekday 1')"
    if unit == "quarter":
        return (f"date({expr}, 'start of month', '-' || ((CAST(strftime('%m', {expr}) AS INTEGER) - 1) % 3) "
                f"|| ' months')")
    raise ValueError(f"date_trunc unit {unit!r} has no SQLite rewrite")


def _list_param(expr: str) -> str:
    return re.sub(r"::[\w\[\]]+", "", expr).strip()


_AGGREGATES = re.compile(r"(?i)\b(count|sum|avg|min|max|any_value|first|list|string_agg|arg_max|arg_min|bool_or|"
                         r"bool_and|group_concat|json_group_array|median|quantile\w*)\s*\(")


def _top_level_split(text: str) -> list[str]:
    parts, depth, start, quote = [], 0, 0, None
    for i, ch in enumerate(text):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _group_by_all(sql: str) -> str:
    """GROUP BY ALL -> GROUP BY <positions of the select items that are not aggregates>."""
    while m := re.search(r"(?i)\bGROUP\s+BY\s+ALL\b", sql):
        # Find the SELECT ... FROM of this query block: walk back at paren depth 0.
        depth, i = 0, m.start() - 1
        select_at = from_at = None
        while i >= 0:
            ch = sql[i]
            if ch == ")":
                depth += 1
            elif ch == "(":
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0:
                if from_at is None and re.match(r"(?i)\bFROM\b", sql[i:i + 5]) and not re.match(r"\w", sql[i - 1]):
                    from_at = i
                if re.match(r"(?i)\bSELECT\b", sql[i:i + 7]) and (i == 0 or not re.match(r"\w", sql[i - 1])):
                    select_at = i
                    break
            i -= 1
        if select_at is None or from_at is None:
            raise ValueError("GROUP BY ALL without a SELECT list")
        items = _top_level_split(sql[select_at + 6:from_at])
        positions = [str(n) for n, item in enumerate(items, 1) if not _AGGREGATES.search(item)]
        sql = sql[:m.start()] + "GROUP BY " + ", ".join(positions) + sql[m.end():]
    return sql


def _list_agg(args: list[str]) -> str:
    expr = re.sub(r"(?is)\s+ORDER\s+BY\s+.*$", "", args[0])  # SQLite 3.40 has no ordered aggregates
    return f"json_group_array({expr})"


def _string_agg(args: list[str]) -> str:
    expr = re.sub(r"(?is)\s+ORDER\s+BY\s+.*$", "", args[0])
    sep = re.sub(r"(?is)\s+ORDER\s+BY\s+.*$", "", args[1]) if len(args) > 1 else "','"
    if expr.upper().startswith("DISTINCT"):  # group_concat(DISTINCT x) takes no separator
        return f"replace(group_concat({expr}), ',', {sep})"
    return f"group_concat({expr}, {sep})"


FILTER_CALL = re.compile(r"filtered\s*\(", re.IGNORECASE)


def sqlite_filtered_body() -> str:
    return strip_sql_comments((SQLITE_DIR / "_filtered.sql").read_text(encoding="utf-8")).strip().rstrip(";")


MACRO_PARAMS = ("start_date", "end_date", "countries", "sources", "lenders", "excluded_lenders", "tactics",
                "tactics_all", "regions", "products", "statuses", "has_narrative", "search")


def _inline_filtered(sql: str) -> tuple[str, list[str]]:
    """Replace each filtered(...) call by a CTE name; one CTE per distinct argument list."""
    ctes: dict[tuple[str, ...], str] = {}
    out, pos = [], 0
    while m := FILTER_CALL.search(sql, pos):
        args, end = _split_call(sql, m.end() - 1)
        key = tuple(args)
        if key not in ctes:
            ctes[key] = "filtered" if not ctes else f"filtered_{len(ctes) + 1}"
        out.append(sql[pos:m.start()] + ctes[key])
        pos = end
    out.append(sql[pos:])
    bodies = []
    for args, name in ctes.items():
        body = sqlite_filtered_body()
        mapping = dict(zip(MACRO_PARAMS, args, strict=True))
        body = re.sub(r"\$([A-Za-z_]\w*)", lambda m, mp=mapping: mp.get(m.group(1), m.group(0)), body)
        bodies.append(f"{name} AS ({body})")
    return "".join(out), bodies


def _first_by_count(args: list[str]) -> str:
    """first(a ORDER BY n DESC, a), n a non-negative integer: the a of the largest n, the least a on a
    tie. The min of zero-padded (max - n) || a, minus the padding."""
    found = re.fullmatch(r"(?is)\s*(.+?)\s+ORDER\s+BY\s+(.+?)\s+DESC", args[0])
    if len(args) != 2 or not found or found.group(1).strip() != args[1].strip():
        raise ValueError(f"no SQLite translation for first({', '.join(args)})")
    value, count = found.group(1), found.group(2)
    return f"substr(min(printf('%020d|', 9223372036854775807 - ({count})) || {value}), 22)"


def translate(sql: str) -> str:
    """DuckDB dialect -> SQLite dialect (see the module docstring for the rewrites)."""
    sql = strip_sql_comments(sql).strip().rstrip(";")
    sql, ctes = _inline_filtered(sql)
    sql = re.sub(r"(?i)\bILIKE\b", "LIKE", sql)
    sql = _rewrite_calls(sql, "strftime", lambda a: f"strftime({a[1]}, {a[0]})")
    sql = _rewrite_calls(sql, "year", lambda a: f"CAST(strftime('%Y', {a[0]}) AS INTEGER)")
    sql = _rewrite_calls(sql, "month", lambda a: f"CAST(strftime('%m', {a[0]}) AS INTEGER)")
    sql = _rewrite_calls(sql, "CAST", _cast)
    sql = _rewrite_calls(sql, "date_trunc", _date_trunc)
    sql = _group_by_all(sql)
    sql = _rewrite_calls(sql, "any_value", lambda a: f"min({a[0]})")
    sql = _rewrite_calls(sql, "bool_or", lambda a: f"max({a[0]})")
    # arg_max(a, n) for a non-negative integer n: the max of zero-padded n || a, minus the padding.
    sql = _rewrite_calls(sql, "arg_max", lambda a: f"substr(max(printf('%020d|', {a[1]}) || {a[0]}), 22)")
    sql = _rewrite_calls(sql, "first", _first_by_count)
    sql = _rewrite_calls(sql, "left", lambda a: f"substr({a[0]}, 1, {a[1]})")
    sql = _rewrite_calls(sql, "list", _list_agg)
    sql = _rewrite_calls(sql, "string_agg", _string_agg)
    # DuckDB's / is float division; SQLite's divides integers to an integer.
    sql = re.sub(r"\s/\s", " * 1.0 / ", sql)
    sql = _rewrite_calls(sql, "contains", lambda a: f"(instr({a[0]}, {a[1]}) > 0)")
    sql = _rewrite_calls(sql, "list_contains",
                         lambda a: f"({a[1]} IN (SELECT value FROM json_each({_list_param(a[0])})))")
    sql = _rewrite_calls(sql, "list_distinct",
                         lambda a: f"(SELECT json_group_array(DISTINCT value) FROM json_each({_list_param(a[0])}))")
    sql = _rewrite_calls(sql, "len", lambda a: f"json_array_length({_list_param(a[0])})")
    sql = re.sub(r"::[A-Za-z]+(\[\])?", "", sql)
    if ctes:
        joined = ",\n".join(ctes)
        if re.match(r"(?is)^\s*WITH\s+RECURSIVE\b", sql):
            sql = re.sub(r"(?is)^\s*WITH\s+RECURSIVE\b", lambda _: f"WITH RECURSIVE {joined},", sql, count=1)
        elif re.match(r"(?is)^\s*WITH\b", sql):
            sql = re.sub(r"(?is)^\s*WITH\b", lambda _: f"WITH {joined},", sql, count=1)
        else:
            sql = f"WITH {joined}\n{sql}"
    return re.sub(r"\$([A-Za-z_]\w*)", r":\1", sql)


def sqlite_sql(name: str, duck_sql: str) -> tuple[str, str]:
    """(SQLite SQL, how it was obtained). A file bench/sqlite/<name>.sql is a hand adaptation of the
    query in DuckDB syntax that avoids a construct SQLite lacks; it then goes through `translate`."""
    override = SQLITE_DIR / f"{name}.sql"
    if override.exists():
        return translate(override.read_text(encoding="utf-8")), "hand-adapted (bench/sqlite/) + mechanical"
    return translate(duck_sql), "mechanical"


def sqlite_params(params: dict, sql: str) -> dict:
    """DuckDB parameters as SQLite binds: lists as JSON, dates as ISO text; only those the SQL uses."""
    used = set(re.findall(r":([A-Za-z_]\w*)", sql))
    out = {}
    for key, value in params.items():
        if key not in used:
            continue
        if isinstance(value, list | tuple):
            out[key] = json.dumps(list(value), ensure_ascii=False)
        elif isinstance(value, date):
            out[key] = value.isoformat()
        elif isinstance(value, bool):
            out[key] = int(value)
        else:
            out[key] = value
    return out
