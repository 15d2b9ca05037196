"""Evaluation of the tactic classifier on three sets (see docs/tactics.md).

1. gold: our own hand-written, hand-labelled texts (tests/data/gold_tactics.jsonl), multi-label,
   scored per tactic (precision, recall, F1) with micro and macro averages, per language.
2. cfpb: real CFPB Debt collection narratives whose consumer-chosen sub-issue maps to a tactic: does the
   text alone find that tactic (recall)?
3. heimao: real 黑猫投诉 financial complaints: share of 催收行为类 given >= 1 tactic (coverage) versus the
   share of 其他类/客户服务类/营销宣传类/合同条款类 given one (false-positive proxy).
Sets 2 and 3 read /work/shared/data/real and are skipped with a note when it is absent. Only numbers
leave this module: real texts are never written anywhere.
"""

from __future__ import annotations

import csv
import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

from complaints import tactics

ROOT = Path(__file__).resolve().parent.parent
GOLD_FILE = ROOT / "tests" / "data" / "gold_tactics.jsonl"
EVAL_FILE = ROOT / "data" / "classifier_eval.json"
REAL_DATA = ROOT.parent / "shared" / "data" / "real"
CFPB_FILE = Path("cfpb/debt_collection/cfpb_debt_collection_narratives_labeled.csv.gz")
HEIMAO_FILE = Path("chinese/celine_heimao_finance/category_all_labeled.csv")
HEIMAO_COLLECTION = "催收行为类"
HEIMAO_NON_COLLECTION = ("其他类", "客户服务类", "营销宣传类", "合同条款类")


def predict(text: str) -> set[str]:
    return {e.tactic for e in tactics.classify(text)}


def load_gold(path: Path = GOLD_FILE) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


def score(pairs: list[tuple[set[str], set[str]]]) -> dict:
    """Multi-label scores from (gold, predicted) tactic sets."""
    per = {}
    tot_tp = tot_fp = tot_fn = 0
    for t in tactics.TACTIC_IDS:
        tp = sum(1 for g, p in pairs if t in g and t in p)
        fp = sum(1 for g, p in pairs if t not in g and t in p)
        fn = sum(1 for g, p in pairs if t in g and t not in p)
        tot_tp, tot_fp, tot_fn = tot_tp + tp, tot_fp + fp, tot_fn + fn
        per[t] = {**_prf(tp, fp, fn), "support": tp + fn, "false_positives": fp}
    scored = [v for v in per.values() if v["support"] or v["false_positives"]]
    macro = {k: round(sum(v[k] for v in scored) / len(scored), 4) if scored else 0.0
             for k in ("precision", "recall", "f1")}
    exact = sum(1 for g, p in pairs if g == p) / len(pairs) if pairs else 0.0
    return {"texts": len(pairs), "micro": _prf(tot_tp, tot_fp, tot_fn), "macro": macro,
            "exact_match": round(exact, 4), "per_tactic": per}


def evaluate_gold(path: Path = GOLD_FILE) -> dict:
    rows = load_gold(path)
    out = {}
    for lang in ("zh", "en"):
        sub = [r for r in rows if r["lang"] == lang]
        out[lang] = score([(set(r["tactics"]), predict(r["text"])) for r in sub])
        traps = [r for r in sub if r.get("trap")]
        out[lang]["traps"] = {"texts": len(traps), "exact_match": round(
            sum(1 for r in traps if predict(r["text"]) == set(r["tactics"])) / len(traps), 4) if traps else None}
    hant = [r for r in rows if r.get("script") == "hant"]
    out["zh_hant"] = score([(set(r["tactics"]), predict(r["text"])) for r in hant])
    return out


def evaluate_cfpb(real: Path = REAL_DATA) -> dict:
    path = real / CFPB_FILE
    if not path.is_file():
        return {"skipped": f"{path} is absent"}
    hits: dict[str, list[int]] = {}
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            wanted = tactics.sub_issue_tactics(row["issue"], row["sub_issue"])
            if row.get("abusive_tactic", "").lower() != "true" or not wanted:
                continue
            found = predict(row["consumer_complaint_narrative"] or "")
            for t in wanted:
                hits.setdefault(t, []).append(int(t in found))
    all_hits = [h for v in hits.values() for h in v]
    return {
        "rows": len(all_hits),
        "recall": round(sum(all_hits) / len(all_hits), 4) if all_hits else None,
        "per_tactic": {t: {"rows": len(v), "recall": round(sum(v) / len(v), 4)}
                       for t, v in sorted(hits.items(), key=lambda kv: tactics.TACTIC_IDS.index(kv[0]))},
        "note": "sub-issue chosen by the consumer; recall of that tactic from the narrative text alone",
    }


def evaluate_heimao(real: Path = REAL_DATA) -> dict:
    path = real / HEIMAO_FILE
    if not path.is_file():
        return {"skipped": f"{path} is absent"}
    counts: dict[str, list[int]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            counts.setdefault(row["label_zh"], []).append(int(bool(predict(row["text"] or ""))))
    rate = {k: round(sum(v) / len(v), 4) for k, v in counts.items()}
    coll = counts.get(HEIMAO_COLLECTION, [])
    non = [x for k in HEIMAO_NON_COLLECTION for x in counts.get(k, [])]
    return {
        "collection_rows": len(coll),
        "collection_with_tactic": round(sum(coll) / len(coll), 4) if coll else None,
        "non_collection_rows": len(non),
        "non_collection_with_tactic": round(sum(non) / len(non), 4) if non else None,
        "rate_by_label": rate,
        "note": "non-collection = 其他类/客户服务类/营销宣传类/合同条款类; labels are the source's silver labels",
    }


def stamp() -> dict:
    return {"date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "taxonomy_version": tactics.taxonomy_version()}


def evaluate_all(real: Path = REAL_DATA) -> dict:
    return {
        **stamp(),
        "gold": evaluate_gold(),
        "cfpb_narratives": evaluate_cfpb(real),
        "heimao": evaluate_heimao(real),
    }


def write(report: dict, path: Path = EVAL_FILE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
