"""`python -m complaints scrub`: audit the anonymizer.

Without options: read JSON lines {"id": ..., "text": ...} on stdin, write the same objects with
"text" scrubbed, one per line, in order. With --evaluate: measure recall per kind and the keep-rate
of protected terms on the annotated corpus and write the dated table to data/anonymization_eval.json.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from complaints.anonymize import KINDS, scrub
from complaints.commands._jsonl import transform_stream

HELP = "Scrub personal data from JSON lines on stdin (--evaluate: measure recall on the test corpus)"

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "anonymize_corpus.jsonl"
EVAL_OUT = ROOT / "data" / "anonymization_eval.json"

_FULLWIDTH = str.maketrans("０１２３４５６７８９－", "0123456789-")
_NUMBER_SEPARATORS = re.compile(r"[\s\-.()（）+＋]")


def add_arguments(parser) -> None:
    parser.add_argument("--evaluate", action="store_true",
                        help="print recall per kind and keep-rate on the corpus; write data/anonymization_eval.json")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="annotated corpus (JSON lines)")
    parser.add_argument("--out", type=Path, default=EVAL_OUT, help="where --evaluate writes its table")


def run(args) -> int:
    if args.evaluate:
        return _run_evaluate(args.corpus, args.out)
    return _run_stream(sys.stdin, sys.stdout)


def _scrubbed(obj: dict, text: str | None) -> dict:
    return {**obj, "text": scrub(text)}


def _run_stream(stdin, stdout) -> int:
    return transform_stream(stdin, stdout, _scrubbed)


# ------------------------------------------------------------------------------------------ evaluation


def load_corpus(path: Path = CORPUS) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _digits_only(text: str) -> str:
    return _NUMBER_SEPARATORS.sub("", text.translate(_FULLWIDTH))


def leaked(value: str, scrubbed: str) -> bool:
    """A datum leaks if it survives as written, or (for numbers) with its separators removed."""
    if value in scrubbed:
        return True
    digits = _digits_only(value)
    return sum(c.isdigit() for c in digits) >= 7 and digits in _digits_only(scrubbed)


def evaluate(items: list[dict]) -> dict:
    """Recall per kind (datum gone after scrub) and keep-rate per protected category."""
    found, total, typed = defaultdict(int), defaultdict(int), defaultdict(int)
    kept, protected = defaultdict(int), defaultdict(int)
    leaks: list[dict] = []
    lost: list[dict] = []
    for item in items:
        out = scrub(item["text"])
        for entry in item["remove"]:
            kind = entry["kind"]
            total[kind] += 1
            if leaked(entry["value"], out):
                leaks.append({"id": item["id"], "kind": kind, "value": entry["value"]})
            else:
                found[kind] += 1
        for kind in {e["kind"] for e in item["remove"]}:
            expected = sum(e["kind"] == kind for e in item["remove"])
            typed[kind] += min(expected, out.count(f"[{kind}]"))
        for entry in item["keep"]:
            protected[entry["kind"]] += 1
            if out.count(entry["value"]) >= item["text"].count(entry["value"]):
                kept[entry["kind"]] += 1
            else:
                lost.append({"id": item["id"], "kind": entry["kind"], "value": entry["value"]})
    recall = {k: {"items": total[k], "removed": found[k], "recall": round(found[k] / total[k], 4),
                  "typed_correctly": round(typed[k] / total[k], 4)}
              for k in KINDS if total[k]}
    keep = {k: {"items": protected[k], "kept": kept[k], "keep_rate": round(kept[k] / protected[k], 4)}
            for k in sorted(protected)}
    subsets: dict = {}
    for item in items:
        name = item.get("source", "templated")
        row = subsets.setdefault(name, {"texts": 0, "items": 0, "removed": 0, "protected": 0, "kept": 0})
        row["texts"] += 1
    by_id = {item["id"]: item.get("source", "templated") for item in items}
    for item in items:
        row = subsets[by_id[item["id"]]]
        row["items"] += len(item["remove"])
        row["protected"] += len(item["keep"])
    leaked_by = _count(by_id[leak["id"]] for leak in leaks)
    lost_by = _count(by_id[miss["id"]] for miss in lost)
    for name, row in subsets.items():
        row["removed"] = row["items"] - leaked_by.get(name, 0)
        row["kept"] = row["protected"] - lost_by.get(name, 0)
        row["recall"] = round(row["removed"] / max(row["items"], 1), 4)
        row["keep_rate"] = round(row["kept"] / max(row["protected"], 1), 4)
    all_found, all_total = sum(found.values()), sum(total.values())
    all_kept, all_protected = sum(kept.values()), sum(protected.values())
    return {
        "texts": len(items),
        "languages": dict(sorted(_count(item["lang"] for item in items).items())),
        "recall": recall,
        "keep": keep,
        "overall": {"recall": round(all_found / max(all_total, 1), 4),
                    "keep_rate": round(all_kept / max(all_protected, 1), 4)},
        "subsets": dict(sorted(subsets.items())),
        "leaks": leaks,
        "lost": lost,
    }


def _count(values) -> dict:
    counts: dict = defaultdict(int)
    for v in values:
        counts[v] += 1
    return counts


def _run_evaluate(corpus: Path, out: Path) -> int:
    try:
        items = load_corpus(corpus)
    except (OSError, json.JSONDecodeError, KeyError) as exc:
        print(f"cannot read corpus {corpus}: {exc}", file=sys.stderr)
        return 2
    result = evaluate(items)
    result = {"date": dt.date.today().isoformat(), "corpus": _display_path(corpus), **result}
    print(f"Anonymizer evaluation · 匿名化评估  ({result['texts']} texts: "
          + ", ".join(f"{k} {v}" for k, v in result["languages"].items()) + ")")
    print(f"{'kind':<10}{'items':>7}{'removed':>9}{'recall':>9}{'typed':>8}")
    for kind, row in result["recall"].items():
        print(f"{kind:<10}{row['items']:>7}{row['removed']:>9}{row['recall']:>9.1%}{row['typed_correctly']:>8.1%}")
    print(f"{'protected':<10}{'items':>7}{'kept':>9}{'rate':>9}")
    for kind, row in result["keep"].items():
        print(f"{kind:<10}{row['items']:>7}{row['kept']:>9}{row['keep_rate']:>9.1%}")
    print(f"overall recall {result['overall']['recall']:.1%}, keep-rate {result['overall']['keep_rate']:.1%}")
    for name, row in result["subsets"].items():
        print(f"  {name}: {row['texts']} texts, recall {row['recall']:.1%} ({row['removed']}/{row['items']}), "
              f"keep-rate {row['keep_rate']:.1%} ({row['kept']}/{row['protected']})")
    for leak in result["leaks"][:20]:
        print(f"  leak {leak['id']} {leak['kind']}: {leak['value']}")
    for miss in result["lost"][:20]:
        print(f"  lost {miss['id']} {miss['kind']}: {miss['value']}")
    # The published table carries no corpus values, only counts.
    table = {k: v for k, v in result.items() if k not in ("leaks", "lost")}
    table["leaks"] = len(result["leaks"])
    table["lost"] = len(result["lost"])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(table, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {_display_path(out)}")
    return 0


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
