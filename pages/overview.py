"""Overview · 总览: headline numbers against the previous period, volume over time, by source and
country, top tactics and top lenders."""

from __future__ import annotations

import streamlit as st

from ui import charts, data, figures
from ui.boot import ensure_navigation
from ui.filters import current, lender_labels, options
from ui.i18n import country_name, fmt_date, fmt_int, fmt_pct, lang, source_name, t
from ui.taxonomy import colour_map, tactic_name


def headline() -> None:
    filters = current()
    params = filters.params()
    now = data.run("overview_headline", params).iloc[0]
    prev_params = {**params, "start_date": params["prev_start"], "end_date": params["prev_end"]}
    before = data.run("overview_headline", prev_params).iloc[0]
    prev_start, prev_end = filters.previous()
    help_text = t("delta_help", days=filters.days, start=fmt_date(prev_start), end=fmt_date(prev_end))

    def share(row, column):
        return row[column] / row["complaints"] if row["complaints"] else None

    def pct_change(new, old):
        return f"{(new - old) / old:+.0%}" if old else None

    def pp_change(new, old):
        return f"{100 * (new - old):+.1f} {t('pp')}" if new is not None and old is not None else None

    cols = st.columns(4)
    cols[0].metric(t("m_complaints"), fmt_int(now["complaints"]), pct_change(now["complaints"], before["complaints"]),
                   help=help_text, border=True)
    for col, key, column in ((cols[1], "m_any_tactic", "with_tactic"), (cols[2], "m_severe", "with_severe")):
        new, old = share(now, column), share(before, column)
        col.metric(t(key), fmt_pct(new), pp_change(new, old), help=help_text, border=True,
                   delta_color="inverse")
    cols[3].metric(t("m_lenders"), fmt_int(now["lenders"]), f"{int(now['lenders'] - before['lenders']):+d}",
                   help=help_text, border=True, delta_color="off")


def volume_chart() -> None:
    filters = current()
    interval = charts.interval_option(filters.days)
    params = {**filters.params(), "interval": interval}
    df = data.run("volume_over_time", params)
    if df.empty:
        return charts.no_data()
    fig = figures.period_bars(df["period"], df["complaints"], color="#4e79a7", name=t("count"))
    charts.add_events(fig, filters.start, filters.end)
    partial, note = charts.mark_partial(fig, df["period"], interval, filters.start, filters.end)
    table = df.rename(columns={"period": t("date"), "complaints": t("count")})
    table[t("partial_col")] = [figures.iso_day(p) in partial for p in df["period"]]
    charts.show("overview-volume", fig, table, "volume_over_time", params,
                title=t("ch_volume", interval=t(f"iv_{interval}").lower()), n=int(df["complaints"].sum()),
                legend=False, note=note)


def sources_chart() -> None:
    filters = current()
    params = filters.params()
    df = data.run("volume_by_source", params)
    if df.empty:
        return charts.no_data()
    df["label"] = [f"{source_name(s)} · {country_name(c)}" for s, c in zip(df["source"], df["country"], strict=True)]
    fig = figures.ranked_bars(df["label"], df["complaints"], colors="#76b7b2",
                              texts=[fmt_int(v) for v in df["complaints"]], axis_name=t("count"), name=t("count"))
    table = df[["source", "country", "complaints"]].rename(columns={"complaints": t("count")})
    charts.show("overview-sources", fig, table, "volume_by_source", params, title=t("ch_by_source"),
                n=int(df["complaints"].sum()), height=120 + 40 * len(df), legend=False)


def top_tactics_chart() -> None:
    filters = current()
    params = filters.params()
    df = data.run("tactic_shares", params).head(8)
    total = int(data.run("records_count", params)["n"].iloc[0])
    if df.empty:
        return charts.no_data()
    language = lang()
    df["name"] = [tactic_name(x, language) for x in df["tactic_id"]]
    colours = colour_map(language)
    fig = figures.ranked_bars(
        df["name"], df["share"], colors=[colours[x] for x in df["tactic_id"]], is_percent=True,
        texts=[f"{fmt_pct(s)} ({fmt_int(n)})" for s, n in zip(df["share"], df["complaints"], strict=True)],
        axis_name=t("share"), name=t("share"))
    table = df[["tactic_id", "name", "complaints", "share"]]
    charts.show("overview-tactics", fig, table, "tactic_shares", params, title=t("ch_top_tactics"), n=total,
                height=120 + 36 * len(df), legend=False)


def top_lenders_chart() -> None:
    filters = current()
    params = {**filters.params(), "limit": 10}
    df = data.run("top_lenders", params)
    if df.empty:
        return charts.no_data()
    labels = lender_labels(options()["lenders"], lang())
    df["name"] = [labels.get(k, k) for k in df["lender_key"]]
    fig = figures.ranked_bars(df["name"], df["complaints"], colors="#9c755f",
                              texts=[fmt_int(v) for v in df["complaints"]], axis_name=t("count"), name=t("count"))
    table = df[["lender_key", "name", "unmatched", "complaints"]]
    total = int(data.run("records_count", filters.params())["n"].iloc[0])
    charts.show("overview-lenders", fig, table, "top_lenders", params, title=t("ch_top_lenders"), n=total,
                height=120 + 36 * len(df), legend=False)


CHARTS = {"overview-volume": volume_chart, "overview-sources": sources_chart,
          "overview-tactics": top_tactics_chart, "overview-lenders": top_lenders_chart}


def render() -> None:
    st.title(t("app_title") + " · " + t("page_overview"))
    charts.plain_caption(t("app_tagline") + " · " + current().describe())
    headline()
    volume_chart()
    top_tactics_chart()
    top_lenders_chart()
    sources_chart()


if __name__ == "__main__":
    ensure_navigation("overview")
    render()
