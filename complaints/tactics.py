"""Tactic classifier (issue 4). PLACEHOLDER: the tactics helper replaces this module's internals.

Interface other modules rely on:
- TACTIC_IDS: the 14 tactic ids in taxonomy order
- taxonomy_version() -> str
- classify(text) -> list[Evidence] (one or more spans per tactic found; offsets index `text`)
- sub_issue_tactics(issue, sub_issue) -> list[str] tactic ids for a CFPB (issue, sub-issue)
"""

from __future__ import annotations

from typing import NamedTuple

TACTIC_IDS = (
    "excessive_contact", "contact_after_stop_request", "inconvenient_time_contact", "abusive_language",
    "violence_threats_intimidation", "threat_arrest_criminal", "legal_credit_action",
    "impersonation_authority", "fake_legal_documents", "third_party_contact", "workplace_contact",
    "public_shaming_exposure", "in_person_harassment_detention", "misrepresent_debt_fees",
)


class Evidence(NamedTuple):
    tactic: str
    start: int
    end: int
    text: str


def taxonomy_version() -> str:
    return "0-placeholder"


def classify(text: str | None) -> list[Evidence]:
    if not text:
        return []
    i = text.find("爆通讯录")
    return [Evidence("third_party_contact", i, i + 4, "爆通讯录")] if i >= 0 else []


def sub_issue_tactics(issue: str | None, sub_issue: str | None) -> list[str]:
    return ["excessive_contact"] if sub_issue == "Frequent or repeated calls" else []
