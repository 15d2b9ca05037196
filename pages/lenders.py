"""Lenders · 机构: a ranking (complaints, change, sparkline, top tactic, severe share; lenders below the
minimum count are listed but not ranked) and a lender profile deep-linkable with ?lender_profile=<id>."""

from __future__ import annotations

import html
import math

import pandas as pd
import streamlit as st

from ui import charts, data, figures, periods
from ui.boot import ensure_navigation
from ui.charts import csv_bytes
from ui.filters import current, lender_labels, options
from ui.i18n import country_name, fmt_int, lang, t, value_label
from ui.taxonomy import tactic_name, taxonomy

DEFAULT_MIN_N = 30
PROFILE_PARAM = "lender_profile"


def min_count() -> int:
    if charts.embed_mode():
        raw = st.query_params.get("min_n", "")
        return int(raw) if raw.isdigit() and 1 <= int(raw) <= 1_000_000 else DEFAULT_MIN_N
    value = st.number_input(t("min_n"), min_value=1, max_value=1_000_000, value=DEFAULT_MIN_N, step=5,
                            key="min_n", bind="query-params", help=t("min_n_help"))
    return int(value or DEFAULT_MIN_N)


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n (95% by default)."""
    if n <= 0:
        return 0.0, 0.0
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def ranking_table(threshold: int) -> pd.DataFrame:
    params = current().params()
    df = data.run("lender_ranking", params)
    if df.empty:
        return df
    language = lang()
    labels = lender_labels(options()["lenders"], language)
    df["lender"] = [labels.get(k, k) for k in df["lender_key"]]
    df["ranked"] = df["complaints"] >= threshold
    positions = df["ranked"].cumsum()
    df["rank"] = [str(int(p)) if r else "–" for p, r in zip(positions, df["ranked"], strict=True)]
    df["change"] = [(c - p) / p if p else None for c, p in zip(df["complaints"], df["previous"], strict=True)]
    df["top_tactic_name"] = [tactic_name(x, language) if isinstance(x, str) else "" for x in df["top_tactic"]]
    df["months"] = [_as_list(ms) for ms in df["months"]]
    df["monthly"] = [_as_list(ns) for ns in df["monthly"]]
    filters = current()
    df["sparkline"] = [periods.monthly_series(ms, ns, filters.start, filters.end)
                       for ms, ns in zip(df["months"], df["monthly"], strict=True)]
    return df


def _as_list(value: object) -> list:
    """A DuckDB list as a Python list (a lender with no months has none)."""
    return list(value) if hasattr(value, "__iter__") else []


def ranking() -> None:
    threshold = min_count()
    df = ranking_table(threshold)
    if df.empty:
        return charts.no_data()
    shown = df.assign(note=[("" if r else t("not_ranked")) for r in df["ranked"]])
    st.dataframe(
        shown[["rank", "lender", "complaints", "change", "sparkline", "top_tactic_name", "severe_share", "note"]],
        hide_index=True, width="stretch",
        column_config={
            "rank": st.column_config.TextColumn(t("rank"), width="small"),
            "lender": st.column_config.TextColumn(t("lender")),
            "complaints": st.column_config.NumberColumn(t("count"), format="localized"),
            "change": st.column_config.NumberColumn(t("change"), format="percent"),
            "sparkline": st.column_config.LineChartColumn(t("trend"), width="small", help=t("trend_help")),
            "top_tactic_name": st.column_config.TextColumn(t("top_tactic")),
            "severe_share": st.column_config.ProgressColumn(t("severe_share"), format="percent",
                                                            min_value=0.0, max_value=1.0),
            "note": st.column_config.TextColumn(""),
        })
    st.caption(t("min_n_help") + " ⚑ = " + t("unmatched_note"))
    export = df.drop(columns=["sparkline"]).assign(months=[";".join(map(figures.iso_day, ms)) for ms in df["months"]],
                                                   monthly=[";".join(map(str, ns)) for ns in df["monthly"]])
    st.download_button(t("get_data"), csv_bytes(export), file_name="collection-watch-lender-ranking.csv",
                       mime="text/csv", key="csv-lender-ranking", on_click="ignore", icon=":material/download:")
    with st.expander(t("show_sql")):
        charts.sql_block("lender_ranking", current().params())


def profile_key() -> str | None:
    """The lender of ?lender_profile=<id>, checked against the known lender keys."""
    raw = st.query_params.get(PROFILE_PARAM)
    if not raw:
        return None
    known = set(options()["lenders"]["lender_key"])
    if len(raw) <= 300 and raw in known:
        return raw
    st.warning(t("unknown_lender"), icon="⚠️")
    return None


def _pick_profile() -> None:
    chosen = st.session_state.get("_profile_pick")
    if chosen:
        st.query_params[PROFILE_PARAM] = chosen
    elif PROFILE_PARAM in st.query_params:
        del st.query_params[PROFILE_PARAM]


def _name(key: str) -> str:
    return lender_labels(options()["lenders"], lang()).get(key, key)


def profile_trend() -> None:
    key = profile_key()
    if key is None:
        return
    filters = current()
    interval = charts.interval_option(filters.days) if charts.embed_mode() else charts.auto_interval(filters.days)
    params = {**filters.params(), "interval": interval, "lender_key": key}
    df = data.run("lender_profile_trend", params)
    if df.empty:
        return charts.no_data()
    fig = figures.period_bars(df["period"], df["complaints"], color="#9c755f", name=t("count"))
    charts.add_events(fig, filters.start, filters.end)
    partial, note = charts.mark_partial(fig, df["period"], interval, filters.start, filters.end)
    table = df.assign(partial=[figures.iso_day(p) in partial for p in df["period"]])
    charts.show("lender-trend", fig, table, "lender_profile_trend", params,
                title=t("ch_lender_trend", name=_name(key)), n=int(df["complaints"].sum()), legend=False,
                note=note)


def profile_mix() -> None:
    key = profile_key()
    if key is None:
        return
    params = {**current().params(), "lender_key": key}
    df = data.run("lender_profile_tactics", params)
    if df.empty or int(df["lender_total"].iloc[0]) == 0:
        return charts.no_data()
    language = lang()
    rows = []
    for r in df.itertuples():
        lo, hi = wilson(int(r.lender_n), int(r.lender_total))
        mlo, mhi = wilson(int(r.market_n), int(r.market_total))
        rows.append({"tactic_id": r.tactic_id, "name": tactic_name(r.tactic_id, language),
                     "lender_n": r.lender_n, "lender_total": r.lender_total,
                     "lender_share": r.lender_n / r.lender_total, "lender_low": lo, "lender_high": hi,
                     "market_n": r.market_n, "market_total": r.market_total,
                     "market_share": r.market_n / r.market_total, "market_low": mlo, "market_high": mhi})
    table = pd.DataFrame(rows).sort_values("lender_share", ascending=False)
    info = taxonomy()
    fig = figures.shares_with_intervals(
        table["name"], table["lender_share"], table["lender_low"], table["lender_high"],
        [info[x].colour for x in table["tactic_id"]], market=table["market_share"],
        market_lows=table["market_low"], market_highs=table["market_high"], name=t("lender_col"),
        market_name=t("market"), axis_name=t("share"))
    charts.show("lender-mix", fig, table, "lender_profile_tactics", params,
                title=t("ch_lender_mix", name=_name(key)), n=int(df["lender_total"].iloc[0]),
                height=160 + 36 * len(table))


def _simple_bar(chart_id: str, query: str, column: str, title_key: str) -> None:
    key = profile_key()
    if key is None:
        return
    params = {**current().params(), "lender_key": key}
    df = data.run(query, params)
    if df.empty:
        return charts.no_data()
    labels = [value_label(column, v) for v in df[column]]
    fig = figures.ranked_bars([str(x) for x in labels], df["complaints"], colors="#76b7b2",
                              texts=[fmt_int(v) for v in df["complaints"]], axis_name=t("count"), name=t("count"))
    charts.show(chart_id, fig, df, query, params, title=t(title_key, name=_name(key)),
                n=int(df["complaints"].sum()), height=120 + 30 * len(df), legend=False)


def profile_regions() -> None:
    _simple_bar("lender-regions", "lender_profile_regions", "region", "ch_lender_regions")


def profile_statuses() -> None:
    _simple_bar("lender-statuses", "lender_profile_statuses", "status", "ch_lender_status")


def profile() -> None:
    st.subheader(t("profile"))
    lenders = options()["lenders"]
    labels = lender_labels(lenders, lang())
    key = profile_key()
    keys = list(labels)
    st.selectbox(t("pick_lender"), keys, index=keys.index(key) if key in keys else None, format_func=labels.get,
                 key="_profile_pick", on_change=_pick_profile, placeholder=t("choose"))
    if key is None:
        return
    row = lenders[lenders["lender_key"] == key].iloc[0]
    if row["unmatched"]:
        st.info(f"⚑ {t('unmatched_note')}")
    else:
        info = data.run("lender_profile_info", {"lender_id": key})
        if not info.empty:
            r = info.iloc[0]
            aliases = ", ".join(_as_list(r["aliases"])) or "–"
            st.html(f"<b>{html.escape(str(r['name_zh'] or ''))} · {html.escape(str(r['name_en'] or ''))}</b>")
            st.text(f"{t('kind')}: {value_label('lender_kind', r['kind']) or '–'} · "
                    f"{t('country')}: {country_name(r['country'] or '')}\n"
                    f"{t('aliases')}: {aliases}")
    profile_trend()
    profile_mix()
    left, right = st.columns(2)
    with left:
        profile_regions()
    with right:
        profile_statuses()


CHARTS = {"lender-trend": profile_trend, "lender-mix": profile_mix, "lender-regions": profile_regions,
          "lender-statuses": profile_statuses}


def render() -> None:
    st.title(t("page_lenders"))
    charts.plain_caption(current().describe())
    st.subheader(t("ranking"))
    ranking()
    profile()


if __name__ == "__main__":
    ensure_navigation("lenders")
    render()
