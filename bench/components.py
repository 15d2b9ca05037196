"""Throughput of the pipeline's parts: ingest (rows/s), scrub and classify (texts/s).

Reuses the per-component benchmarks when they are importable (their own docstrings say what they time):
- scrub_per_s: bench/bench_scrub.py `time_it` over real ~600-character narratives when
  ../shared/data/real is present, else its synthetic worst-case set (CPU time, one core);
- classify_per_s: bench/bench_classify.py `throughput` over its ~600-character narratives built from
  the gold set, Chinese and English mixed (one core);
- ingest_rows_per_s: bench/bench_ingest.py `timed_ingest` of a cached CFPB-format CSV of
  `ingest_rows` rows through `python -m complaints ingest` into a scratch store (wall time, 2 cores).
When one is missing (or its input is), a simple fallback is measured and `*_method` says so:
scrub/classify over texts sampled from the benchmarked store, ingest as rows/s of a demo build.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import duckdb

from bench.common import DEFAULT_SEED, DEFAULT_UNTIL, build_demo_store


def sample_texts(store: Path, sample: int) -> list[str]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        rows = con.execute(f"""SELECT coalesce(narrative, title) FROM complaints
                               WHERE narrative IS NOT NULL OR title IS NOT NULL
                               USING SAMPLE reservoir({int(sample)} ROWS) REPEATABLE (8)""").fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


def rate(fn, items: list, min_seconds: float = 1.0) -> float:
    """Items per second of fn over items, repeating the batch until min_seconds have passed."""
    done, started = 0, time.perf_counter()
    while True:
        for item in items:
            fn(item)
        done += len(items)
        elapsed = time.perf_counter() - started
        if elapsed >= min_seconds or not items:
            return done / elapsed if elapsed else 0.0


def _scrub(store: Path, n: int, seconds: float) -> tuple[float, str]:
    try:
        from bench import bench_scrub
        texts = bench_scrub.real_narratives(n)
        kind = "real narratives"
        if not texts:
            texts, kind = bench_scrub.build_narratives(n), "synthetic worst-case narratives"
        return bench_scrub.time_it(texts, seconds), f"bench/bench_scrub.py time_it, {len(texts)} {kind}"
    except (ImportError, AttributeError, OSError, SystemExit):
        from complaints.anonymize import scrub
        texts = sample_texts(store, n)
        return rate(scrub, texts, seconds), f"scrub over {len(texts)} texts from the store"


def _classify(store: Path, n: int, seconds: float) -> tuple[float, str]:
    try:
        from bench import bench_classify
        texts = bench_classify.build("zh", n // 2) + bench_classify.build("en", n // 2)
        if not texts:
            raise ValueError("no gold texts")
        return bench_classify.throughput(texts, seconds)[0], \
            f"bench/bench_classify.py throughput, {len(texts)} gold-set narratives (zh + en)"
    except (ImportError, AttributeError, OSError, ValueError, KeyError, SystemExit):
        from complaints.tactics import classify
        texts = sample_texts(store, n)
        return rate(classify, texts, seconds), f"classify over {len(texts)} texts from the store"


def _ingest(rows: int, build_seconds: float | None, store_rows: int, log) -> tuple[float, str]:
    try:
        from bench import bench_ingest
        path = bench_ingest.build_input(rows)
        with tempfile.TemporaryDirectory() as tmp:
            result = bench_ingest.timed_ingest(path, Path(tmp) / "ingest.duckdb", None)
        return result["rows_per_s"], (f"bench/bench_ingest.py timed_ingest of {result['rows_read']} CFPB rows "
                                      f"in {result['seconds']} s")
    except (ImportError, AttributeError, OSError, KeyError, SystemExit) as exc:
        log(f"  bench_ingest unavailable ({type(exc).__name__}): timing a demo build instead")
    if build_seconds:
        return store_rows / build_seconds, f"demo build of the benchmarked store ({store_rows} rows in {build_seconds:.1f} s)"
    with tempfile.TemporaryDirectory() as tmp:
        seconds = build_demo_store(Path(tmp) / "ingest.duckdb", rows, DEFAULT_SEED, DEFAULT_UNTIL, log)
    return rows / seconds, f"demo build of {rows} rows in {seconds:.1f} s"


def measure_components(store: Path, build_seconds: float | None, store_rows: int, *, texts: int = 2000,
                       seconds: float = 2.0, ingest_rows: int = 100_000, log=print) -> dict:
    scrub_rate, scrub_how = _scrub(store, texts, seconds)
    classify_rate, classify_how = _classify(store, texts, seconds)
    ingest_rate, ingest_how = _ingest(ingest_rows, build_seconds, store_rows, log)
    out = {"scrub_per_s": round(scrub_rate, 1), "scrub_method": scrub_how,
           "classify_per_s": round(classify_rate, 1), "classify_method": classify_how,
           "ingest_rows_per_s": round(ingest_rate, 1), "ingest_method": ingest_how}
    for key in ("scrub", "classify", "ingest"):
        log(f"  {key}: {out[key + ('_rows_per_s' if key == 'ingest' else '_per_s')]:,.0f}/s ({out[key + '_method']})")
    return out
