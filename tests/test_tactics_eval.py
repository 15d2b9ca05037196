"""Quality bars for the tactic classifier: our gold set, and (with the real_data fixture) real CFPB
narratives and 黑猫投诉 complaints. Only numbers are computed; real texts never leave ../shared."""

from __future__ import annotations

import functools
import json
from collections import Counter

import pytest

from complaints import evaluate_tactics as ev


@pytest.fixture(scope="module")
def gold_rows():
    return ev.load_gold()


@pytest.fixture(scope="module")
def gold_scores():
    return ev.evaluate_gold()


def test_gold_set_shape(gold_rows):
    by_lang = Counter(r["lang"] for r in gold_rows)
    assert by_lang["zh"] >= 200 and by_lang["en"] >= 120
    assert sum(1 for r in gold_rows if r["script"] == "hant") >= 50
    assert sum(1 for r in gold_rows if r.get("trap")) >= 30
    for lang in ("zh", "en"):
        rows = [r for r in gold_rows if r["lang"] == lang]
        assert sum(1 for r in rows if not r["tactics"]) / len(rows) >= 0.25
    assert len({r["id"] for r in gold_rows}) == len(gold_rows)
    assert all(set(r["tactics"]) <= set(ev.tactics.TACTIC_IDS) for r in gold_rows)


def test_gold_micro_f1(gold_scores):
    assert gold_scores["zh"]["micro"]["f1"] >= 0.90
    assert gold_scores["en"]["micro"]["f1"] >= 0.85


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_tactic_below_075_f1(gold_scores, lang):
    low = {t: r["f1"] for t, r in gold_scores[lang]["per_tactic"].items() if r["support"] and r["f1"] < 0.75}
    assert not low, low


def test_traps_mostly_right(gold_scores):
    for lang in ("zh", "en"):
        assert gold_scores[lang]["traps"]["exact_match"] >= 0.9


@functools.cache
def _cfpb(real_data) -> dict:
    return ev.evaluate_cfpb(real_data)


@pytest.fixture
def cfpb(real_data):
    return _cfpb(real_data)


@pytest.mark.real_data
def test_cfpb_narrative_recall(cfpb):
    assert cfpb["rows"] >= 150
    assert cfpb["rows_dev"] + cfpb["rows_heldout"] == cfpb["rows"]
    assert min(cfpb["rows_dev"], cfpb["rows_heldout"]) >= 60  # the id hash splits about evenly
    # Regression floors below the measured level (taxonomy 2026.11-7: 0.638 whole, 0.700 dev, 0.579
    # held-out). The 0.75 is not reached: see the xfail below and docs/classifier.md.
    assert cfpb["recall"] >= 0.60
    assert cfpb["recall_dev"] >= 0.65
    assert cfpb["recall_heldout"] >= 0.55


@pytest.mark.real_data
def test_cfpb_disputed_debt_narratives_rarely_get_a_tactic(cfpb):
    # Precision check: narratives whose consumer chose "debt is not mine / not owed" (measured 0.250).
    assert cfpb["non_abusive"]["rows"] >= 200
    assert cfpb["non_abusive"]["with_any_tactic"] <= 0.28


@pytest.mark.real_data
@pytest.mark.xfail(reason="not reached: many consumer-chosen sub-issues are not described in the narrative at "
                          "all (docs/classifier.md)", strict=False)
def test_cfpb_narrative_recall_target(cfpb):
    assert cfpb["recall"] >= 0.75


@pytest.mark.real_data
def test_heimao_coverage_and_false_positive_proxy(real_data):
    result = ev.evaluate_heimao(real_data)
    assert result["collection_rows"] == 1000
    assert result["collection_with_tactic"] >= 0.85
    assert result["non_collection_with_tactic"] <= 0.10


def test_independent_set_is_scored_per_language_and_split(tmp_path):
    rows = [{"id": "x1", "lang": "en", "split": "heldout", "tactics": ["third_party_contact"],
             "text": "They called my mother about my debt."},
            {"id": "x2", "lang": "en", "split": "heldout", "tactics": [], "text": "The interest rate is too high."},
            {"id": "x3", "lang": "zh", "split": "dev", "tactics": ["third_party_contact"], "text": "催收打电话给我妈妈。"}]
    path = tmp_path / "independent.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = ev.evaluate_independent(path)
    assert result["en"]["heldout"]["texts"] == 2 and result["en"]["heldout"]["micro"]["f1"] == 1.0
    assert result["zh"]["dev"]["texts"] == 1 and "heldout" not in result["zh"]
    assert "skipped" in ev.evaluate_independent(tmp_path / "absent.jsonl")


def test_independent_set_file_is_well_formed():
    rows = ev.load_gold(ev.INDEPENDENT_FILE)
    assert len({r["id"] for r in rows}) == len(rows) >= 7500
    assert {r["split"] for r in rows} == {"dev", "heldout"}
    assert all(set(r["tactics"]) <= set(ev.tactics.TACTIC_IDS) for r in rows)
    # the held-out halves are big enough to mean something, in both languages
    assert sum(r["split"] == "heldout" and r["lang"] == "en" for r in rows) >= 1750
    assert sum(r["split"] == "heldout" and r["lang"] == "zh" for r in rows) >= 1500
    # batches written after a revision round and never read are held out whole
    never_read = {"D", "J", "K", "P", "Q", "V", "W", "X2", "Y2", "X4", "Y4", "X6", "Y6", "X8", "Y8",
                  "X10", "Y10", "X12", "Y12"}
    assert all(r["split"] == "heldout" for r in rows if r["set"] in never_read)


@functools.cache
def _independent() -> dict:
    return ev.evaluate_independent()


def test_independent_held_out_floors():
    # Regression floors just under the measured level (taxonomy 2026.12-3: 0.839 English, 0.837 Chinese,
    # on 1,474 and 1,237 texts); these texts were never read while revising patterns.
    assert _independent()["en"]["heldout"]["micro"]["f1"] >= 0.82
    assert _independent()["zh"]["heldout"]["micro"]["f1"] >= 0.82


@pytest.mark.xfail(strict=True, reason="independent held-out texts: below the gold targets (docs/classifier.md)")
def test_independent_held_out_reaches_the_gold_targets():
    assert _independent()["en"]["heldout"]["micro"]["f1"] >= 0.85
    assert _independent()["zh"]["heldout"]["micro"]["f1"] >= 0.90
