"""The classifier's measured bars as the Methodology page shows them: each check's measure, target and
result come from the report, and a set the report lacks shows as not measured, not as met."""

from __future__ import annotations

from complaints import evaluate_tactics as ev
from complaints.tactics import TACTIC_IDS

REPORT = {
    "gold": {
        "zh": {"texts": 200, "micro": {"f1": 0.93},
               "per_tactic": {"abusive_language": {"f1": 0.8, "support": 10}, "workplace_contact": {"f1": 0.0, "support": 0}}},
        "en": {"texts": 120, "micro": {"f1": 0.84},
               "per_tactic": {"abusive_language": {"f1": 0.74, "support": 5}}},
    },
    "heimao": {"collection_with_tactic": 0.86, "collection_rows": 1000, "non_collection_with_tactic": 0.12,
               "non_collection_rows": 3000},
}


def test_checks_compare_each_measure_with_its_target():
    rows = {row["check"]: row for row in ev.checks(REPORT)}
    assert [row["check"] for row in ev.checks(REPORT)] == [c[0] for c in ev.TARGETS]
    assert rows["gold_zh_micro_f1"]["met"] is True and rows["gold_zh_micro_f1"]["size"] == 200
    assert rows["gold_en_micro_f1"]["met"] is False   # 0.84 < 0.85
    # the lowest tactic F1 counts only tactics with examples (workplace_contact has none here)
    low = rows["gold_min_tactic_f1"]
    assert (low["value"], low["where"], low["met"]) == (0.74, "en abusive_language", False)
    assert rows["heimao_collection"]["met"] is True and rows["heimao_other"]["met"] is False   # 12 % > 10 %
    assert rows["cfpb_recall"]["value"] is None and rows["cfpb_recall"]["met"] is None   # not in the report


def test_per_tactic_rows_follow_the_taxonomy_and_leave_untested_tactics_empty():
    rows = ev.per_tactic(REPORT)
    assert [r["tactic_id"] for r in rows] == list(TACTIC_IDS)
    abusive = next(r for r in rows if r["tactic_id"] == "abusive_language")
    assert (abusive["gold_zh_f1"], abusive["gold_zh_support"], abusive["gold_en_f1"]) == (0.8, 10, 0.74)
    workplace = next(r for r in rows if r["tactic_id"] == "workplace_contact")
    assert workplace["gold_zh_f1"] is None and workplace["cfpb_recall"] is None and workplace["cfpb_rows"] == 0


def test_independent_held_out_halves_are_checked_with_the_gold_targets():
    report = {"independent": {"zh": {"heldout": {"texts": 107, "micro": {"f1": 0.91}}},
                              "en": {"dev": {"texts": 600, "micro": {"f1": 0.95}},
                                     "heldout": {"texts": 286, "micro": {"f1": 0.80}}}}}
    rows = {row["check"]: row for row in ev.checks(report)}
    zh, en = rows["independent_zh_heldout_f1"], rows["independent_en_heldout_f1"]
    assert (zh["value"], zh["size"], zh["target"], zh["met"]) == (0.91, 107, 0.90, True)
    # the dev half (read while revising) never stands in for the held-out half
    assert (en["value"], en["size"], en["target"], en["met"]) == (0.80, 286, 0.85, False)
