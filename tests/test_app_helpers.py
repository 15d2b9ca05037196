"""Pure helpers of the dashboard: CSV formula neutralizing, Wilson intervals, period presets, escaping."""

from __future__ import annotations

from datetime import date

import pandas as pd

from pages.lenders import wilson
from ui.charts import auto_interval, csv_bytes, neutralize, safe_frame
from ui.filters import preset_range
from ui.text import highlight_spans


def test_csv_neutralizes_formulas_but_keeps_numbers():
    df = pd.DataFrame({"name": ["=HYPERLINK(\"x\")", "+1", "-cmd", "@SUM(A1)", "\tx", "\rx", "ok"],
                       "n": [-1, 2, 3, 4, 5, 6, 7]})
    text = csv_bytes(df).decode("utf-8-sig")
    for bad in ("=HYPERLINK", "+1", "-cmd", "@SUM"):
        assert f"'{bad}" in text
    assert "\n'\tx," in text.replace("\r\n", "\n") or "'\tx" in text
    assert ",-1\n" in text.replace("\r\n", "\n")   # numbers stay numbers


def test_safe_frame_treats_text_columns_and_mixed_columns_alike():
    """Text columns are neutralized in one vectorized step, mixed (object) ones cell by cell: the
    result is the same as neutralizing every cell, and missing values stay missing."""
    cells = ["=1+1", None, "ok", "-x", "\tq", "+", "@", "a=b", "", "\rz"]
    df = pd.DataFrame({"text": pd.Series(cells, dtype="str"), "mixed": pd.Series([*cells[:-1], 5], dtype=object),
                       "n": range(len(cells))})
    out = safe_frame(df)

    def plain(values):  # missing as None, so that lists compare
        return [None if pd.isna(v) else v for v in values]

    for column in ("text", "mixed"):
        assert plain(out[column]) == plain(neutralize(v) for v in df[column])
    assert plain(out["text"])[:4] == ["'=1+1", None, "ok", "'-x"]
    assert pd.api.types.is_string_dtype(out["text"]) and out["mixed"].tolist()[-1] == 5
    assert out["n"].tolist() == list(range(len(cells)))


def test_wilson_interval():
    low, high = wilson(0, 10)
    assert low == 0 and 0.25 < high < 0.35
    low, high = wilson(50, 100)
    assert 0.40 < low < 0.41 and 0.59 < high < 0.60
    assert wilson(0, 0) == (0.0, 0.0)


def test_presets_are_relative_to_the_latest_complaint():
    first, last = date(2020, 1, 1), date(2025, 6, 29)
    assert preset_range("12m", first, last) == (date(2024, 6, 29), last)
    assert preset_range("3m", first, last) == (date(2025, 3, 29), last)
    assert preset_range("all", first, last) == (first, last)
    assert preset_range("3y", date(2024, 1, 1), last)[0] == date(2024, 1, 1)


def test_interval_follows_the_range():
    assert [auto_interval(d) for d in (30, 90, 365, 3 * 365, 8 * 365, 20 * 365)] == \
        ["day", "week", "month", "month", "quarter", "year"]


def test_complaint_text_is_escaped_around_the_evidence():
    text = "<script>alert(1)</script> 爆通讯录 **bold**"
    start = text.index("爆通讯录")
    out = highlight_spans(text, [(start, start + 4, "#123456")])
    assert "<script>" not in out and "&lt;script&gt;" in out and "爆通讯录</mark>" in out
    assert "&lt;/script&gt;" in out and "**bold**" in out     # Markdown is not interpreted either
    spans = highlight_spans(text, [(start, start + 4, "#123456"), (start + 1, start + 2, "#000000")])
    assert "<script>" not in spans and spans.count("<mark") == 1
    assert highlight_spans(text, [(5, 999, "#123456")]) == highlight_spans(text, [])   # bad offsets: no mark


def test_stored_values_are_shown_in_the_readers_language(monkeypatch):
    import streamlit as st

    from ui import i18n

    monkeypatch.setattr(st, "session_state", {"lang": "en"})
    assert i18n.value_label("region", "四川") == "Sichuan"
    assert i18n.value_label("status", "已回复") == "Replied"
    assert i18n.value_label("region", "CA") == "California (CA)"
    monkeypatch.setattr(st, "session_state", {"lang": "zh"})
    assert i18n.value_label("status", "Closed with explanation") == "以解释结案"
    assert i18n.value_label("product", "Debt collection") == "债务催收"
    assert i18n.value_label("region", "四川") == "四川"
    assert i18n.value_label("region", "Atlantis") == "Atlantis"   # unknown: shown as stored
    assert i18n.value_label("region", None) is None
