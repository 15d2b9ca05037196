"""Throughput of complaints.tactics.classify, one core: narratives per second and µs per narrative.

    python bench/bench_classify.py [--n 2000] [--seconds 3] [--no-prefilter]

Sets:
- synthetic English / Chinese: built from our gold set (tests/data/gold_tactics.jsonl, our own texts),
  padded to about 600 characters. Every gold sentence is a complaint, so these are far denser in
  trigger words than real narratives: a worst case. The Chinese set mixes scripts (OpenCC runs on the
  Traditional ones).
- when ../shared/data/real is present: real CFPB narratives at FULL length (what ingest classifies), the
  same cut to 600 characters, the long ones (>= 600 characters) cut to 600, and real 黑猫 complaints.
  For the full-length CFPB set the median and 90th percentile µs per narrative are reported too (a
  "typical" narrative is the median one). Texts stay in memory; nothing is written.
Targets: >= 5,000 narratives/s on one core; for ingest, ideally <= 50 µs per typical real narrative.
Timing is CPU time of this process (time.process_time), so other load on the machine counts less.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from complaints.tactics import classify  # noqa: E402

GOLD = ROOT / "tests" / "data" / "gold_tactics.jsonl"
REAL = ROOT.parent / "shared" / "data" / "real"
REAL_CFPB = REAL / "cfpb" / "debt_collection" / "cfpb_debt_collection_narratives_labeled.csv.gz"
REAL_HEIMAO = REAL / "chinese" / "celine_heimao_finance" / "category_all_labeled.csv"


def build(lang: str, n: int, seed: int = 7, size: int = 600) -> list[str]:
    rng = random.Random(seed)
    texts = [r["text"] for r in map(json.loads, GOLD.open(encoding="utf-8")) if r["lang"] == lang]
    sep = " " if lang == "en" else ""
    out = []
    for _ in range(n):
        parts, total = [], 0
        while total < size:
            piece = rng.choice(texts)
            parts.append(piece)
            total += len(piece) + len(sep)
        out.append(sep.join(parts)[:size])
    return out


def _repeat(texts: list[str], n: int) -> list[str]:
    return (texts * (n // len(texts) + 1))[:n] if texts else []


def real_cfpb(n: int, min_len: int = 0, cut: int | None = 600) -> list[str]:
    if not REAL_CFPB.exists():
        return []
    with gzip.open(REAL_CFPB, "rt", encoding="utf-8", newline="") as f:
        texts = [t[:cut] if cut else t for r in csv.DictReader(f)
                 if len(t := r["consumer_complaint_narrative"] or "") >= min_len]
    return _repeat(texts, n)


def real_heimao(n: int) -> list[str]:
    if not REAL_HEIMAO.exists():
        return []
    with REAL_HEIMAO.open(encoding="utf-8", newline="") as f:
        texts = [r["text"][:600] for r in csv.DictReader(f)]
    return _repeat(texts, n)


def throughput(texts: list[str], seconds: float) -> tuple[float, float]:
    """(narratives per CPU second, mean characters)."""
    classify(texts[0])  # compile the patterns outside the timed loop
    done, chars, start = 0, 0, time.process_time()
    while time.process_time() - start < seconds:
        for t in texts:
            classify(t)
        done += len(texts)
        chars += sum(map(len, texts))
    elapsed = time.process_time() - start
    return done / elapsed, chars / done


def per_text_us(texts: list[str], repeat: int = 5) -> list[float]:
    """CPU µs for each distinct text (best of `repeat` runs, so a preempted run does not count)."""
    out = []
    for t in dict.fromkeys(texts):
        best = float("inf")
        for _ in range(repeat):
            start = time.process_time()
            classify(t)
            best = min(best, time.process_time() - start)
        out.append(best * 1e6)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="narratives per set")
    parser.add_argument("--seconds", type=float, default=3.0, help="minimum time per set")
    parser.add_argument("--no-prefilter", action="store_true",
                        help="time the word gates alone (as without Hyperscan); the output is the same")
    args = parser.parse_args(argv)
    if args.no_prefilter:
        from complaints import tactics
        tactics.use_prefilter(False)
    print("matcher:", "word gates alone" if args.no_prefilter else "Hyperscan prefilter + re")
    sets = {
        "synthetic English (~600 chars)": build("en", args.n),
        "synthetic Chinese, mixed scripts (~600 chars)": build("zh", args.n),
        "real CFPB narratives, FULL length": real_cfpb(args.n, cut=None),
        "real CFPB narratives (<=600 chars)": real_cfpb(args.n),
        "real CFPB narratives of >=600 chars, cut to 600": real_cfpb(args.n, min_len=600),
        "real 黑猫 complaints (<=600 chars)": real_heimao(args.n),
    }
    print("targets: >= 5,000 narratives/s on one core; <= 50 µs per typical real narrative (ingest)")
    for name, texts in sets.items():
        if not texts:
            print(f"{name:48} skipped (real data absent)")
            continue
        rate, mean_len = throughput(texts, args.seconds)
        print(f"{name:48} {rate:10,.0f} narratives/s  {1e6 / rate:7.1f} µs each  (mean {mean_len:.0f} chars)")
    full = sets["real CFPB narratives, FULL length"]
    if full:
        us = sorted(per_text_us(full))
        lengths = sorted(len(t) for t in dict.fromkeys(full))
        print(f"real CFPB full length, per narrative: median {statistics.median(us):.1f} µs "
              f"(median {statistics.median(lengths):.0f} chars), 90th percentile {us[int(0.9 * len(us))]:.1f} µs, "
              f"mean {statistics.mean(us):.1f} µs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
