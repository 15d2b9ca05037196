"""Throughput of complaints.tactics.classify on ~600-character narratives, one core.

    python bench/bench_classify.py [--n 5000] [--seconds 3]

Synthetic narratives are built from our gold set (tests/data/gold_tactics.jsonl, our own texts):
English-only ones (the CFPB case, no OpenCC), Chinese ones (OpenCC t2s runs on each), each padded
to about 600 characters. Every gold sentence is a complaint, so these are far denser in trigger
words than real narratives: a worst case. When ../shared/data/real is present the bench also times real CFPB
narratives and real 黑猫 complaints cut to 600 characters (texts stay in memory, nothing is written).
Target: >= 5,000 narratives/s on one core (CPU time of this process, so other load on the machine
does not count against it).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
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


def real_cfpb(n: int, min_len: int = 0) -> list[str]:
    if not REAL_CFPB.exists():
        return []
    with gzip.open(REAL_CFPB, "rt", encoding="utf-8", newline="") as f:
        texts = [t[:600] for r in csv.DictReader(f) if len(t := r["consumer_complaint_narrative"]) >= min_len]
    return (texts * (n // len(texts) + 1))[:n]


def real_heimao(n: int) -> list[str]:
    if not REAL_HEIMAO.exists():
        return []
    with REAL_HEIMAO.open(encoding="utf-8", newline="") as f:
        texts = [r["text"][:600] for r in csv.DictReader(f)]
    return (texts * (n // len(texts) + 1))[:n]


def throughput(texts: list[str], seconds: float) -> tuple[float, float]:
    classify(texts[0])  # compile the patterns outside the timed loop
    done, chars, start = 0, 0, time.process_time()
    while time.process_time() - start < seconds:
        for t in texts:
            classify(t)
        done += len(texts)
        chars += sum(map(len, texts))
    elapsed = time.process_time() - start
    return done / elapsed, chars / done


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="narratives per set")
    parser.add_argument("--seconds", type=float, default=3.0, help="minimum time per set")
    args = parser.parse_args(argv)
    sets = {
        "synthetic English (~600 chars)": build("en", args.n),
        "synthetic Chinese, mixed scripts (~600 chars)": build("zh", args.n),
        "real CFPB narratives (<=600 chars)": real_cfpb(args.n),
        "real CFPB narratives of >=600 chars, cut to 600": real_cfpb(args.n, min_len=600),
        "real 黑猫 complaints (<=600 chars)": real_heimao(args.n),
    }
    print("target: >= 5,000 narratives/s on one core")
    for name, texts in sets.items():
        if not texts:
            print(f"{name:48} skipped (real data absent)")
            continue
        rate, mean_len = throughput(texts, args.seconds)
        print(f"{name:48} {rate:10,.0f} narratives/s   (mean {mean_len:.0f} chars)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
