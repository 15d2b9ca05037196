"""Throughput of complaints.anonymize.scrub on ~600-character narratives, one core.

    python bench/bench_scrub.py [--n 20000] [--seconds 3]

Two sets. (1) Typical: real complaints read in place from ../shared/data/real, CFPB debt-collection
narratives and 黑猫 complaint texts alternating, each ~600 characters (the headline figure).
(2) Worst case: synthetic narratives built from our annotated corpus (tests/data/anonymize_corpus.jsonl)
mixed with plain sentences; each carries several phone numbers, IDs, names or addresses, far denser
than real complaints. Target: 10,000 typical narratives/s.
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
REAL = ROOT.parent / "shared" / "data" / "real"
REAL_CFPB = REAL / "cfpb" / "debt_collection" / "cfpb_debt_collection_narratives_labeled.csv.gz"
REAL_ZH = REAL / "chinese" / "celine_heimao_finance" / "category_all_labeled.csv"

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
    """Real complaints (read in place, never copied): CFPB narratives and 黑猫 texts alternating,
    each cut or joined to ~600 characters."""
    if not (REAL_CFPB.exists() and REAL_ZH.exists()):
        return []
    import pandas as pd

    en = pd.read_csv(REAL_CFPB, dtype=str, usecols=["consumer_complaint_narrative"])["consumer_complaint_narrative"]
    zh = pd.read_csv(REAL_ZH, dtype=str, usecols=["text"])["text"].dropna().tolist()
    en = [t[:600] for t in en.dropna() if len(t) >= 300]
    joined, buf = [], ""
    for text in zh:  # Chinese complaints are short (median ~90 chars): join them to ~600
        buf += text
        if len(buf) >= 600:
            joined.append(buf[:600])
            buf = ""
    mixed = [t for pair in zip(en, joined, strict=False) for t in pair]
    return (mixed * (n // max(len(mixed), 1) + 1))[:n]


def time_it(texts: list[str], seconds: float) -> float:
    done, start = 0, time.process_time()
    while True:
        for text in texts:
            scrub(text)
        done += len(texts)
        elapsed = time.process_time() - start
        if elapsed >= seconds:
            return done / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="distinct narratives per set")
    parser.add_argument("--seconds", type=float, default=3.0, help="minimum time per measurement")
    args = parser.parse_args()
    real = real_narratives(args.n)
    rate = None
    if real:
        avg = sum(map(len, real)) / len(real)
        rate = time_it(real, args.seconds)
        print(f"real complaints, CFPB and 黑猫 alternating (avg {avg:.0f} chars): {rate:,.0f} narratives/s on one core")
    dense = build_narratives(args.n)
    avg = sum(map(len, dense)) / len(dense)
    rate_dense = time_it(dense, args.seconds)
    print(f"synthetic zh/en narratives, PII-dense worst case (avg {avg:.0f} chars): {rate_dense:,.0f} narratives/s")
    headline = rate if rate is not None else rate_dense
    print("target: 10,000 narratives/s on typical narratives", "-> met" if headline >= 10_000 else "-> NOT met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
