"""End-to-end ingest throughput on a 1M-row CFPB-format file (adapter, scrub, classify, dedupe, store).

    python bench/bench_ingest.py [--rows 1000000] [--workers N] [--reingest] [--keep] [--out FILE] [--no-breakdown]

The input is built once and cached under bench/cache/ (git-ignored): the real sample
../shared/data/real/cfpb/official_schema/bdm_sample_2015-2020_isodates.csv.gz repeated with fresh
Complaint IDs, so every row is new to the store. The load runs as `python -m complaints ingest` in a
child process into a temporary store (like a user runs it), and the wall time includes everything:
start-up, the atomic publish and the final CHECKPOINT. Target (issue 2): 25,000 rows/s on 2 cores.
--reingest also times a second load of the same file (every row a duplicate). Unless --no-breakdown,
scrub and tactics.classify are also timed alone on the first 20k rows, to show their share of the CPU.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
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

SAMPLE = ROOT.parent / "shared" / "data" / "real" / "cfpb" / "official_schema" / "bdm_sample_2015-2020_isodates.csv.gz"
CACHE = ROOT / "bench" / "cache"
TARGET_ROWS_PER_S = 25_000


def build_input(rows: int) -> Path:
    """The cached CSV of `rows` rows (built on first use)."""
    path = CACHE / f"cfpb_{rows}.csv"
    if path.exists():
        return path
    if not SAMPLE.exists():
        sys.exit(f"real sample {SAMPLE} is absent; cannot build the benchmark input")
    CACHE.mkdir(parents=True, exist_ok=True)
    reader = csv.reader(io.StringIO(gzip.decompress(SAMPLE.read_bytes()).decode("utf-8"), newline=""))
    header = next(reader)
    sample = list(reader)
    id_col = header.index("Complaint ID")
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(header)
        for n in range(rows):
            row = list(sample[n % len(sample)])
            row[id_col] = str(90_000_000 + n)
            out.writerow(row)
    tmp.replace(path)
    return path


def timed_ingest(path: Path, store: Path, workers: int | None) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if workers is not None:
        env["COMPLAINTS_INGEST_WORKERS"] = str(workers)
    cmd = [sys.executable, "-m", "complaints", "ingest", "--source", "cfpb", "--store", str(store),
           "--no-progress", str(path)]
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with RssSampler(proc.pid, interval_s=0.5) as rss:
        out, err = proc.communicate()
    seconds = time.perf_counter() - start
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    if proc.returncode != 0:
        sys.exit(f"ingest failed ({proc.returncode}): {err.strip()}")
    stats = subprocess.run([sys.executable, "-m", "complaints", "stats", "--json", "--store", str(store)],
                           cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    run = json.loads(stats.stdout)["runs"][-1]
    return {"seconds": round(seconds, 1), "rows_read": run["rows_read"], "rows_loaded": run["rows_loaded"],
            "rows_duplicate": run["rows_duplicate"], "rows_quarantined": run["rows_quarantined"],
            "rows_per_s": round(run["rows_read"] / seconds), "cpu_seconds": round(cpu, 1),
            "wall_us_per_row": round(1e6 * seconds / run["rows_read"], 1),
            "cpu_us_per_row": round(1e6 * cpu / run["rows_read"], 1),  # summed over all processes
            # What 2 otherwise idle cores would give if the work spread perfectly: an upper bound,
            # useful when the machine is shared and wall time says more about the neighbours.
            "rows_per_s_2_idle_cores_bound": round(run["rows_read"] / (cpu / 2)) if cpu else None,
            "load_average": round(os.getloadavg()[0], 1), "peak_rss_mb": round(rss.peak / 2**20),
            "store_mb": round(store.stat().st_size / 2**20)}


def classifier_share(path: Path, rows: int = 20_000) -> dict:
    """CPU per row of the text work on the first `rows` rows, in this process: scrub (every text
    field) and tactics.classify (scrubbed narratives), to set against the end-to-end CPU per row."""
    import itertools

    from complaints import anonymize, tactics
    from complaints.record import Record
    from complaints.sources import cfpb

    items = [i for i in itertools.islice(cfpb.read(path), rows) if isinstance(i, Record)]
    narratives = [i.fields["narrative"] for i in items if i.fields.get("narrative")]
    start = time.process_time()
    scrubbed = [anonymize.scrub(t) for t in narratives]
    scrub_s = time.process_time() - start
    tactics.classify(scrubbed[0])  # compile the taxonomy outside the timing
    start = time.process_time()
    for text in scrubbed:
        tactics.classify(text)
    classify_s = time.process_time() - start
    return {"rows": len(items), "narratives": len(narratives),
            "classify_us_per_narrative": round(1e6 * classify_s / max(len(narratives), 1), 1),
            "classify_us_per_row": round(1e6 * classify_s / len(items), 1),
            "scrub_narrative_us_per_row": round(1e6 * scrub_s / len(items), 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=None, help="pipeline worker processes (default: auto)")
    parser.add_argument("--reingest", action="store_true", help="also time a second load (all duplicates)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary store")
    parser.add_argument("--out", help="write the result as JSON here")
    parser.add_argument("--no-breakdown", action="store_true", help="skip timing scrub and classify alone")
    args = parser.parse_args()

    clock = time.perf_counter()
    path = build_input(args.rows)
    print(f"input: {path} ({path.stat().st_size / 2**20:.0f} MB, ready in {time.perf_counter() - clock:.1f} s)")
    folder = Path(tempfile.mkdtemp(prefix="bench_ingest_"))
    store = folder / "bench.duckdb"
    result = {"rows": args.rows, "cpus": os.cpu_count(), "target_rows_per_s": TARGET_ROWS_PER_S}
    try:
        result["first_load"] = timed_ingest(path, store, args.workers)
        print(f"first load:  {json.dumps(result['first_load'])}")
        if args.reingest:
            result["reingest"] = timed_ingest(path, store, args.workers)
            print(f"re-ingest:   {json.dumps(result['reingest'])}")
    finally:
        if args.keep:
            print(f"store kept at {store}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    if not args.no_breakdown:
        result["text_work"] = parts = classifier_share(path)
        share = parts["classify_us_per_row"] / result["first_load"]["cpu_us_per_row"]
        parts["classify_share_of_cpu"] = round(share, 2)
        print(f"text work:   {json.dumps(parts)}")
    rate = result["first_load"]["rows_per_s"]
    verdict = "meets" if rate >= TARGET_ROWS_PER_S else "misses"
    print(f"{rate:,} rows/s end to end: {verdict} the {TARGET_ROWS_PER_S:,} rows/s target")
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
