"""ui.periods: which periods of a time chart the selected dates cover only in part."""

from __future__ import annotations

from datetime import date

import pytest

from ui.periods import Partial, monthly_series, partial_periods, period_end, whole_months


@pytest.mark.parametrize(("start", "interval", "end"), [
    (date(2026, 2, 1), "month", date(2026, 2, 28)), (date(2024, 2, 1), "month", date(2024, 2, 29)),
    (date(2025, 12, 1), "month", date(2025, 12, 31)), (date(2026, 10, 1), "quarter", date(2026, 12, 31)),
    (date(2026, 1, 1), "year", date(2026, 12, 31)), (date(2026, 11, 30), "week", date(2026, 12, 6)),
    (date(2026, 3, 5), "day", date(2026, 3, 5))])
def test_a_period_ends_where_duckdb_starts_the_next(start, interval, end):
    assert period_end(start, interval) == end


def test_the_last_twelve_months_begin_and_end_with_part_of_a_month():
    months = [date(2025, 10, 1)] + [date(2025 + (m > 12), (m - 1) % 12 + 1, 1) for m in range(11, 23)]
    found = partial_periods(months, "month", date(2025, 10, 16), date(2026, 10, 15))
    assert found == [Partial(date(2025, 10, 1), date(2025, 10, 16), date(2025, 10, 31), 16, 31),
                     Partial(date(2026, 10, 1), date(2026, 10, 1), date(2026, 10, 15), 15, 31)]


def test_dates_on_period_edges_leave_every_period_whole():
    quarters = [date(2025, 1, 1), date(2025, 4, 1), date(2025, 7, 1), date(2025, 10, 1)]
    assert partial_periods(quarters, "quarter", date(2025, 1, 1), date(2025, 12, 31)) == []
    assert partial_periods([date(2026, 3, d) for d in range(1, 8)], "day", date(2026, 3, 1), date(2026, 3, 7)) == []


def test_weeks_start_on_monday_and_timestamps_are_read():
    import pandas as pd

    weeks = pd.to_datetime(["2026-11-23", "2026-11-30"])   # Mondays, as date_trunc('week') gives
    (only,) = partial_periods(weeks, "week", date(2026, 11, 23), date(2026, 12, 2))
    assert (only.period, only.first, only.last, only.days, only.length) == (
        date(2026, 11, 30), date(2026, 11, 30), date(2026, 12, 2), 3, 7)


def test_an_unknown_interval_is_refused():
    with pytest.raises(ValueError, match="fortnight"):
        partial_periods([date(2026, 1, 1)], "fortnight", date(2026, 1, 1), date(2026, 1, 31))


def test_whole_months_leave_out_the_months_the_dates_cut():
    assert whole_months(date(2025, 10, 16), date(2026, 10, 15)) == [date(2025, 11 + i, 1) if i < 2 else
                                                                   date(2026, i - 1, 1) for i in range(11)]
    assert whole_months(date(2026, 1, 1), date(2026, 2, 28)) == [date(2026, 1, 1), date(2026, 2, 1)]
    # no whole month: every month the dates touch, so a sparkline still has points
    assert whole_months(date(2026, 1, 20), date(2026, 2, 10)) == [date(2026, 1, 1), date(2026, 2, 1)]


def test_a_sparkline_has_a_point_per_whole_month_and_zero_for_months_without_complaints():
    months = [date(2025, 10, 1), date(2025, 12, 1), date(2026, 2, 1)]   # the query lists months with complaints
    assert monthly_series(months, [5, 7, 2], date(2025, 10, 16), date(2026, 2, 20)) == [0, 7, 0]
