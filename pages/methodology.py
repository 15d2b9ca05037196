"""Methodology · 方法: sources and provenance, anonymization and its measured recall, the tactic taxonomy,
the classifier's measured accuracy, known limits and how to cite."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from complaints import DATA_DIR
from complaints import evaluate_tactics as ev
from ui import data
from ui.boot import ensure_navigation
from ui.i18n import S, country_name, fmt_int, fmt_pct, lang, source_name, t
from ui.taxonomy import tactic_name, taxonomy

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


def _report(path) -> dict | None:
    """A measured report from data/, or None with a note saying why it cannot be shown."""
    if not path.exists():
        st.caption(t("m_not_measured", file=f"data/{path.name}"))
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        st.caption(f"data/{path.name}: {type(error).__name__}")
        return None


def all_figures(path, report: dict) -> None:
    """Every number of the report, for a researcher, drawn only once the expander is opened."""
    with st.expander(t("m_all_figures", file=f"data/{path.name}"), key=f"all-{path.stem}",
                     on_change="rerun") as shown:
        if shown.open:
            st.dataframe(pd.DataFrame(_flatten(report), columns=[t("metric"), t("value")]), hide_index=True,
                         width="stretch")


def _score(value: object) -> str:
    return "–" if value is None else f"{value:.3f}"


SHARE_CHECKS = ("heimao_collection", "heimao_other")


def _measured(row: dict, report: dict) -> str:
    fmt = fmt_pct if row["check"] in SHARE_CHECKS else _score
    text = fmt(row["value"])
    if row["check"] == "cfpb_recall" and row["value"] is not None:
        cfpb = report.get("cfpb_narratives", {})
        text += " " + t("m_dev_heldout", dev=_score(cfpb.get("recall_dev")), heldout=_score(cfpb.get("recall_heldout")))
    if row["where"]:
        language, tactic = row["where"].split(" ", 1)
        text += f" ({t('lang_' + language)}, {tactic_name(tactic, lang())})"
    return text


def classifier_accuracy() -> None:
    """The classifier's bars, each with its measure, target and whether it is met; then per tactic."""
    st.subheader(t("m_classifier"))
    report = _report(CLASSIFIER_EVAL)
    if report is None:
        return
    st.caption(t("m_eval_stamp", date=str(report.get("date", "?"))[:10], version=report.get("taxonomy_version", "?")))
    marks = {True: t("m_met"), False: t("m_not_met"), None: t("m_not_run")}
    # A Markdown table: its long check names wrap, where a data grid would hide the target and result.
    lines = [f"| {t('m_check')} | {t('m_size')} | {t('m_measured')} | {t('m_target')} | {t('m_result')} |",
             "|---|--:|---|---|---|"]
    for row in ev.checks(report):
        target = f"{100 * row['target']:g}%" if row["check"] in SHARE_CHECKS else f"{row['target']:.2f}"
        size = fmt_int(row["size"]) if row["size"] is not None else ""
        bound = ("≥" if row["op"] == ">=" else "≤") + "\u00a0" + target   # kept on one line
        cells = (t("ev_" + row["check"]), size, _measured(row, report), bound, marks[row["met"]])
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    st.markdown("\n".join(lines))
    st.caption(t("m_checks_note"))
    language = lang()
    st.dataframe(pd.DataFrame([{
        t("page_tactics"): tactic_name(row["tactic_id"], language),
        t("m_gold_zh"): _score(row["gold_zh_f1"]), t("m_gold_zh_n"): row["gold_zh_support"],
        t("m_gold_en"): _score(row["gold_en_f1"]), t("m_gold_en_n"): row["gold_en_support"],
        t("m_cfpb"): _score(row["cfpb_recall"]), t("m_cfpb_n"): row["cfpb_rows"],
    } for row in ev.per_tactic(report)]), hide_index=True, width="stretch")
    all_figures(CLASSIFIER_EVAL, report)


def _label(prefix: str, kind: str) -> str:
    """A kind's name in the reader's language; a kind a newer report adds shows as it is written."""
    return t(prefix + kind) if prefix + kind in S else kind


def scrubber_recall() -> None:
    """Per kind of personal datum: how many the test corpus holds and the share removed; per kind of
    term that must survive: the share kept."""
    st.subheader(t("m_anon_eval"))
    report = _report(ANON_EVAL)
    if report is None:
        return
    st.caption(t("m_anon_stamp", date=str(report.get("date", "?"))[:10], texts=fmt_int(report.get("texts", 0)),
                 leaks=fmt_int(report.get("leaks", 0))))
    left, right = st.columns(2)
    left.dataframe(pd.DataFrame([{
        t("m_kind"): _label("pii_", kind), t("m_items"): row.get("items"), t("m_recall"): fmt_pct(row.get("recall")),
    } for kind, row in report.get("recall", {}).items()]), hide_index=True, width="stretch")
    right.dataframe(pd.DataFrame([{
        t("m_kept_kind"): _label("keep_", kind), t("m_items"): row.get("items"),
        t("m_keep_rate"): fmt_pct(row.get("keep_rate")),
    } for kind, row in report.get("keep", {}).items()]), hide_index=True, width="stretch")
    all_figures(ANON_EVAL, report)


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
    if "source" in runs:
        runs["source"] = [source_name(s) if isinstance(s, str) else s for s in runs["source"]]
    st.dataframe(runs, hide_index=True, width="stretch",
                 column_config={c: t(c) for c in runs.columns if c in S})

    st.subheader(t("m_anon"))
    st.markdown(t("m_anon_text"))
    scrubber_recall()

    st.subheader(t("m_taxonomy"))
    language = lang()
    st.dataframe(pd.DataFrame([{
        t("tactic_id"): i.tactic_id,
        t("page_tactics"): (i.name_zh if language == "zh" else i.name_en) + (" ⚠" if i.severe else ""),
        t("definition"): i.definition_zh if language == "zh" else i.definition_en,
        t("legal_anchor"): i.anchor_zh if language == "zh" else i.anchor_en,
    } for i in taxonomy().values()]), hide_index=True, width="stretch")
    st.caption("⚠ = " + t("severe"))
    classifier_accuracy()

    st.subheader(t("m_limits"))
    st.markdown(t("m_limits_list"))
    st.subheader(t("m_cite"))
    st.markdown(t("m_cite_text"))


CHARTS: dict = {}

if __name__ == "__main__":
    ensure_navigation("methodology")
    render()
