"""Throughput of complaints.anonymize.scrub on ~600-character narratives, one core.

    python bench/bench_scrub.py [--n 20000] [--seconds 3]

Narratives are built from the annotated corpus (tests/data/anonymize_corpus.jsonl, our own texts):
each is a mix of Chinese and English sentences, padded to about 600 characters, so every one of
them carries several phone numbers, IDs, names or addresses. That is denser than real complaints
(most have none), so the figure is a conservative one. When ../shared/data/real is present the
bench also times real CFPB narratives cut to 600 characters. Target: 10,000 narratives/s.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from complaints.anonymize import scrub  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "anonymize_corpus.jsonl"
REAL_CFPB = ROOT.parent / "shared" / "data" / "real" / "cfpb" / "debt_collection" / \
    "cfpb_debt_collection_narratives_labeled.csv.gz"

# Plain sentences without personal data: most of a real narrative looks like this.
FILLER = [
    "催收人员每天从早上八点打到晚上十点，严重影响了我的工作和生活。",
    "我多次和客服协商分期还款，对方都不同意，只说必须一次性结清。",
    "The collector kept calling my workplace even after I asked them to stop.",
    "I requested validation of the debt in writing and never received a response.",
    "他们还威胁说要把我的欠款信息发给我的亲戚朋友和单位领导。",
    "This account is not mine and I have disputed it with all three bureaus.",
]


def build_narratives(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    texts = [json.loads(line)["text"] for line in CORPUS.open(encoding="utf-8")]
    out = []
    for _ in range(n):
        parts, size = [], 0
        while size < 600:
            piece = rng.choice(texts) if rng.random() < 0.5 else rng.choice(FILLER)
            parts.append(piece)
            size += len(piece) + 1
        out.append(" ".join(parts)[:600])
    return out


def real_narratives(n: int) -> list[str]:
    if not REAL_CFPB.exists():
        return []
    import pandas as pd

    col = pd.read_csv(REAL_CFPB, dtype=str, usecols=["consumer_complaint_narrative"])["consumer_complaint_narrative"]
    texts = [t[:600] for t in col.dropna()]
    return (texts * (n // max(len(texts), 1) + 1))[:n]


def time_it(texts: list[str], seconds: float) -> float:
    done, start = 0, time.perf_counter()
    while True:
        for text in texts:
            scrub(text)
        done += len(texts)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return done / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="distinct narratives per set")
    parser.add_argument("--seconds", type=float, default=3.0, help="minimum time per measurement")
    args = parser.parse_args()
    mixed = build_narratives(args.n)
    avg = sum(map(len, mixed)) / len(mixed)
    rate = time_it(mixed, args.seconds)
    print(f"mixed zh/en narratives, PII-dense (avg {avg:.0f} chars): {rate:,.0f} narratives/s on one core")
    real = real_narratives(args.n)
    if real:
        avg = sum(map(len, real)) / len(real)
        rate_real = time_it(real, args.seconds)
        print(f"real CFPB narratives cut to 600 chars (avg {avg:.0f} chars): {rate_real:,.0f} narratives/s")
    print("target: 10,000 narratives/s", "-> met" if rate >= 10_000 else "-> NOT met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
