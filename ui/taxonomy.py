"""Tactic names, short names, definitions, legal anchors and colours for the dashboard, from
data/tactics.toml (complaints.tactics.taxonomy()). One colour per tactic, the same in every chart.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from complaints import tactics as tactics_module

# Tactics the lenders page counts as severe (issue 6).
SEVERE = ("violence_threats_intimidation", "threat_arrest_criminal", "impersonation_authority",
          "fake_legal_documents", "public_shaming_exposure")


class TacticInfo(NamedTuple):
    tactic_id: str
    name_en: str
    name_zh: str
    short_en: str      # where room is tight: legends, axis labels, small panels
    short_zh: str
    definition_en: str
    definition_zh: str
    anchor_en: str
    anchor_zh: str
    colour: str
    severe: bool


def _joined(value: object) -> str | None:
    return "; ".join(map(str, value)) if isinstance(value, list) else value or None


def _anchors(entry: dict) -> tuple[str | None, str | None]:
    """Legal anchors of both jurisdictions, labelled, for English and Chinese readers."""
    us, cn = _joined(entry.get("anchors_us")), _joined(entry.get("anchors_cn"))
    if not (us or cn):
        return None, None
    en = " · ".join(x for x in (f"US: {us}" if us else "", f"CN: {cn}" if cn else "") if x)
    zh = " · ".join(x for x in (f"中国：{cn}" if cn else "", f"美国：{us}" if us else "") if x)
    return en, zh


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, TacticInfo]:
    result = {}
    for entry in tactics_module.taxonomy()["tactic"]:
        anchor_en, anchor_zh = _anchors(entry)
        result[entry["id"]] = TacticInfo(
            entry["id"], entry["name_en"], entry["name_zh"],
            entry.get("short_en") or entry["name_en"], entry.get("short_zh") or entry["name_zh"],
            entry.get("definition_en", ""), entry.get("definition_zh", ""), anchor_en or "", anchor_zh or "",
            entry["color"], entry["id"] in SEVERE)
    return result


def tactic_name(tactic_id: str, lang: str) -> str:
    info = taxonomy().get(tactic_id)
    if info is None:
        return tactic_id
    return info.name_zh if lang == "zh" else info.name_en


def tactic_short(tactic_id: str, lang: str) -> str:
    """The tactic's short name, for legends, axis labels and small panels."""
    info = taxonomy().get(tactic_id)
    if info is None:
        return tactic_id
    return info.short_zh if lang == "zh" else info.short_en


def colour_map(lang: str) -> dict[str, str]:
    """Colours keyed by both the id and the localized name."""
    colours = {}
    for info in taxonomy().values():
        colours[info.tactic_id] = info.colour
        colours[info.name_zh if lang == "zh" else info.name_en] = info.colour
    return colours
