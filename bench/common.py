"""Shared pieces of the benchmark harness: the cached demo store, the queries, the filter
scenarios and the timing helpers. Nothing here imports streamlit."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
CACHE_DIR = BENCH_DIR / "cache"
RESULTS_DIR = BENCH_DIR / "results"
QUERIES_DIR = ROOT / "queries"
FILTER_MACRO_FILE = "_filtered.sql"

DEFAULT_SEED = 2019  # the demo generator's own default
# A fixed last month keeps a cached store identical whatever day the harness runs.
DEFAULT_UNTIL = "2026-10"

# Files whose change changes what the demo generator writes, hence the cache key.
_CODE_GLOBS = ("complaints/**/*.py", "complaints/**/*.sql", "complaints/**/*.json", "complaints/**/*.yaml",
               "complaints/**/*.yml", "complaints/**/*.csv", "complaints/**/*.toml", "complaints/**/*.txt",
               "data/*.json", "data/*.yaml", "data/*.yml", "data/*.csv", "data/*.toml", "data/*.txt")


# ---------------------------------------------------------------------------------------------
# The demo store, built once per (rows, seed, until, code version) and cached under bench/cache/.

def demo_code_version() -> str:
    """Hash of every file the demo build reads: a change to any of them invalidates the cache."""
    digest = hashlib.sha256()
    files = sorted({p for g in _CODE_GLOBS for p in ROOT.glob(g) if p.is_file() and "__pycache__" not in p.parts})
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cached_store_path(rows: int, seed: int = DEFAULT_SEED, until: str = DEFAULT_UNTIL,
                      cache_dir: Path = CACHE_DIR) -> Path:
    return cache_dir / f"demo-r{rows}-s{seed}-u{until}-{demo_code_version()}.duckdb"


def build_demo_store(path: Path, rows: int, seed: int, until: str, log: Callable[[str], None] = print) -> float:
    """Build a demo store through the real pipeline (`python -m complaints demo`). Returns seconds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.duckdb")
    tmp.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "complaints", "demo", "--rows", str(rows), "--seed", str(seed),
           "--until", until, "--store", str(tmp)]
    log(f"building demo store: {' '.join(cmd[1:])}")
    started = time.perf_counter()
    env = dict(os.environ)
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0 or not tmp.exists():
        raise RuntimeError(f"demo build failed ({result.returncode}): {result.stderr.strip()[-2000:]}")
    os.replace(tmp, path)
    Path(str(tmp) + ".lock").unlink(missing_ok=True)  # the store writer's lock file
    return seconds


def _cached_versions(rows: int, seed: int, until: str, cache_dir: Path) -> list[Path]:
    name = re.compile(rf"demo-r{rows}-s{seed}-u{re.escape(until)}-[0-9a-f]{{12}}\.duckdb")
    found = [p for p in cache_dir.glob(f"demo-r{rows}-s{seed}-u{until}-*.duckdb") if name.fullmatch(p.name)]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def ensure_store(rows: int, seed: int = DEFAULT_SEED, until: str = DEFAULT_UNTIL, *, cache_dir: Path = CACHE_DIR,
                 any_version: bool = False, log: Callable[[str], None] = print) -> tuple[Path, float | None, bool]:
    """The cached demo store for these settings, built when missing. any_version=True accepts the
    newest store built by an older code version (handy while the code moves under a long build).
    Returns (path, seconds its build took or None when unknown, reused from the cache?)."""
    path = cached_store_path(rows, seed, until, cache_dir)
    if not path.exists() and any_version and (older := _cached_versions(rows, seed, until, cache_dir)):
        log(f"no store for code version {demo_code_version()}; --any-version: using {older[0].name}")
        path = older[0]
    sidecar = path.with_suffix(".build.json")
    if path.exists():
        log(f"reusing cached store {path}")
        seconds = json.loads(sidecar.read_text())["build_seconds"] if sidecar.exists() else None
        return path, seconds, True
    for stale in cache_dir.glob(f"demo-r{rows}-s{seed}-u{until}-*"):
        if ".tmp" not in stale.name:  # a build in progress elsewhere is not ours to remove
            stale.unlink(missing_ok=True)  # an older code version of the same settings
    seconds = build_demo_store(path, rows, seed, until, log)
    sidecar.write_text(json.dumps({"rows": rows, "seed": seed, "until": until, "build_seconds": round(seconds, 2)}))
    return path, seconds, False


def file_size(path: Path) -> int:
    wal = Path(str(path) + ".wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


# ---------------------------------------------------------------------------------------------
# Queries: one .sql per question; files starting with "_" are shared macros, not questions.

PARAM_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def strip_sql_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def query_params(sql: str) -> list[str]:
    """The $named parameters a query uses, in first-use order (comments ignored)."""
    seen: dict[str, None] = {}
    for name in PARAM_RE.findall(strip_sql_comments(sql)):
        seen.setdefault(name, None)
    return list(seen)


def discover_queries(queries_dir: Path = QUERIES_DIR) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(queries_dir.glob("*.sql"))
            if not p.name.startswith("_")}


def filter_macro_sql(queries_dir: Path = QUERIES_DIR) -> str | None:
    path = queries_dir / FILTER_MACRO_FILE
    return path.read_text(encoding="utf-8") if path.exists() else None


# ---------------------------------------------------------------------------------------------
# Timing

def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=float), q)) if values else float("nan")


def summarize(times_s: list[float]) -> dict:
    ms = [t * 1000 for t in times_s]
    return {"runs": len(ms), "p50_ms": round(percentile(ms, 50), 3), "p95_ms": round(percentile(ms, 95), 3),
            "min_ms": round(min(ms), 3) if ms else None, "max_ms": round(max(ms), 3) if ms else None}


def time_call(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def time_runs(fn: Callable[[], object], runs: int, *, warmup: int = 1, budget_s: float | None = None,
              min_runs: int = 3, before_each: Callable[[], object] | None = None) -> list[float]:
    """Time fn `runs` times after `warmup` untimed calls. With budget_s, stop early once at least
    min_runs are done and the budget is spent (used for the slow comparison engines)."""
    for _ in range(warmup):
        if before_each:
            before_each()
        fn()
    times: list[float] = []
    spent = 0.0
    for _ in range(runs):
        if before_each:
            before_each()
        t = time_call(fn)
        times.append(t)
        spent += t
        if budget_s is not None and len(times) >= min_runs and spent >= budget_s:
            break
    return times


def drop_os_caches() -> bool:
    """Drop the kernel page cache so a 'cold' run reads the store from disk. Needs root; returns
    False (and does nothing) when not allowed."""
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("1\n")
        return True
    except OSError:
        return False


def iso(d: date | str | None) -> str | None:
    return d.isoformat() if isinstance(d, date) else d
