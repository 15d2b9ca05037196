"""One helper for every chart: title with the filter context and n, a caption drawn into the figure
(source, filters, n, data version) so a downloaded PNG stands alone, PNG export with a file name, the
plotted numbers as CSV, the SQL with its parameters, a table alternative, and an embed link.

Embed mode (?embed=true&chart=<chart_id>) renders only the requested chart: the dashboard looks the
chart id up in the pages' CHARTS registries and calls just that function.
"""

from __future__ import annotations

import html
import io
import json
import textwrap
from datetime import date

import pandas as pd
import streamlit as st

from complaints.events import load_events
from ui import data, figures, periods
from ui.i18n import fmt_date, fmt_int, lang, t

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FONT = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"


def neutralize(value: object) -> object:
    """Spreadsheet formula injection: text cells starting with = + - @ tab or CR get a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of df whose text cells and column names cannot start a spreadsheet formula."""
    out = df.copy()
    out.columns = [str(neutralize(str(c))) for c in out.columns]
    for column in out.columns:
        values = out[column]
        if values.dtype == object:  # mixed values (lists, numbers, text): one by one
            out[column] = values.map(neutralize)
        elif pd.api.types.is_string_dtype(values):
            # text only: one vectorized check (a 50,000-row download took 0.2-0.3 s cell by cell)
            risky = values.str.startswith(FORMULA_START, na=False)
            if risky.any():
                out[column] = values.where(~risky, "'" + values)
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    safe_frame(df).to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8-sig")  # BOM: Excel then opens Chinese text correctly


def embed_mode() -> bool:
    """?embed=true: Streamlit hides its chrome and keeps `embed` out of st.query_params, but tells
    st.context.is_embedded."""
    return bool(st.context.is_embedded) or st.query_params.get("embed", "").lower() == "true"


# Characters per line of a chart's subtitle and caption: on a wide chart and in a saved PNG, and on a
# narrow one (ECharts' media query: a chart up to NARROW_PX wide, on a phone or in a half-width column).
# Chinese characters are twice as wide.
LINE_CHARS = {"wide": {"en": 68, "zh": 36}, "narrow": {"en": 42, "zh": 21}}
NARROW_PX = 520
# The legend is laid out for a chart this wide (a laptop's main column; a phone's screen), so that the
# room kept under the plot holds all its rows: a saved PNG then names every line.
LEGEND_PX = {"wide": 760, "narrow": 330}


def _subtext(n: int) -> tuple[str, str]:
    """The filter context and n, and the caption (source, filters, n, data version)."""
    from ui.filters import current
    filters = current()
    subtitle = f"{filters.describe(limit=90)} · n = {fmt_int(n)}"
    caption = t("caption", filters=filters.describe(limit=160), n=fmt_int(n), version=data.store_version())
    return subtitle, caption


def _title_block(title: str, subtext: tuple[str, str], width: str = "wide") -> tuple[dict, int]:
    """The title, and under it the subtext in short lines, drawn into the chart so a saved PNG stands
    alone. Returns (title option, its height in px)."""
    chars = LINE_CHARS[width][lang()]
    lines = [line for part in subtext for line in textwrap.wrap(part, chars)]
    block = {"text": title, "subtext": "\n".join(lines), "left": 4, "top": 4,
             "textStyle": {"fontSize": 16, "fontWeight": "bold", "width": 1000, "overflow": "break"},
             "subtextStyle": {"fontSize": 10, "color": "#666", "lineHeight": 14}}
    return block, 40 + 14 * len(lines)


def _legend_names(option: dict) -> list[str]:
    legend = option.get("legend", {})
    return list(legend["data"]) if "data" in legend else [s.get("name", "") for s in option.get("series", [])]


def _legend_rows(option: dict, width: str) -> int:
    return figures.legend_rows(_legend_names(option), LEGEND_PX[width])


def _bottom(rows: int) -> int:
    """Px under the plot: the x axis labels, then `rows` rows of legend."""
    return 40 + figures.LEGEND_ROW * rows if rows else 36


