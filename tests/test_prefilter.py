"""The Hyperscan prefilter: the classifier's output is the same with it as without it, and the
compiled automaton is cached on disk."""

from __future__ import annotations

import csv
import gzip
import itertools

from complaints import prefilter, tactics


def _classify_both(texts: list[str]) -> tuple[list, list]:
    outputs = []
    for use in (True, False):
        tactics.use_prefilter(use)
        try:
            outputs.append([tactics.classify(t) for t in texts])
        finally:
            tactics.use_prefilter(True)
    return outputs[0], outputs[1]


def test_real_cfpb_narratives_classify_the_same_with_and_without_prefilter(real_data):
    path = real_data / "cfpb/official_schema/bdm_sample_2015-2020_isodates.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        texts = [r["Consumer complaint narrative"] for r in csv.DictReader(fh) if r["Consumer complaint narrative"]]
    texts = texts[:3000]
    with_prefilter, without = _classify_both(texts)
    assert sum(map(bool, with_prefilter)) > 300  # the sample does exercise the tactics
    assert with_prefilter == without


def test_real_heimao_complaints_classify_the_same_with_and_without_prefilter(real_data):
    path = real_data / "chinese/celine_heimao_finance/category_all_labeled.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        texts = [r["text"] for r in itertools.islice(csv.DictReader(fh), 3000)]
    with_prefilter, without = _classify_both(texts)
    assert sum(map(bool, with_prefilter)) > 300
    assert with_prefilter == without


def test_chinese_prefilter_takes_any_script():
    matcher = prefilter.load(["爆(?:了)?通讯录", r"\d+个电话"], unicode=True)
    assert matcher.flagged("他们爆了通讯录") == {0}
    assert matcher.flagged("一天打了３０个电话") == {1}  # a full-width digit is \d for re, and here too
    assert matcher.flagged("催收员很客气") == set()


def test_texts_it_cannot_answer_for_are_left_to_the_word_gates():
    matcher = prefilter.load([r"\bcalled\s+my\s+boss\b"])
    assert matcher.flagged("they called my boss") == {0}
    assert matcher.flagged("they emailed me") == set()
    assert matcher.flagged("they called my boss at the café") is None  # not ASCII
    assert matcher.flagged("they called my\x1cboss") is None  # re's \s matches \x1c, Hyperscan's does not


def test_compiled_automaton_is_cached_on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv(prefilter.CACHE_ENV, str(tmp_path))
    sources = [r"threat\w*\s+(?:\w+\s+){0,6}?sue", r"\bcalled\s+(?:my|our)\s+(?:boss|employer)"]
    first = prefilter.load(sources)
    cached = list(tmp_path.glob("prefilter-*.hsdb"))
    assert len(cached) == 1
    second = prefilter.load(sources)
    assert first.flagged("he threatened to sue") == second.flagged("he threatened to sue") == {0}
    # A damaged cache file is compiled afresh and rewritten, not trusted.
    cached[0].write_bytes(b"not a database")
    third = prefilter.load(sources)
    assert third.flagged("they called our employer") == {1}
    assert cached[0].read_bytes() != b"not a database"


def test_unwritable_cache_and_uncompilable_patterns_still_classify(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv(prefilter.CACHE_ENV, str(blocker / "sub"))  # a directory cannot be made here
    assert prefilter.load([r"\bsue\b"]).flagged("they will sue me") == {0}


def test_a_pattern_hyperscan_refuses_is_always_flagged_and_the_rest_still_filtered(tmp_path, monkeypatch):
    monkeypatch.setenv(prefilter.CACHE_ENV, str(tmp_path))
    # `[::]` is fine for re but Hyperscan reads it as a POSIX class; `(?R)` it does not support at all.
    sources = [r"\bsue\b", r"法院\s*[::]", r"\bjail\b", r"x(?R)"]
    for attempt in ("compiled", "cached"):
        matcher = prefilter.load(sources, unicode=True)
        assert matcher.refused == (1, 3), attempt
        assert matcher.flagged("they will sue me") == {0, 1, 3}, attempt
        assert matcher.flagged("nothing here") == {1, 3}, attempt
        assert matcher.flagged("off to jail") == {2, 1, 3}, attempt
    assert prefilter.load([r"x(?R)"]).flagged("anything") == {0}  # nothing left to compile


def test_the_shipped_taxonomy_compiles_whole_into_the_prefilter():
    # A refused pattern still classifies correctly, but is searched on every text; in 2026.12-1 one
    # Chinese `[:：]` made Hyperscan refuse the whole Chinese automaton and halved the speed unnoticed.
    tactics.use_prefilter(True)
    for lang in ("en", "zh"):
        assert tactics._matcher(lang).prefilter.refused == (), lang
