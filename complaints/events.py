"""Regulatory timeline (issue 7). PLACEHOLDER: the leads helper replaces the internals and the data file.

Interface: load_events(jurisdictions=None) -> list[Event], sorted by date.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple


class Event(NamedTuple):
    date: date
    jurisdiction: str   # "CN" | "US"
    title_zh: str
    title_en: str
    source: str         # URL or citation of the primary source


def load_events(jurisdictions: list[str] | None = None) -> list[Event]:
    events = [
        Event(date(2021, 3, 1), "CN", "刑法修正案(十一)施行：催收非法债务罪", "Criminal Law Amendment XI in force: crime of collecting illegal debts", "placeholder"),
        Event(date(2021, 11, 30), "US", "《债务催收规则》(Regulation F) 生效", "Regulation F in force", "placeholder"),
    ]
    return [e for e in events if not jurisdictions or e.jurisdiction in jurisdictions]
