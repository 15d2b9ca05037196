"""ui.figures: the ECharts options the dashboard draws are plain JSON and show the numbers they are given."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from ui import figures


def as_json(option: dict) -> dict:
    """st.echarts_chart sends the option as JSON: NaN, numpy numbers and timestamps must not be in it."""
    return json.loads(json.dumps(option, allow_nan=False))


def test_numbers_become_plain_json():
    assert figures.number(np.int64(7)) == 7 and isinstance(figures.number(np.int64(7)), int)
    assert figures.number(float("nan")) is None and figures.number(pd.NA) is None and figures.number(None) is None
    assert figures.number(np.float64(0.125)) == 0.125
    assert figures.percent(0.1234) == 12.34 and figures.percent(None) is None
    assert figures.iso_day(pd.Timestamp("2025-03-01 00:00")) == "2025-03-01"


@pytest.mark.parametrize(("value", "top"), [(7615, 10000), (0.4, 0.5), (18.2, 20), (2400, 2500), (0, 1), (50, 50)])
def test_nice_ceiling(value, top):
    assert math.isclose(figures.nice_ceiling(value), top)


def test_period_bars_keep_each_period_and_show_the_end_bars():
    periods = pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"])
    option = as_json(figures.period_bars(periods, np.array([3, 0, 12]), color="#123456", name="n"))
    assert option["series"][0]["data"] == [["2025-01-01", 3], ["2025-02-01", 0], ["2025-03-01", 12]]
    assert option["xAxis"]["type"] == "time"
    assert option["tooltip"]["valueFormatter"] == "%,d"
    assert option["xAxis"]["min"] < "2025-01-01" and option["xAxis"]["max"] > "2025-03-01"


def test_ranked_bars_top_down_in_percent_with_literal_labels():
    option = as_json(figures.ranked_bars(["a", "b"], [0.5, np.nan], colors=["#111111", "#222222"],
                                         texts=["50% {b}", "–"], axis_name="Share", is_percent=True))
    assert option["yAxis"]["data"] == ["a", "b"] and option["yAxis"]["inverse"] is True
    bars = option["series"][0]["data"]
    assert [b["value"] for b in bars] == [50.0, None]
    assert [b["itemStyle"]["color"] for b in bars] == ["#111111", "#222222"]
    # ECharts would read "{b}" as a placeholder: text from the data is kept literal
    assert bars[0]["label"]["formatter"] == "50% (b)"
    assert option["xAxis"]["axisLabel"]["formatter"] == "{value}%"
    assert option["tooltip"]["valueFormatter"] == "%.1f%%"          # the tooltip says 50.0%, not 50


def _lines():
    periods = pd.to_datetime(["2025-01-01", "2025-02-01"])
    return [{"name": "one", "color": "#111111", "periods": periods, "values": [0.10, 0.42]},
            {"name": "two", "color": "#222222", "periods": periods[1:], "values": [0.05]},
            {"name": "three", "color": "#333333", "periods": periods, "values": [0.0, 0.01]}]


def test_period_lines_one_series_per_line():
    option = as_json(figures.period_lines(_lines(), is_percent=True))
    assert [s["name"] for s in option["series"]] == ["one", "two", "three"]
    assert option["series"][0]["data"] == [["2025-01-01", 10.0], ["2025-02-01", 42.0]]
    assert option["series"][1]["data"] == [["2025-02-01", 5.0]]


def test_small_multiples_share_one_scale_and_stack_in_rows():
    option, height = figures.small_multiples(_lines(), is_percent=True, columns=2)
    option = as_json(option)
    assert len(option["grid"]) == len(option["series"]) == len(option["title"]) == 3
    assert {a["max"] for a in option["yAxis"]} == {50}            # 42 % rounded up, the same on every panel
    assert [s["xAxisIndex"] for s in option["series"]] == [0, 1, 2]
    tops = [g["top"] for g in option["grid"]]
    assert tops[0] == tops[1] < tops[2]                             # two panels a row
    assert height >= tops[2] + figures.PANEL_HEIGHT


def test_heatmap_has_every_cell():
    matrix = [[5, 1], [1, 9]]
    option = as_json(figures.heatmap(["a", "b"], matrix, colors=["#ffffff", "#000000"]))
    cells = {tuple(c["value"][:2]): c["value"][2] for c in option["series"][0]["data"]}
    assert cells == {(0, 0): 5, (1, 0): 1, (0, 1): 1, (1, 1): 9}
    assert option["visualMap"]["max"] == 9
    big = as_json(figures.heatmap(["a"], [[24353]], colors=["#ffffff", "#000000"]))
    assert big["series"][0]["data"][0]["label"]["formatter"] == "24,353"   # written as counts are elsewhere


def test_interval_bands_span_low_to_high():
    option = as_json(figures.shares_with_intervals(
        ["a", "b"], [0.2, 0.05], [0.15, 0.01], [0.26, 0.12], ["#111111", "#222222"],
        market=[0.1, 0.1], market_lows=[0.09, 0.09], market_highs=[0.11, 0.11], name="lender",
        market_name="market", axis_name="Share"))
    series = {s["name"]: s for s in option["series"]}
    assert [b["value"] for b in series["lender"]["data"]] == [20.0, 5.0]
    base, span = series["lender-interval-base"]["data"], series["lender-interval-range"]["data"]
    assert base == [15.0, 1.0]
    assert [round(lo + d, 6) for lo, d in zip(base, span, strict=True)] == [26.0, 12.0]
    assert series["market"]["data"] == [10.0, 10.0]
    assert series["lender-interval-base"]["itemStyle"]["color"] == "transparent"
    assert option["legend"]["data"] == ["lender", "market"]        # the helper bars stay out of the legend


def test_event_lines():
    mark = figures.event_lines([("2025-02-28", "CN · {rule}")])
    assert mark["data"] == [{"name": "CN · (rule)", "xAxis": "2025-02-28"}]


def test_partial_areas_shade_the_room_of_their_bars():
    days = ["2025-01-01", "2025-02-01", "2025-03-01"]
    option = figures.period_bars(days, [1, 2, 3], color="#000", name="n")
    mark = as_json(figures.partial_areas(days, ["2025-01-01", "2025-03-01"], "partial {x}"))
    # half the shortest step (28 days) and a day either side: the same room the time axis keeps
    assert mark["data"] == [[{"name": "partial (x)", "xAxis": "2024-12-17"}, {"xAxis": "2025-01-16"}],
                            [{"name": "partial (x)", "xAxis": "2025-02-14"}, {"xAxis": "2025-03-16"}]]
    assert mark["data"][0][0]["xAxis"] == option["xAxis"]["min"] and mark["data"][1][1]["xAxis"] == option["xAxis"]["max"]
    assert mark["label"]["show"] is True and mark["silent"] is True
    assert figures.partial_areas(days, ["2025-02-01"], "")["label"]["show"] is False


def test_legend_rows_grow_with_names_and_shrink_with_width():
    names = ["Excessive contact"] * 6
    assert figures.legend_rows([], 700) == 1 and figures.legend_rows(names[:1], 100) == 1
    assert figures.legend_rows(names, 760) == 2 and figures.legend_rows(names, 330) == 3   # 146 px each
    assert figures.legend_rows(["以起诉征信相威胁"] * 6, 330) == 3 > figures.legend_rows(["abcdefgh"] * 6, 330)   # CJK is wide
