"""ECharts option builders: one plain dict per chart shape the dashboard draws.

Pages pass these to ui.charts.show, which adds the title block, the caption, the legend and the PNG
button. No Streamlit here, so the shapes are unit-tested on their own.

Why ECharts and not Plotly: Streamlit loads a chart library's bundle in the browser on each first
visit. Plotly's is 4.7 MB and took 2.5 s to draw four charts on a 2-core machine; ECharts (native
st.echarts_chart) took 1 s (bench/README.md, "Eleventh pass").

Values outside a dataset must be plain JSON: ints, floats, None and ISO date strings. Every builder
converts what it is given. Shares are drawn in percent (0–100) so axis labels can say "12%" without a
JavaScript formatter, which st.echarts_chart does not allow.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import pandas as pd

AXIS_LABEL_WIDTH = 170   # px; longer category labels wrap onto a second line
NARROW_LABEL_WIDTH = 110  # px on a phone, cut with "…" (ui.charts adds it as a media query)
PANEL_HEIGHT = 110       # px per small-multiple panel
PANEL_GAP = 44           # px between panel rows: room for the panel's title
TITLE_LINE = 64          # px of a chart's height ui.charts.show gives to the title line
LEGEND_ROW = 22          # px per row of a legend under the plot


def number(value: object) -> int | float | None:
    """A JSON number (or None for a missing value)."""
    if value is None or pd.isna(value):
        return None
    f = float(value)
    return int(f) if f.is_integer() else round(f, 6)


def percent(value: object) -> float | None:
    """A share (0–1) as a rounded percentage (0–100)."""
    v = number(value)
    return None if v is None else round(100 * v, 3)


def iso_day(value: object) -> str:
    """A date, datetime, timestamp or date string as YYYY-MM-DD."""
    return pd.Timestamp(value).date().isoformat()


def _value_axis(name: str | None, is_percent: bool) -> dict:
    label = {"hideOverlap": True, **({"formatter": "{value}%"} if is_percent else {})}
    axis: dict = {"type": "value", "axisLabel": label}
    if name:
        axis.update(name=name, nameLocation="middle", nameGap=28)
    return axis


def _tooltip_format(is_percent: bool) -> dict:
    """Tooltip numbers: "12.3%" for shares (drawn in percent), "1,234" for counts (Streamlit's
    printf-style valueFormatter; ECharts' own would need a JavaScript function)."""
    return {"valueFormatter": "%.1f%%" if is_percent else "%,d"}


def _half_step(days: Sequence[pd.Timestamp]) -> pd.Timedelta:
    """Half the shortest step between periods, and a day: the room a bar takes either side of its date."""
    steps = [b - a for a, b in zip(days, days[1:], strict=False)]
    return (min(steps) if steps else pd.Timedelta(days=30)) / 2 + pd.Timedelta(days=1)


def _time_axis(periods: Sequence[str]) -> dict:
    """A time axis fitted to the periods, with half a period of room either side so the end bars show."""
    axis: dict = {"type": "time", "axisLabel": {"hideOverlap": True}}
    if periods:
        days = [pd.Timestamp(p) for p in periods]
        half = _half_step(days)
        axis.update(min=(days[0] - half).date().isoformat(), max=(days[-1] + half).date().isoformat())
    return axis


def _category_axis(labels: Sequence[str], *, inverse: bool = False, wrap: bool = True, rotate: int = 0) -> dict:
    label: dict = {"interval": 0, "rotate": rotate}
    if wrap:
        label.update(width=AXIS_LABEL_WIDTH, overflow="break", lineHeight=13)
    return {"type": "category", "data": list(labels), "inverse": inverse, "axisLabel": label}


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k at or above value: a shared axis top that reads well."""
    if value <= 0:
        return 1
    scale = 10 ** math.floor(math.log10(value))
    return next(step * scale for step in (1, 2, 2.5, 5, 10) if step * scale >= value)


def period_bars(periods: Iterable, values: Iterable, *, color: str, name: str) -> dict:
    """Counts per period (day, week, month…) as bars on a time axis."""
    days = [iso_day(p) for p in periods]
    return {
        "tooltip": {"trigger": "axis", **_tooltip_format(False)},
        "xAxis": _time_axis(days),
        "yAxis": _value_axis(None, False),   # the title names the measure
        "series": [{"type": "bar", "name": name, "itemStyle": {"color": color}, "barMaxWidth": 48,
                    "data": [[d, number(v)] for d, v in zip(days, values, strict=True)]}],
    }


def ranked_bars(labels: Iterable[str], values: Iterable, *, colors: str | Sequence[str], texts: Iterable[str],
                axis_name: str, is_percent: bool = False, name: str = "") -> dict:
    """Horizontal bars, largest first from the top, each with its value written at its end."""
    labels, values, texts = list(labels), list(values), list(texts)
    palette = [colors] * len(labels) if isinstance(colors, str) else list(colors)
    convert = percent if is_percent else number
    data = [{"value": convert(v), "itemStyle": {"color": c}, "label": {"formatter": _plain(text)}}
            for v, c, text in zip(values, palette, texts, strict=True)]
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}, **_tooltip_format(is_percent)},
        "xAxis": _value_axis(axis_name, is_percent),
        "yAxis": _category_axis(labels, inverse=True),
        "grid": {"right": 110},   # room for the value written after the longest bar
        "series": [{"type": "bar", "name": name, "data": data, "barMaxWidth": 28,
                    "label": {"show": True, "position": "right", "fontSize": 11}}],
    }


def period_lines(lines: Sequence[dict], *, is_percent: bool) -> dict:
    """One line per entry of `lines` ({name, periods, values, color}) on a shared time axis."""
    days = sorted({iso_day(p) for line in lines for p in line["periods"]})
    convert = percent if is_percent else number
    return {
        "tooltip": {"trigger": "axis", **_tooltip_format(is_percent)},
        "xAxis": _time_axis(days),
        "yAxis": _value_axis(None, is_percent),   # the title names the measure
        "series": [{"type": "line", "name": line["name"], "symbolSize": 4, "itemStyle": {"color": line["color"]},
                    "lineStyle": {"color": line["color"]},
                    "data": [[iso_day(p), convert(v)] for p, v in zip(line["periods"], line["values"], strict=True)]}
                   for line in lines],
    }


def small_multiples(lines: Sequence[dict], *, is_percent: bool, columns: int = 2) -> tuple[dict, int]:
    """One small panel per line, `columns` per row, sharing both axes' ranges so panels compare.
    Panels are placed from y = 0: ui.charts.show moves them under the title block. Returns (option,
    height in ui.charts.show's terms: the panels plus TITLE_LINE)."""
    days = sorted({iso_day(p) for line in lines for p in line["periods"]})
    convert = percent if is_percent else number
    peak = nice_ceiling(max((convert(v) or 0 for line in lines for v in line["values"]), default=0))
    width = 100 / columns
    option: dict = {"tooltip": {"trigger": "axis", **_tooltip_format(is_percent)}, "grid": [], "xAxis": [],
                    "yAxis": [], "series": [], "title": []}
    for i, line in enumerate(lines):
        row, col = divmod(i, columns)
        y = row * (PANEL_HEIGHT + PANEL_GAP) + PANEL_GAP - 14
        left = f"{col * width + 5:.1f}%"
        label = line["name"] if len(line["name"]) <= 30 else line["name"][:29] + "…"
        option["title"].append({"text": label, "left": left, "top": y - 22,
                                "textStyle": {"fontSize": 11, "fontWeight": "normal"}})
        option["grid"].append({"left": left, "width": f"{width - 9:.1f}%", "top": y, "height": PANEL_HEIGHT,
                               "containLabel": False})
        x_axis, y_axis = _time_axis(days), _value_axis(None, is_percent)
        x_axis["axisLabel"]["fontSize"] = y_axis["axisLabel"]["fontSize"] = 9
        option["xAxis"].append({**x_axis, "gridIndex": i})
        option["yAxis"].append({**y_axis, "gridIndex": i, "max": peak})
        option["series"].append({"type": "line", "name": line["name"], "xAxisIndex": i, "yAxisIndex": i,
                                 "showSymbol": False, "itemStyle": {"color": line["color"]},
                                 "lineStyle": {"color": line["color"]},
                                 "data": [[iso_day(p), convert(v)]
                                          for p, v in zip(line["periods"], line["values"], strict=True)]})
    rows = (len(lines) + columns - 1) // columns
    return option, rows * (PANEL_HEIGHT + PANEL_GAP) + 30 + TITLE_LINE


def heatmap(names: Sequence[str], matrix: Sequence[Sequence], *, colors: Sequence[str]) -> dict:
    """A square matrix of counts (row i, column j) with each count written in its cell, as 1,234."""
    values = [[j, i, number(matrix[i][j])] for i in range(len(names)) for j in range(len(names))]
    cells = [{"value": v, "label": {"formatter": "" if v[2] is None else f"{v[2]:,}"}} for v in values]
    peak = max((v[2] or 0 for v in values), default=0)
    return {
        "tooltip": {"trigger": "item"},
        "xAxis": {**_category_axis(names, wrap=False, rotate=45), "splitArea": {"show": True}},
        "yAxis": {**_category_axis(names, inverse=True), "splitArea": {"show": True}},
        "visualMap": {"min": 0, "max": max(peak, 1), "calculable": False, "orient": "vertical", "right": 0,
                      "text": [str(max(peak, 1)), "0"], "textStyle": {"fontSize": 10},
                      "top": "middle", "itemHeight": 120, "itemWidth": 10, "inRange": {"color": list(colors)}},
        "series": [{"type": "heatmap", "data": cells, "label": {"show": True, "fontSize": 9}}],
    }


def shares_with_intervals(labels: Sequence[str], shares: Sequence, lows: Sequence, highs: Sequence,
                          colors: Sequence[str], *, market: Sequence, market_lows: Sequence,
                          market_highs: Sequence, name: str, market_name: str, axis_name: str) -> dict:
    """A lender's share of complaints per tactic (bars, with 95 % intervals as thin dark bands over them)
    against the whole market's share (a black tick with its own band).

    ECharts draws error bars only with a JavaScript `custom` series, which st.echarts_chart does not
    allow, so each interval is a stacked pair of bars: an invisible one up to the low end, then a thin one
    from low to high, laid over its bar (barGap -100%)."""
    labels = list(labels)

    def band(stack: str, lo: Sequence, hi: Sequence, color: str, width: int) -> list[dict]:
        base = {"type": "bar", "stack": stack, "barWidth": width, "barGap": "-100%", "silent": True,
                "tooltip": {"show": False}, "legendHoverLink": False}
        lows, highs = [percent(v) for v in lo], [percent(v) for v in hi]
        spans = [None if low is None or high is None else round(high - low, 3)
                 for low, high in zip(lows, highs, strict=True)]
        return [{**base, "name": f"{stack}-base", "itemStyle": {"color": "transparent"}, "data": lows},
                {**base, "name": f"{stack}-range", "itemStyle": {"color": color}, "data": spans}]

    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}, **_tooltip_format(True)},
        "legend": {"data": [name, market_name]},
        "xAxis": _value_axis(axis_name, True),
        "yAxis": _category_axis(labels, inverse=True),
        "grid": {"right": 30},
        "series": [
            {"type": "bar", "name": name, "barWidth": 16, "itemStyle": {"color": "#8a8a8a"},   # legend swatch
             "data": [{"value": percent(v), "itemStyle": {"color": c}} for v, c in zip(shares, colors, strict=True)]},
            *band("lender-interval", lows, highs, "rgba(0,0,0,0.55)", 3),
            *band("market-interval", market_lows, market_highs, "rgba(80,80,80,0.35)", 3),
            {"type": "scatter", "name": market_name, "symbol": "rect", "symbolSize": [3, 18],
             "itemStyle": {"color": "#222"}, "data": [percent(v) for v in market]},
        ],
    }


