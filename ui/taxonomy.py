"""Tactic names, definitions, legal anchors and colours for the dashboard.

Reads complaints.tactics.taxonomy() (built from data/tactics.toml) when it exists and falls back on the
local table below, so the dashboard works before and after the taxonomy lands. One colour per tactic,
the same in every chart.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from complaints import tactics as tactics_module
from complaints.tactics import TACTIC_IDS

# Tactics the lenders page counts as severe (issue 6).
SEVERE = ("violence_threats_intimidation", "threat_arrest_criminal", "impersonation_authority",
          "fake_legal_documents", "public_shaming_exposure")

# A 14-colour qualitative palette (Tableau 10 + 4), distinguishable on white.
_PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
            "#9c755f", "#bab0ac", "#1f77b4", "#8c564b", "#17becf", "#7f7f7f")

_FALLBACK = {  # id: (name_en, name_zh, definition_en, definition_zh, anchor_en, anchor_zh)
    "excessive_contact": ("Excessive contact", "频繁骚扰联系", "Calls or messages so frequent they harass.",
                          "以高频电话、短信骚扰。", "US FDCPA §806(5); Reg F §1006.14", "《互联网金融逾期债务催收自律公约》"),
    "contact_after_stop_request": ("Contact after a stop request", "要求停止后仍联系",
                                   "Contact continues after the consumer asked it to stop.",
                                   "消费者要求停止后仍继续联系。", "US FDCPA §805(c)", "《个人信息保护法》"),
    "inconvenient_time_contact": ("Contact at inconvenient times", "不当时间联系",
                                  "Contact late at night or early in the morning.", "深夜或清晨联系。",
                                  "US FDCPA §805(a)(1)", "《互联网金融逾期债务催收自律公约》"),
    "abusive_language": ("Abusive language", "辱骂侮辱", "Insults, obscenities or degrading language.",
                         "辱骂、侮辱或贬低性语言。", "US FDCPA §806(2)", "《治安管理处罚法》第42条"),
    "violence_threats_intimidation": ("Threats of violence, intimidation", "暴力威胁恐吓",
                                      "Threats of harm to the person, family or property.",
                                      "威胁伤害本人、家人或财产。", "US FDCPA §806(1)", "《刑法》第293条之一"),
    "threat_arrest_criminal": ("Threat of arrest or prosecution", "威胁抓捕或刑事追责",
                               "Saying the debtor will be arrested, jailed or prosecuted.",
                               "声称将被逮捕、拘留或追究刑事责任。", "US FDCPA §807(4)", "《刑法》第293条之一"),
    "legal_credit_action": ("Threat of legal or credit action", "威胁起诉或征信",
                            "Threats to sue or damage credit, real or not.", "威胁起诉或影响征信。",
                            "US FDCPA §807(5)", "《征信业管理条例》"),
    "impersonation_authority": ("Impersonating an authority", "冒充公检法",
                                "Posing as police, court, lawyer or government.", "冒充警察、法院、律师或政府人员。",
                                "US FDCPA §807(1)", "《治安管理处罚法》第51条"),
    "fake_legal_documents": ("Fake legal documents", "伪造法律文书",
                             "Sending fake summons, lawyer letters or court papers.", "发送伪造的传票、律师函或法院文书。",
                             "US FDCPA §807(9)", "《刑法》第280条"),
    "third_party_contact": ("Contacting third parties", "骚扰第三方（爆通讯录）",
                            "Contacting family, friends or contacts about the debt.", "联系亲友或通讯录联系人催债。",
                            "US FDCPA §805(b)", "《个人信息保护法》"),
    "workplace_contact": ("Contacting the workplace", "联系工作单位",
                          "Calling the employer or colleagues.", "联系雇主或同事。",
                          "US FDCPA §805(a)(3)", "《个人信息保护法》"),
    "public_shaming_exposure": ("Public shaming", "公开羞辱曝光",
                                "Publishing the debtor's details or photos to shame them.",
                                "公开债务人信息或照片以羞辱。", "US FDCPA §806(4)", "《民法典》第1024条"),
    "in_person_harassment_detention": ("In-person harassment", "上门骚扰或限制人身",
                                       "Visits, following or confining the debtor.", "上门骚扰、跟踪或限制人身自由。",
                                       "US FDCPA §805(a)", "《刑法》第238条"),
    "misrepresent_debt_fees": ("Misrepresenting the debt or fees", "虚报债务或费用",
                               "False amounts, illegal fees or interest.", "虚报金额、收取不当费用或利息。",
                               "US FDCPA §807(2), §808(1)", "《民间借贷司法解释》"),
}


class TacticInfo(NamedTuple):
    tactic_id: str
    name_en: str
    name_zh: str
    definition_en: str
    definition_zh: str
    anchor_en: str
    anchor_zh: str
    colour: str
    severe: bool


def _field(entry: object, *names: str) -> str | None:
    for name in names:
        value = entry.get(name) if isinstance(entry, dict) else getattr(entry, name, None)
        if value:
            return value if isinstance(value, str) else "; ".join(map(str, value))
    return None


def _anchors(entry: object) -> tuple[str | None, str | None]:
    """Legal anchors of both jurisdictions, labelled, for English and Chinese readers."""
    us, cn = _field(entry, "anchors_us"), _field(entry, "anchors_cn")
    if not (us or cn):
        return None, None
    en = " · ".join(x for x in (f"US: {us}" if us else "", f"CN: {cn}" if cn else "") if x)
    zh = " · ".join(x for x in (f"中国：{cn}" if cn else "", f"美国：{us}" if us else "") if x)
    return en, zh


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, TacticInfo]:
    provided: dict = {}
    loader = getattr(tactics_module, "taxonomy", None)
    if loader is not None:
        try:
            raw = loader()
            entries = raw.get("tactic", raw) if isinstance(raw, dict) else raw
            provided = ({_field(e, "id", "tactic_id"): e for e in entries} if isinstance(entries, list)
                        else dict(entries))
        except Exception:  # a half-finished taxonomy must not take the dashboard down
            provided = {}
    result = {}
    for i, tactic_id in enumerate(TACTIC_IDS):
        fb = _FALLBACK.get(tactic_id, (tactic_id, tactic_id, "", "", "", ""))
        entry = provided.get(tactic_id, {})
        anchors = _anchors(entry)
        result[tactic_id] = TacticInfo(
            tactic_id,
            _field(entry, "name_en") or fb[0],
            _field(entry, "name_zh") or fb[1],
            _field(entry, "definition_en") or fb[2],
            _field(entry, "definition_zh") or fb[3],
            anchors[0] or fb[4],
            anchors[1] or fb[5],
            _field(entry, "colour", "color") or _PALETTE[i % len(_PALETTE)],
            tactic_id in SEVERE,
        )
    return result


def tactic_name(tactic_id: str, lang: str) -> str:
    info = taxonomy().get(tactic_id)
    if info is None:
        return tactic_id
    return info.name_zh if lang == "zh" else info.name_en


def colour_map(lang: str) -> dict[str, str]:
    """Colours keyed by both the id and the localized name."""
    colours = {}
    for info in taxonomy().values():
        colours[info.tactic_id] = info.colour
        colours[info.name_zh if lang == "zh" else info.name_en] = info.colour
    return colours
