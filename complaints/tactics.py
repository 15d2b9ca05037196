"""Tactic classifier: which abusive debt-collection tactics a complaint describes, with evidence spans.

Interface other modules rely on:
- TACTIC_IDS: the 14 tactic ids in taxonomy order
- taxonomy_version() -> str (recorded on every label)
- classify(text) -> list[Evidence] (one or more spans per tactic found; offsets index the ORIGINAL `text`)
- sub_issue_tactics(issue, sub_issue) -> list[str] tactic ids for a CFPB (issue, sub-issue)
Extras: taxonomy() (the parsed data file), tactic_colors(), tactic_names(lang), tactics_of(evidence).

The taxonomy (names, definitions, anchors, colours, patterns, negation cues) lives in data/tactics.toml and
the CFPB crosswalk in data/cfpb_subissue_tactics.csv, so researchers change behaviour without touching code.
Matching runs on a normalized copy of the text that has exactly the same length as the original, so a
match position in the copy is the same position in the original (the stored text keeps its script).
"""

from __future__ import annotations

import csv
import re
import tomllib
from functools import cache
from pathlib import Path
from typing import NamedTuple

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
TAXONOMY_FILE = DATA_DIR / "tactics.toml"
SUBISSUE_FILE = DATA_DIR / "cfpb_subissue_tactics.csv"

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


# ---------------------------------------------------------------------------------------------- taxonomy

@cache
def taxonomy() -> dict:
    """The parsed data/tactics.toml (version, negation settings, list of tactics)."""
    with TAXONOMY_FILE.open("rb") as f:
        data = tomllib.load(f)
    ids = tuple(t["id"] for t in data["tactic"])
    if ids != TACTIC_IDS:
        raise ValueError(f"{TAXONOMY_FILE}: tactic ids/order differ from TACTIC_IDS: {ids}")
    return data


def taxonomy_version() -> str:
    return taxonomy()["version"]


def tactic_colors() -> dict[str, str]:
    """One fixed colour per tactic, for every chart."""
    return {t["id"]: t["color"] for t in taxonomy()["tactic"]}


def tactic_names(lang: str = "en") -> dict[str, str]:
    key = "name_zh" if lang.startswith("zh") else "name_en"
    return {t["id"]: t[key] for t in taxonomy()["tactic"]}


def tactics_of(evidence: list[Evidence]) -> list[str]:
    """Distinct tactic ids of an evidence list, in taxonomy order."""
    found = {e.tactic for e in evidence}
    return [t for t in TACTIC_IDS if t in found]


# ----------------------------------------------------------------------------------------- normalization

# Full-width ASCII -> half-width, ideographic space -> space, curly quotes -> straight. All 1:1 in length.
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0x2018: 0x27, 0x2019: 0x27, 0x201C: 0x22, 0x201D: 0x22})

# Scrubbing placeholders ([PHONE], [NAME] ...) and CFPB masks (XXXX, XX/XX/XXXX, {$12.00}) are blanked to
# spaces of the same length: they must neither trigger a pattern ("[ADDRESS]") nor break one apart.
_PLACEHOLDER = re.compile(
    r"\[[A-Z][A-Z_ ]{1,24}\]|(?<![A-Za-z])X{2,}(?:[/-]X{2,})*(?![A-Za-z])|\{\$[\d,.]*\}")


@cache
def _t2s():
    import opencc  # imported lazily: English-only workloads never need it

    return opencc.OpenCC("t2s")


def _to_simplified(text: str) -> str:
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase conversion changed the length: fall back to char-by-char so offsets stay aligned.
    out = []
    for ch in text:
        c = _t2s().convert(ch)
        out.append(c if len(c) == 1 else ch)
    return "".join(out)


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def normalize(text: str) -> str:
    """Matching copy of `text`, same length, so offsets carry over unchanged."""
    norm = text.translate(_WIDTH)
    if "[" in norm or "XX" in norm or "{$" in norm:
        norm = _PLACEHOLDER.sub(lambda m: " " * (m.end() - m.start()), norm)
    if not norm.isascii():
        norm = _to_simplified(norm)
    return _lower(norm)


# ---------------------------------------------------------------------------------------------- matching

class _Matcher(NamedTuple):
    combined: re.Pattern          # one alternation, one named group per tactic
    single: dict                  # tactic -> its own pattern, to find a second tactic at the same start
    block_before: dict            # tactic -> pattern that, found before a match in its clause, drops it
    require: re.Pattern | None    # threat-frame cue that must precede matches of `require_tactics`
    require_tactics: frozenset
    require_window: int
    boundary: re.Pattern
    cues: re.Pattern
    window: int
    first_person: re.Pattern
    first_person_tactics: frozenset


def _group_name(i: int) -> str:
    return f"t{i}"


# Normalization turns full-width punctuation into ASCII, so patterns written with Chinese punctuation
# ("[^，。！？]") are rewritten to the half-width forms the normalized text actually contains.
_PUNCT = str.maketrans({"，": ",", "！": "!", "？": "\\?", "；": ";", "：": ":", "（": "\\(", "）": "\\)"})


def _compile(pattern: str) -> re.Pattern:
    return re.compile(pattern.translate(_PUNCT))


def _prepare(pattern: str, lang: str) -> str:
    pattern = pattern.translate(_PUNCT)
    if lang == "en":
        # Older CFPB narratives are tokenized "do n't", "wo n't": let every "n't" take an optional space.
        pattern = pattern.replace("n't", "\\s?n't")
    return pattern


