"""Which periods of a time chart the selected dates cover only in part.

A chart of the last 12 months counted by month starts and ends with part of a month, so its first and
last bars are short for no reason but the calendar: read as a trend, they look like a fall. The charts
shade those periods and say which days they hold (ui.charts.mark_partial).

Periods are those of DuckDB's date_trunc, which the time queries group by: ISO weeks start on Monday,
quarters in January, April, July and October. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

import pandas as pd

INTERVALS = ("day", "week", "month", "quarter", "year")


class Partial(NamedTuple):
    period: date      # the period's first day, as the query gives it
    first: date       # the first and last day of the period inside the selected dates
    last: date
    days: int         # days of the period inside the selected dates
    length: int       # days in the whole period


def period_end(start: date, interval: str) -> date:
    """The last day of the period that begins on `start`."""
    if interval == "day":
        return start
    if interval == "week":
        return start + timedelta(days=6)
    months = {"month": 1, "quarter": 3, "year": 12}[interval]
    year, month = divmod(start.month - 1 + months, 12)
    return date(start.year + year, month + 1, 1) - timedelta(days=1)


def partial_periods(periods: Iterable, interval: str, start: date, end: date) -> list[Partial]:
    """The periods (first days, as from date_trunc) that the dates start..end cover only in part."""
    if interval not in INTERVALS:
        raise ValueError(f"unknown interval {interval!r}")
    found = []
    for value in periods:
        first_day = pd.Timestamp(value).date()
        last_day = period_end(first_day, interval)
        inside_first, inside_last = max(first_day, start), min(last_day, end)
        if (inside_first, inside_last) != (first_day, last_day) and inside_first <= inside_last:
            found.append(Partial(first_day, inside_first, inside_last, (inside_last - inside_first).days + 1,
                                 (last_day - first_day).days + 1))
    return found


def whole_months(start: date, end: date) -> list[date]:
    """The first days of the months that lie wholly inside start..end; when none does, of every month
    the dates touch (a sparkline still has its points)."""
    first = date(start.year, start.month, 1)
    months = []
    while first <= end:
        months.append(first)
        first = period_end(first, "month") + timedelta(days=1)
    whole = [m for m in months if m >= start and period_end(m, "month") <= end]
    return whole or months


def monthly_series(months: Iterable, counts: Iterable, start: date, end: date) -> list[int]:
    """Counts per whole month of start..end, 0 for a month with none: a sparkline whose points are
    evenly spaced and whose ends are not short months. `months` (first days) and `counts` pair up."""
    by_month = {pd.Timestamp(m).date(): int(n) for m, n in zip(months, counts, strict=True)}
    return [by_month.get(m, 0) for m in whole_months(start, end)]
