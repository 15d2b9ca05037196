"""`python -m complaints evaluate`: score the tactic classifier and record the result.

Prints per-tactic precision, recall and F1 with micro and macro averages on our gold set (Chinese and
English separately), the recall of consumer-chosen CFPB sub-issue tactics from the narrative text, and
the 黑猫投诉 coverage / false-positive proxy; writes all of it, dated and with the taxonomy version, to
data/classifier_eval.json (the Methodology page reads it). The real-data sets are skipped with a note
when ../shared/data/real is absent.
"""

from __future__ import annotations

import sys
from pathlib import Path

from complaints import evaluate_tactics as ev
from complaints.tactics import TACTIC_IDS

HELP = ("Score the tactic classifier (gold set, independent set, CFPB narratives, 黑猫) and write "
        "data/classifier_eval.json")


def add_arguments(parser) -> None:
    parser.add_argument("--gold", type=Path, default=ev.GOLD_FILE, help="gold set (JSON lines)")
    parser.add_argument("--real", type=Path, default=ev.REAL_DATA, help="folder with the real data sets")
    parser.add_argument("--out", type=Path, default=ev.EVAL_FILE, help="where to write the JSON report")
    parser.add_argument("--no-write", action="store_true", help="print only, do not write the report")


def _table(name: str, result: dict) -> list[str]:
    lines = [f"\n{name}: {result['texts']} texts", f"{'tactic':34} {'P':>6} {'R':>6} {'F1':>6} {'n':>4}"]
    for t in TACTIC_IDS:
        r = result["per_tactic"][t]
        if r["support"] or r["false_positives"]:
            lines.append(f"{t:34} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} {r['support']:4d}")
    for avg in ("micro", "macro"):
        r = result[avg]
        lines.append(f"{avg + ' average':34} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f}")
    return lines


def _independent(result: dict) -> list[str]:
    if "skipped" in result:
        return [f"\nindependent set: skipped ({result['skipped']})"]
    lines = ["\nindependent set (written by people who never saw the patterns): micro P / R / F1"]
    for lang in ("zh", "en"):
        for split, scores in result.get(lang, {}).items():
            m = scores["micro"]
            lines.append(f"  {lang} {split:8} {m['precision']:.3f} / {m['recall']:.3f} / {m['f1']:.3f} "
                         f"({scores['texts']} texts)")
    return lines


def _num(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def run(args) -> int:
    if not args.gold.is_file():
        print(f"gold set not found: {args.gold}", file=sys.stderr)
        return 2
    try:
        gold = ev.evaluate_gold(args.gold)
    except (ValueError, KeyError) as exc:
        print(f"gold set {args.gold} is malformed: {exc}", file=sys.stderr)
        return 2
    report = ev.evaluate_all(args.real, gold)
    out = [f"taxonomy {report['taxonomy_version']}  ({report['date']})"]
    out += _table("gold, Chinese (简体 + 繁體)", gold["zh"])
    out += _table("gold, English", gold["en"])
    out += _independent(report["independent"])
    cfpb = report["cfpb_narratives"]
    if "skipped" in cfpb:
        out.append(f"\nCFPB narratives: skipped ({cfpb['skipped']})")
    else:
        out.append(f"\nCFPB narratives: recall of the sub-issue tactic from text = {cfpb['recall']:.3f} "
                   f"({cfpb['rows']} rows); dev half {_num(cfpb['recall_dev'])} ({cfpb['rows_dev']}), "
                   f"held-out half {_num(cfpb['recall_heldout'])} ({cfpb['rows_heldout']})")
        out.append(f"  {'tactic':32} {'all':>6} {'dev':>6} {'held':>6}")
        out += [f"  {t:32} {v['recall']:6.3f} {_num(v['recall_dev']):>6} {_num(v['recall_heldout']):>6} "
                f"({v['rows']})" for t, v in cfpb["per_tactic"].items()]
        na = cfpb["non_abusive"]
        if na["rows"]:
            out.append(f"  disputed-debt narratives (not yours / not owed) given >=1 tactic: "
                       f"{na['with_any_tactic']:.3f} ({na['rows']}); most often: " + ", ".join(
                           f"{t} {r:.3f}" for t, r in sorted(na["with_tactic"].items(), key=lambda kv: -kv[1])[:4]))
    hm = report["heimao"]
    if "skipped" in hm:
        out.append(f"\n黑猫投诉: skipped ({hm['skipped']})")
    else:
        out.append(f"\n黑猫投诉: 催收行为类 with >=1 tactic = {hm['collection_with_tactic']:.3f} "
                   f"({hm['collection_rows']}); 其他/客户服务/营销宣传/合同条款 with >=1 tactic = "
                   f"{hm['non_collection_with_tactic']:.3f} ({hm['non_collection_rows']})")
    print("\n".join(out))
    if not args.no_write:
        ev.write(report, args.out)
        print(f"\nwrote {args.out}")
    return 0