@cache
def _matcher(lang: str) -> _Matcher:
    data = taxonomy()
    neg = data["negation"]
    parts, single, block = [], {}, {}
    for i, t in enumerate(data["tactic"]):
        pats = t.get(f"patterns_{lang}", [])
        if pats:
            body = "|".join(f"(?:{_prepare(p, lang)})" for p in pats)
            parts.append(f"(?P<{_group_name(i)}>{body})")
            single[t["id"]] = re.compile(body)
        if t.get(f"block_before_{lang}"):
            block[t["id"]] = _compile(t[f"block_before_{lang}"])
    return _Matcher(
        combined=re.compile("|".join(parts)),
        single=single,
        block_before=block,
        boundary=_compile(neg[f"boundary_{lang}"]),
        cues=_compile(neg[f"cues_{lang}"]),
        window=int(neg[f"window_{lang}"]),
        first_person=_compile(neg[f"first_person_{lang}"]),
        first_person_tactics=frozenset(neg.get("first_person_tactics", [])),
        require=_compile(neg[f"require_{lang}"]) if neg.get(f"require_{lang}") else None,
        require_tactics=frozenset(neg.get(f"require_tactics_{lang}", [])),
        require_window=int(neg.get("require_window", 24)),
    )


def _clause_before(norm: str, start: int, m: _Matcher) -> str:
    """Text before a match inside the same clause, capped at the negation window."""
    window = norm[max(0, start - m.window):start]
    cut = 0
    for b in m.boundary.finditer(window):
        cut = b.end()
    return window[cut:]


_SENTENCE_END = re.compile(r"[。!?！？\n]")


def _sentence_before(norm: str, start: int, window: int) -> str:
    text = norm[max(0, start - window):start]
    cut = 0
    for b in _SENTENCE_END.finditer(text):
        cut = b.end()
    return text[cut:]


def _scan(norm: str, text: str, lang: str, found: list[Evidence]) -> None:
    m = _matcher(lang)
    search = m.combined.search
    pos, n = 0, len(norm)
    last_end: dict[str, int] = {}
    while pos < n:
        hit = search(norm, pos)
        if hit is None:
            break
        start, end = hit.span()
        # Step one char past the start (not the end) so a different tactic starting inside this
        # match is still found.
        pos = start + 1
        if end == start:
            continue
        before = _clause_before(norm, start, m)
        if before and m.cues.search(before):
            continue  # negated or a quoted rule: "严禁威胁", "they never threatened me"
        first_person = m.first_person.search(before) is not None
        first = TACTIC_IDS[int(hit.lastgroup[1:])]
        # The alternation reports one tactic per start; other tactics may match at the same start
        # ("called my mother and my boss"), so try them too. Hits are rare, so this stays cheap.
        spans = [(first, end)]
        for tactic, single in m.single.items():
            if tactic != first and (other := single.match(norm, start)) and other.end() > start:
                spans.append((tactic, other.end()))
        for tactic, t_end in spans:
            if last_end.get(tactic, -1) > start:
                continue  # overlaps the previous span of the same tactic
            if first_person and tactic in m.first_person_tactics:
                continue  # the complainant is the actor: "我要起诉他们", "I called my mother"
            if (blocker := m.block_before.get(tactic)) and blocker.search(before):
                continue  # e.g. "the sheriff would come to my house" is an arrest threat, not a visit
            if tactic in m.require_tactics and not m.require.search(_sentence_before(norm, start, m.require_window)):
                continue  # a fact ("发现上征信了"), not a threat ("说不还就上征信")
            last_end[tactic] = t_end
            found.append(Evidence(tactic, start, t_end, text[start:t_end]))


def classify(text: str | None) -> list[Evidence]:
    """Evidence spans for every tactic the text describes (empty when none). Offsets index `text`."""
    if not text or not text.strip():
        return []
    norm = normalize(text)
    found: list[Evidence] = []
    _scan(norm, text, "en", found)
    if not norm.isascii():
        _scan(norm, text, "zh", found)
    found.sort(key=lambda e: (e.start, e.end, e.tactic))
    return found


# --------------------------------------------------------------------------------------- CFPB sub-issues

def _key(value: str | None) -> str:
    """Case-, whitespace- and punctuation-insensitive key for CFPB strings."""
    return re.sub(r"[\W_]+", "", (value or "").lower())


@cache
def _subissue_table() -> tuple[dict, dict]:
    by_pair: dict[tuple[str, str], list[str]] = {}
    by_sub: dict[str, set[str]] = {}
    with SUBISSUE_FILE.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            tactics = [t for t in (row["tactic"] or "").split(";") if t and t != "none"]
            by_pair[(_key(row["issue"]), _key(row["sub_issue"]))] = tactics
            by_sub.setdefault(_key(row["sub_issue"]), set()).update(tactics)
    return by_pair, {k: sorted(v, key=TACTIC_IDS.index) for k, v in by_sub.items()}


def sub_issue_tactics(issue: str | None, sub_issue: str | None) -> list[str]:
    """Tactic ids for a CFPB Debt collection (issue, sub-issue); [] for disputes and unknown strings."""
    if not sub_issue:
        return []
    by_pair, by_sub = _subissue_table()
    hit = by_pair.get((_key(issue), _key(sub_issue)))
    if hit is not None:
        return list(hit)
    # Sub-issue strings are unique enough on their own (the same string under two issues maps the same).
    return list(by_sub.get(_key(sub_issue), []))
