"""Wall time and peak memory of a demo build: generator alone, and the whole build through the pipeline.

    python bench/bench_demo.py [--rows 10000000] [--seed 2019] [--until 2026-10] [--keep] [--out FILE]

The build runs as `python -m complaints demo` in a child process (with its own pipeline workers),
so the figures include everything a user waits for. Peak memory is reported two ways:
- ru_maxrss of children (getrusage RUSAGE_CHILDREN): the largest single process of the tree;
- the sampled peak of the summed RSS of the whole process tree (parent + pool workers), every 0.5 s.
Budget (issue 5): the default 200,000 rows in <= 60 s on 2 cores; 10,000,000 rows under 4 GB.
The store goes to a temporary folder and is removed unless --keep.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import RssSampler  # noqa: E402
from complaints import demo  # noqa: E402


def time_generator(rows: int, seed: int, until: str, folder: Path) -> dict:
    started = time.perf_counter()
    p = demo.plan(seed, rows, until)
    files = demo.write_files(p, folder)
    seconds = time.perf_counter() - started
    size = sum(f.stat().st_size for paths in files.values() for f in paths)
    for paths in files.values():
        for f in paths:
            f.unlink()
    return {"rows": p.total, "seconds": round(seconds, 2), "rows_per_s": round(p.total / seconds),
            "bytes_written": size}


def time_build(rows: int, seed: int, until: str, store: Path) -> dict:
    cmd = [sys.executable, "-m", "complaints", "demo", "--rows", str(rows), "--seed", str(seed),
           "--until", until, "--store", str(store), "--no-progress"]
    started = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with RssSampler(child.pid, interval_s=0.5) as rss:
        output, _ = child.communicate()
    seconds = time.perf_counter() - started
    maxrss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"rows": rows, "seconds": round(seconds, 1), "rows_per_s": round(rows / seconds),
            "exit_code": child.returncode, "max_single_process_rss_mb": round(maxrss_kb / 1024),
            "peak_tree_rss_mb": round(rss.peak / 2**20),
            "store_mb": round(store.stat().st_size / 2**20) if store.exists() else None,
            "output": output.strip().splitlines()[-3:]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
    parser.add_argument("--until", default="2026-10")
    parser.add_argument("--keep", action="store_true", help="keep the built store and print its path")
    parser.add_argument("--skip-generator", action="store_true", help="only time the whole build")
    parser.add_argument("--out", help="also write the result as JSON to this file")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-demo-"))
    try:
        result = {"cpus": os.cpu_count(), "load_avg_before": os.getloadavg()}
        if not args.skip_generator:
            result["generator"] = time_generator(args.rows, args.seed, args.until, folder)
        result["build"] = time_build(args.rows, args.seed, args.until, folder / "demo.duckdb")
        result["load_avg_after"] = os.getloadavg()
        if args.keep:
            result["store"] = str(folder / "demo.duckdb")
        text = json.dumps(result, indent=2, ensure_ascii=False)
        print(text)
        if args.out:
            Path(args.out).write_text(text + "\n", encoding="utf-8")
        return 0 if result["build"]["exit_code"] == 0 else 1
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