def event_lines(events: Iterable[tuple[str, str]]) -> dict:
    """A markLine with one dotted vertical line per (ISO date, label), labelled along the line."""
    return {"symbol": ["none", "none"], "silent": False, "animation": False,
            "lineStyle": {"color": "#888", "width": 1, "type": "dotted"},
            "label": {"show": True, "formatter": "{b}", "position": "insideEndTop", "fontSize": 9, "color": "#555"},
            "data": [{"name": _plain(label), "xAxis": day} for day, label in events]}


def partial_areas(periods: Iterable, partial: Iterable, label: str) -> dict:
    """A markArea shading the `partial` periods (a subset of `periods`, the chart's x values) across
    the room their bars take, labelled `label` at the top (no label when it is empty)."""
    days = sorted({pd.Timestamp(p) for p in periods})
    half = _half_step(days) if days else pd.Timedelta(days=1)
    areas = [[{"name": _plain(label), "xAxis": (day - half).date().isoformat()},
              {"xAxis": (day + half).date().isoformat()}]
             for day in sorted(pd.Timestamp(p) for p in partial)]
    return {"silent": True, "itemStyle": {"color": "rgba(120,120,120,0.12)"},
            "label": {"show": bool(label), "position": "insideTop", "fontSize": 9, "color": "#555"},
            "data": areas}


def legend_rows(names: Iterable[str], width: int) -> int:
    """Rows a legend of `names` takes when wrapped to `width` px: each item is a 25 px swatch, its
    text (at 12 px, about 6.5 px a character, 12 px for CJK) and a 10 px gap."""
    rows, used = 1, 0.0
    for name in names:
        item = 25 + sum(12 if ord(ch) >= 0x2E80 else 6.5 for ch in str(name)) + 10
        if used and used + item > width:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def _plain(text: str) -> str:
    """ECharts reads {a}, {b}, {c}… in label text as placeholders: keep braces from the data literal."""
    return str(text).replace("{", "(").replace("}", ")")