def _narrow(option: dict, title: str, subtext: tuple[str, str], panels: bool, legend: bool) -> tuple[dict, int]:
    """What changes on a phone: shorter subtext lines, narrower category labels, fewer value ticks, and
    more rows for the legend."""
    block, top = _title_block(title, subtext, "narrow")
    block["textStyle"] = {**block["textStyle"], "width": 330}
    if panels:
        return {"title": [block]}, top   # merged into the first title by index
    narrow: dict = {"title": block, "grid": {"top": top}}
    if legend:
        narrow["grid"]["bottom"] = _bottom(_legend_rows(option, "narrow"))
    for axis in ("xAxis", "yAxis"):
        spec = option.get(axis)
        if isinstance(spec, dict) and spec.get("type") == "category" and "width" in spec.get("axisLabel", {}):
            narrow[axis] = {"axisLabel": {"width": figures.NARROW_LABEL_WIDTH, "overflow": "truncate"}}
        elif isinstance(spec, dict) and spec.get("type") == "value":
            narrow[axis] = {"splitNumber": 3}
    if "visualMap" in option:   # a matrix: on a phone its cells are too small for their numbers
        narrow["series"] = [{"label": {"show": False}}]
        label = {"fontSize": 9, "width": 80, "overflow": "truncate"}
        narrow["xAxis"], narrow["yAxis"] = {"axisLabel": {**label, "rotate": 90}}, {"axisLabel": label}
        narrow["visualMap"] = {"itemWidth": 8, "itemHeight": 80}
    return narrow, top


def show(chart_id: str, option: dict, table: pd.DataFrame, query: str, params: dict, *,
         title: str, n: int, height: int = 420, legend: bool = True, note: str | None = None) -> None:
    """Render one chart with its title block, PNG button, data, SQL, table alternative and embed link.
    `option` comes from ui.figures. `height` counts the title line (figures.TITLE_LINE) but not the
    subtitle and caption lines, which are added here. `note` is read under the chart (mark_partial's)."""
    subtext = _subtext(n)
    block, top = _title_block(title, subtext)
    option = dict(option)
    panels = isinstance(option.get("title"), list)   # small multiples bring their own panel titles
    narrow, narrow_top = _narrow(option, title, subtext, panels, legend)
    room = max(top, narrow_top)   # a phone's title block is longer: it must not take the plot's room
    rows = _legend_rows(option, "wide") if legend and not panels else 0
    height += figures.LEGEND_ROW * max(rows - 1, 0)   # `height` allows one row: the plot keeps its size
    if panels:   # below the longer of the two title blocks: the panels do not move with the media query
        for item in (*option["grid"], *option["title"]):
            item["top"] += room
        option["title"] = [block, *option["title"]]
    else:
        option["title"] = block
        option["grid"] = {"left": 8, "right": 24 if "visualMap" not in option else 70, "top": top,
                          "bottom": _bottom(rows), "containLabel": True, **option.get("grid", {})}
    # A plain legend wraps onto as many rows as it needs (a scrolling one would show a saved PNG's reader
    # its first page only); it stops short of the PNG button at the right.
    option["legend"] = {**option.get("legend", {}), "show": legend, "type": "plain", "bottom": 4, "left": 0,
                        "right": 36}
    option["textStyle"] = {"fontFamily": FONT}
    option["backgroundColor"] = "#ffffff"   # a saved PNG is not transparent
    option["animation"] = False   # drawn at once: the entry animations cost the browser 0.3 s of CPU a page
    option["toolbox"] = {"right": 4, "bottom": 0, "feature": {"saveAsImage": {
        "name": f"collection-watch-{chart_id}", "pixelRatio": 2, "title": t("save_png")}}}
    option["media"] = [{"query": {"maxWidth": NARROW_PX}, "option": narrow}]
    st.echarts_chart(option, key=f"chart-{chart_id}", height=height - figures.TITLE_LINE + room, theme=None,
                     alt=f"{title}. {t('n', n=fmt_int(n))}" + (f" {note}" if note else ""))
    if note:
        plain_caption(note)
    if embed_mode():
        return
    st.download_button(t("get_data"), csv_bytes(table), file_name=f"collection-watch-{chart_id}.csv",
                       mime="text/csv", key=f"csv-{chart_id}", on_click="ignore", icon=":material/download:")
    # The table and the SQL are drawn only once their expander is opened: drawn eagerly, the four
    # tables and twelve code blocks of a page delayed its charts by about half a second.
    with st.expander(t("table_alt"), key=f"table-{chart_id}", on_change="rerun") as shown:
        if shown.open:
            st.dataframe(table, hide_index=True, width="stretch")
    with st.expander(t("show_sql"), key=f"sql-{chart_id}", on_change="rerun") as shown:
        if not shown.open:
            return
        sql_block(query, params)
        from ui.share import embed_url
        st.caption(t("embed"))
        st.code(embed_url(chart_id), language=None, wrap_lines=True)


