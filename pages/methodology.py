"""Methodology · 方法: sources and provenance, anonymization and its measured recall, the tactic taxonomy,
the classifier's measured accuracy, known limits and how to cite."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from complaints import DATA_DIR
from ui import data
from ui.boot import ensure_navigation
from ui.i18n import S, country_name, lang, source_name, t
from ui.taxonomy import taxonomy

ANON_EVAL = DATA_DIR / "anonymization_eval.json"
CLASSIFIER_EVAL = DATA_DIR / "classifier_eval.json"


def _flatten(value: object, prefix: str = "") -> list[tuple[str, str]]:
    """A JSON report as (key path, value) rows; long lists are summarised."""
    if isinstance(value, dict):
        rows = []
        for key, inner in value.items():
            rows.extend(_flatten(inner, f"{prefix}.{key}" if prefix else str(key)))
        return rows
    if isinstance(value, list):
        if len(value) > 20 or any(isinstance(v, dict | list) for v in value):
            return [(prefix, f"[{len(value)} items]")]
        return [(prefix, ", ".join(map(str, value)))]
    if isinstance(value, float):
        return [(prefix, f"{value:.3f}")]
    return [(prefix, str(value))]


def eval_report(path, title_key: str) -> None:
    st.subheader(t(title_key))
    if not path.exists():
        st.caption(t("m_not_measured", file=f"data/{path.name}"))
        return
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        st.caption(f"data/{path.name}: {type(error).__name__}")
        return
    rows = _flatten(report)
    st.dataframe(pd.DataFrame(rows, columns=[t("metric"), t("value")]), hide_index=True, width="stretch")
    st.caption(f"data/{path.name}")


def render() -> None:
    st.title(t("page_methodology"))
    meta = data.meta()
    st.caption(t("m_store", v=meta.get("store_version", "?"), p=meta.get("published_at", "?")))

    st.subheader(t("m_sources"))
    sources = data.run("methodology_sources")
    sources["source"] = [source_name(s) for s in sources["source"]]
    sources["country"] = [country_name(c) if isinstance(c, str) else "–" for c in sources["country"]]
    st.dataframe(sources, hide_index=True, width="stretch", column_config={
        "source": t("source"), "country": t("country"), "complaints": t("count"),
        "first_date": st.column_config.DateColumn(t("first_date"), format="YYYY-MM-DD"),
        "last_date": st.column_config.DateColumn(t("last_date"), format="YYYY-MM-DD"),
        "share_with_narrative": st.column_config.NumberColumn(t("share_with_narrative"), format="percent")})
    st.caption(t("m_sources_text"))
    runs = data.run("methodology_ingest_runs")
    st.dataframe(runs, hide_index=True, width="stretch",
                 column_config={c: t(c) for c in runs.columns if c in S})

    st.subheader(t("m_anon"))
    st.markdown(t("m_anon_text"))
    eval_report(ANON_EVAL, "m_anon_eval")

    st.subheader(t("m_taxonomy"))
    language = lang()
    st.dataframe(pd.DataFrame([{
        t("tactic_id"): i.tactic_id,
        t("page_tactics"): (i.name_zh if language == "zh" else i.name_en) + (" ⚠" if i.severe else ""),
        t("definition"): i.definition_zh if language == "zh" else i.definition_en,
        t("legal_anchor"): i.anchor_zh if language == "zh" else i.anchor_en,
    } for i in taxonomy().values()]), hide_index=True, width="stretch")
    st.caption("⚠ = " + t("severe"))
    eval_report(CLASSIFIER_EVAL, "m_classifier")

    st.subheader(t("m_limits"))
    st.markdown(t("m_limits_list"))
    st.subheader(t("m_cite"))
    st.markdown(t("m_cite_text"))


CHARTS: dict = {}

if __name__ == "__main__":
    ensure_navigation("methodology")
    render()
