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
import plotly.graph_objects as go
import streamlit as st

from complaints.events import load_events
from ui import data
from ui.i18n import fmt_int, lang, t

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FONT = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"


def neutralize(value: object) -> object:
    """Spreadsheet formula injection: text cells starting with = + - @ tab or CR get a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.columns = [str(neutralize(str(c))) for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralize)
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    safe_frame(df).to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8-sig")  # BOM: Excel then opens Chinese text correctly


def embed_mode() -> bool:
    """?embed=true: Streamlit hides its chrome and keeps `embed` out of st.query_params, but tells
    st.context.is_embedded."""
    return bool(st.context.is_embedded) or st.query_params.get("embed", "").lower() == "true"


def _caption(n: int) -> str:
    from ui.filters import current
    text = t("caption", filters=current().describe(limit=160), n=fmt_int(n), version=data.store_version())
    # short lines: the caption must fit a 390-px phone as well as a PNG
    return "<br>".join(html.escape(line) for line in textwrap.wrap(text, 68 if lang() == "en" else 36))


def style(fig: go.Figure, title: str, n: int, *, height: int = 420, legend: bool = True) -> go.Figure:
    """Title with the filter context and n at the top, the caption (source, filters, n, data version)
    drawn right under it so a PNG stands alone, the legend under the plot (plotly makes room for it)."""
    from ui.filters import current
    caption = _caption(n)
    lines = caption.count("<br>") + 1
    # filter values (search text, lender names) are escaped: plotly reads a few HTML tags in titles
    subtitle = html.escape(f"{current().describe(limit=90)} · n = {fmt_int(n)}")
    top = 64 + 14 * lines
    # The caption is drawn in the title block, which is anchored to the figure's left edge (an annotation
    # would start at the plot area, after the axis labels, and be cut off on a phone).
    caption_html = "<br>".join(f'<span style="font-size:10px;color:#666;font-weight:normal">{line}</span>'
                               for line in caption.split("<br>"))
    fig.update_layout(
        title={"text": f"{title}<br><sup>{subtitle}</sup><br>{caption_html}", "x": 0, "xanchor": "left",
               "font": {"size": 16}, "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 10, "l": 4}},
        font={"family": FONT, "size": 12},
        height=height + 14 * lines,
        margin={"l": 10, "r": 10, "t": top, "b": 40},
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "title": None},
        separators=".,",
    )
    return fig


def _pin_x_range(fig: go.Figure) -> None:
    """Fix the x range to the plotted dates: plotly would otherwise stretch it to fit event labels."""
    xs = [pd.Timestamp(x) for trace in fig.data for x in (trace.x if trace.x is not None else [])]
    if not xs:
        return
    lo, hi = min(xs), max(xs)
    pad = max((hi - lo) * 0.04, pd.Timedelta(days=1))
    fig.update_xaxes(range=[(lo - pad).isoformat(), (hi + pad).isoformat()])


def add_events(fig: go.Figure, start: date, end: date) -> None:
    """Vertical lines with short labels for regulatory events inside [start, end]."""
    _pin_x_range(fig)
    show, jurisdictions = st.session_state.get("_events", (True, ["CN", "US"]))
    if not show or not jurisdictions:
        return
    for i, event in enumerate(load_events(list(jurisdictions))):
        if not start <= event.date <= end:
            continue
        label = event.title_zh if lang() == "zh" else event.title_en
        short = label if len(label) <= 24 else label[:23] + "…"   # CJK has no spaces to shorten at
        x = event.date.isoformat()
        fig.add_shape(type="line", x0=x, x1=x, xref="x", y0=0, y1=1, yref="paper",
                      line={"color": "#888", "width": 1, "dash": "dot"})
        fig.add_annotation(x=x, xref="x", y=1 - 0.07 * (i % 3), yref="paper", text=f"{event.jurisdiction} · {short}",
                           showarrow=False, xanchor="left", font={"size": 9, "color": "#555"},
                           bgcolor="rgba(255,255,255,0.7)", hovertext=label)


def show(chart_id: str, fig: go.Figure, table: pd.DataFrame, query: str, params: dict, *,
         title: str, n: int, height: int = 420, legend: bool = True) -> None:
    """Render one chart with its data, SQL, table alternative and embed link."""
    style(fig, title, n, height=height, legend=legend)
    config = {"displaylogo": False, "responsive": True,
              "toImageButtonOptions": {"format": "png", "filename": f"collection-watch-{chart_id}",
                                       "scale": 2, "width": 1100, "height": fig.layout.height}}
    st.plotly_chart(fig, config=config, key=f"chart-{chart_id}", width="stretch",
                    alt=f"{title}. {t('n', n=fmt_int(n))}")
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