def add_events(option: dict, start: date, end: date) -> None:
    """Dotted vertical lines with short labels for regulatory events inside [start, end], on the first
    series (a time axis)."""
    show_events, jurisdictions = st.session_state.get("_events", (True, ["CN", "US"]))
    if not show_events or not jurisdictions or not option.get("series"):
        return
    marks = []
    for event in load_events(list(jurisdictions)):
        if not start <= event.date <= end:
            continue
        label = event.title_zh if lang() == "zh" else event.title_en
        short = label if len(label) <= 24 else label[:23] + "…"   # CJK has no spaces to shorten at
        marks.append((event.date.isoformat(), f"{event.jurisdiction} · {short}"))
    if marks:
        option["series"][0]["markLine"] = figures.event_lines(marks)


def mark_partial(option: dict, period_values, interval: str, start: date, end: date, *,
                 share: bool = False) -> tuple[list, str | None]:
    """Shade the periods of a time chart that the selected dates cover only in part (a month-by-month
    chart of the last 12 months begins and ends with part of a month), labelled "partial".
    Returns the partial periods' first days (ISO) and a note saying which days they hold, for
    show(note=...), or ([], None) when every period is whole. `share`: the chart draws shares, which
    a short period does not bias but rests on fewer complaints."""
    found = periods.partial_periods(period_values, interval, start, end)
    if not found:
        return [], None
    days = [p.period.isoformat() for p in found]
    labelled, plain = (figures.partial_areas(period_values, days, label) for label in (t("partial"), ""))
    for i, series in enumerate(option.get("series", [])):
        if i == 0 or "xAxisIndex" in series:   # small multiples: every panel is shaded, the first labelled
            series["markArea"] = labelled if i == 0 else plain
    spans = "; ".join(t("partial_span", first=fmt_date(p.first), last=fmt_date(p.last), days=p.days,
                        length=p.length) for p in found)
    return days, t("partial_note_share" if share else "partial_note", spans=spans)


def sql_block(query: str, params: dict) -> None:
    """The SQL file that answered `query` and the parameters it ran with, so a reader can run it again."""
    st.code(data.sql_text(query).strip(), language="sql", wrap_lines=True)
    st.caption(t("sql_macro"))
    st.caption(t("parameters"))
    st.code(json.dumps(data.used_params(query, params), ensure_ascii=False, indent=1), language="json",
            wrap_lines=True)


def plain_caption(text: str) -> None:
    """A caption that is never read as Markdown (it may carry search text or names from the data)."""
    st.html(f'<p style="color:#808495;font-size:0.875rem;margin:0 0 0.5rem 0">{html.escape(text)}</p>')


def no_data() -> None:
    st.info(t("no_data"))


def option(key: str, choices: tuple[str, ...], default: str, label: str, labels: dict[str, str]) -> str:
    """A chart option bound to the URL. In embed mode no widget is drawn: the URL value is read directly."""
    if embed_mode():
        raw = st.query_params.get(key)
        return next((c for c in choices if labels[c] == raw), default)
    value = st.segmented_control(label, choices, default=default, format_func=labels.get, key=key,
                                 bind="query-params", required=True)
    return value if value in choices else default


INTERVALS = ("auto", "day", "week", "month", "quarter", "year")


def auto_interval(days: int) -> str:
    if days <= 62:
        return "day"
    if days <= 200:
        return "week"
    if days <= 1200:
        return "month"
    if days <= 3700:
        return "quarter"
    return "year"


def interval_option(days: int) -> str:
    labels = {i: t(f"iv_{i}") for i in INTERVALS}
    picked = option("interval", INTERVALS, "auto", t("interval"), labels)
    return auto_interval(days) if picked == "auto" else picked
