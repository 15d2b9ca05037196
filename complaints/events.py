"""Regulatory timeline (issue 7): dated events that time charts mark.

The events live in data/events.toml (one [[event]] table each: date, jurisdiction, both titles and a
source link). load_events() validates them so a bad edit fails loudly in tests, not silently on a chart.

Interface: load_events(jurisdictions=None) -> list[Event], sorted by date.
"""

from __future__ import annotations

import tomllib
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from complaints import DATA_DIR

EVENTS_FILE = DATA_DIR / "events.toml"
JURISDICTIONS = ("CN", "US")


class Event(NamedTuple):
    date: date
    jurisdiction: str   # "CN" | "US"
    title_zh: str
    title_en: str
    source: str         # URL of the primary (or best available) source


class EventsError(ValueError):
    """The events file is malformed."""


def _parse(raw: dict, number: int) -> Event:
    missing = [k for k in ("date", "jurisdiction", "title_zh", "title_en", "source") if not raw.get(k)]
    if missing:
        raise EventsError(f"event #{number}: missing {', '.join(missing)}")
    when = raw["date"]
    if not isinstance(when, date):
        try:
            when = date.fromisoformat(str(when))
        except ValueError as exc:
            raise EventsError(f"event #{number}: bad date {raw['date']!r}") from exc
    if raw["jurisdiction"] not in JURISDICTIONS:
        raise EventsError(f"event #{number}: jurisdiction must be one of {JURISDICTIONS}")
    return Event(when, raw["jurisdiction"], str(raw["title_zh"]).strip(), str(raw["title_en"]).strip(),
                 str(raw["source"]).strip())


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[Event, ...]:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    events = [_parse(raw, i) for i, raw in enumerate(data.get("event", []), start=1)]
    return tuple(sorted(events, key=lambda e: (e.date, e.jurisdiction)))


def load_events(jurisdictions: list[str] | tuple[str, ...] | None = None,
                path: str | Path | None = None) -> list[Event]:
    """Events sorted by date; only those of `jurisdictions` when given (None or empty = all)."""
    events = _load(Path(path) if path else EVENTS_FILE)
    wanted = set(jurisdictions or ())
    return [e for e in events if not wanted or e.jurisdiction in wanted]
