"""Tactics · 催收手段: share of complaints with each tactic, trends, co-occurrence, definitions with legal
anchors, and example excerpts with the evidence highlighted (complaint text is always plain text)."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from ui import charts, data, figures
from ui.boot import ensure_navigation
from ui.filters import current
from ui.i18n import fmt_date, fmt_int, fmt_pct, lang, t
from ui.taxonomy import tactic_name, tactic_short, taxonomy
from ui.text import highlight_spans

BLUES = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")


def _total(params: dict) -> int:
    return int(data.run("records_count", params)["n"].iloc[0])


def share_chart() -> None:
    params = current().params()
    df = data.run("tactic_shares", params)
    if df.empty:
        return charts.no_data()
    language = lang()
    info = taxonomy()
    df["name"] = [tactic_name(x, language) + (" ⚠" if info[x].severe else "") for x in df["tactic_id"]]
    fig = figures.ranked_bars(
        df["name"], df["share"], colors=[info[x].colour for x in df["tactic_id"]], is_percent=True,
        texts=[f"{fmt_pct(s)} · {fmt_int(n)}" for s, n in zip(df["share"], df["complaints"], strict=True)],
        axis_name=t("share"), name=t("share"))
    table = df[["tactic_id", "name", "complaints", "share"]]
    charts.show("tactics-share", fig, table, "tactic_shares", params, title=t("ch_tactic_share"),
                n=_total(params), height=140 + 36 * len(df), legend=False)


def trend_chart() -> None:
    filters = current()
    interval = charts.interval_option(filters.days)
    view = charts.option("tview", ("lines", "small"), "lines", t("trend_view"),
                         {"lines": t("view_lines"), "small": t("view_small")})
    measure = charts.option("tmeasure", ("count", "share"), "count", t("trend_measure"),
                            {"count": t("measure_count"), "share": t("measure_share")})
    params = {**filters.params(), "interval": interval}
    df = data.run("tactic_trend", params)
    if df.empty:
        return charts.no_data()
    language = lang()
    info = taxonomy()
    column = "complaints" if measure == "count" else "share"
    present = [tid for tid in info if tid in set(df["tactic_id"])]
    lines = [{"name": tactic_short(tid, language), "color": info[tid].colour,
              "periods": part["period"], "values": part[column]}
             for tid in present for part in [df[df["tactic_id"] == tid]]]
    if view == "lines":
        fig = figures.period_lines(lines, is_percent=measure == "share")
        charts.add_events(fig, filters.start, filters.end)
        height = 500   # with one row of legend; ui.charts.show adds the rows it wraps onto
    else:
        fig, height = figures.small_multiples(lines, is_percent=measure == "share")
    partial, note = charts.mark_partial(fig, df["period"].unique(), interval, filters.start, filters.end,
                                        share=measure == "share")
    table = df.assign(name=[tactic_name(x, language) for x in df["tactic_id"]],
                      partial=[figures.iso_day(p) in partial for p in df["period"]])
    charts.show("tactics-trend", fig, table, "tactic_trend", params,
                title=t("ch_tactic_trend") + f" ({t('measure_' + measure).lower()}, {t('iv_' + interval).lower()})",
                n=_total(filters.params()), height=height, legend=view == "lines", note=note)


def cooccurrence_chart() -> None:
    params = current().params()
    df = data.run("tactic_cooccurrence", params)
    if df.empty:
        return charts.no_data()
    language = lang()
    order = [tid for tid in taxonomy() if tid in set(df["tactic_a"])]
    matrix = (df.pivot(index="tactic_a", columns="tactic_b", values="complaints")
              .reindex(index=order, columns=order).fillna(0).astype(int))
    names = [tactic_short(x, language) for x in order]
    fig = figures.heatmap(names, matrix.values.tolist(), colors=BLUES)
    table = df.assign(name_a=[tactic_name(x, language) for x in df["tactic_a"]],
                      name_b=[tactic_name(x, language) for x in df["tactic_b"]])
    charts.show("tactics-cooccurrence", fig, table, "tactic_cooccurrence", params, title=t("ch_cooccur"),
                n=_total(params), height=260 + 28 * len(order), legend=False)
    st.caption(t("cooccur_note"))


def definitions() -> None:
    """One expander per tactic: the taxonomy's own text (data/tactics.toml), not complaint text."""
    language = lang()
    for i in taxonomy().values():
        name = (i.name_zh if language == "zh" else i.name_en) + (f" ⚠ {t('severe')}" if i.severe else "")
        with st.expander(name):
            st.text(i.definition_zh if language == "zh" else i.definition_en)
            st.caption(t("legal_anchor"))
            st.text((i.anchor_zh if language == "zh" else i.anchor_en).replace(" · ", "\n"))
            st.caption(f"{t('tactic_id')}: {i.tactic_id}")


def examples() -> None:
    language = lang()
    ids = list(taxonomy())
    labels = {tid: tactic_name(tid, language) for tid in ids}
    tactic = st.selectbox(t("examples_for"), ids, format_func=labels.get, key="ex_tactic", bind="query-params")
    params = {**current().params(), "tactic": tactic, "limit": 5}
    df = data.run("tactic_examples", params)
    st.caption(t("examples_note"))
    if df.empty:
        return charts.no_data()
    for row in df.itertuples():
        spans = ([] if pd.isna(row.evidence_start) or pd.isna(row.evidence_end)
                 else [(int(row.evidence_start), int(row.evidence_end), taxonomy()[tactic].colour)])
        body = highlight_spans(row.text or "", spans)
        st.html(f'<div style="border-left:3px solid {taxonomy()[tactic].colour};padding:4px 10px;margin:6px 0;'
                f'white-space:pre-wrap;overflow-wrap:anywhere;font-size:0.95rem">'
                f'<small style="color:#666">{html.escape(fmt_date(row.received.date() if hasattr(row.received, "date") else row.received))}'
                f' · #{int(row.complaint_id)}</small><br>{body}</div>')


CHARTS = {"tactics-share": share_chart, "tactics-trend": trend_chart, "tactics-cooccurrence": cooccurrence_chart}


def render() -> None:
    st.title(t("page_tactics"))
    charts.plain_caption(current().describe())
    share_chart()
    trend_chart()
    cooccurrence_chart()
    st.subheader(t("definitions"))
    definitions()
    st.subheader(t("examples"))
    examples()


if __name__ == "__main__":
    ensure_navigation("tactics")
    render()
