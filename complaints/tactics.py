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
# The same table as a list indexed by code point: str.translate looks a dict up through an exception for
# every unmapped character, a list by plain indexing (code points past its end stay unmapped).
_WIDTH_LIST = list(range(max(_WIDTH) + 1))
for _c, _to in _WIDTH.items():
    _WIDTH_LIST[_c] = _to

# Scrubbing placeholders ([PHONE], [NAME] ...) and CFPB masks (XXXX, XX/XX/XXXX, {$12.00}) are blanked to
# spaces of the same length: they must neither trigger a pattern ("[ADDRESS]") nor break one apart.
_PLACEHOLDER = re.compile(
    r"\[[A-Z][A-Z_ ]{1,24}\]|(?<![A-Za-z])X{2,}(?:[/-]X{2,})*(?![A-Za-z])|\{\$[\d,.]*\}")


@cache
def _t2s():
    import opencc  # imported lazily: English-only workloads never need it

    return opencc.OpenCC("t2s")


@cache
def _traditional_chars() -> frozenset:
    """Characters OpenCC t2s changes on their own. A text with none of them is left alone: OpenCC is
    the slowest step of normalization and most Chinese complaints are already Simplified."""
    cc = _t2s()
    chars = [chr(c) for r in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)) for c in range(*r)]
    converted = cc.convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # a phrase rule joined lines: fall back to one call per char
        converted = [cc.convert(c) for c in chars]
    return frozenset(c for c, t in zip(chars, converted, strict=True) if c != t)


def _to_simplified(text: str) -> str:
    if _traditional_chars().isdisjoint(text):
        return text
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
    norm = text.translate(_WIDTH if text.isascii() else _WIDTH_LIST)
    if "[" in norm or "XX" in norm or "{$" in norm:
        norm = _PLACEHOLDER.sub(lambda m: " " * (m.end() - m.start()), norm)
    if not norm.isascii():
        norm = _to_simplified(norm)
    return _lower(norm)


# ---------------------------------------------------------------------------------------------- matching
#
# Speed: one big alternation is tried at every character by Python's `re` (no trie), which is far too
# slow for thousands of narratives a second. So every pattern is split into its top-level alternatives
# and, for each, the literal prefixes any match must start with are computed from the parsed regex
# ("call", "threat", "爆通", "半夜" ...). Scanning a text is then: find candidate positions (word starts
# for English, a first-character class for Chinese), look the next few characters up in a dict of
# prefixes, and `match` only the alternatives that can start there. Alternatives without a usable prefix
# (rare) are searched in full.

from re import _constants as _sre  # noqa: E402
from re import _parser as _sre_parse  # noqa: E402

_PREFIX_LEN = 3
_START_LEN = 12  # literal prefix length of the English candidate-start filter
_MAX_PREFIXES = 400


def _split_top(pattern: str) -> list[str]:
    """Top-level alternatives of a pattern (split on '|' outside groups and classes)."""
    out, cur, depth, in_class, escaped = [], [], 0, False, False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur))
    return [a for a in out if a]


def _literal_chars(av) -> set[str] | None:
    """Characters of a small character class ([abc], [1-9], \\d), or None."""
    chars: set[str] = set()
    for op, v in av:
        if op is _sre.LITERAL:
            chars.add(chr(v))
        elif op is _sre.RANGE and v[1] - v[0] < 12:
            chars.update(chr(c) for c in range(v[0], v[1] + 1))
        elif op is _sre.CATEGORY and v is _sre.CATEGORY_DIGIT:
            chars.update("0123456789")
        else:
            return None
    return chars if 0 < len(chars) <= 12 else None


def _prefixes(items, idx: int = 0, size: int = _PREFIX_LEN) -> tuple[set[str] | None, bool]:
    """(prefixes, complete): literal strings of at most `size` characters one of which every match of
    items[idx:] starts with (None = unknown); complete = the items were consumed entirely, so a caller
    may append what follows."""
    results = {""}
    items = list(items)
    while idx < len(items):
        op, av = items[idx]
        idx += 1
        if op in (_sre.AT, _sre.ASSERT_NOT):
            continue  # zero-width
        if op is _sre.LITERAL:
            sub, complete = {chr(av)}, True
        elif op is _sre.IN:
            chars = _literal_chars(av)
            if chars is None:
                return _finish(results)
            sub, complete = chars, True
        elif op is _sre.SUBPATTERN:
            sub, complete = _prefixes(av[3], size=size)
        elif op is _sre.BRANCH:
            sub, complete = set(), True
            for branch in av[1]:
                b, c = _prefixes(branch, size=size)
                if b is None:
                    return _finish(results)
                sub |= b
                complete = complete and c
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            lo, _hi, body = av
            first, _ = _prefixes(body, size=size)
            if lo == 0:
                # Optional: a match starts either with the body or with whatever follows it.
                rest, _ = _prefixes(items, idx, size)
                if first is None or rest is None:
                    return _finish(results)
                sub = first | rest
            else:
                sub = first
            complete = False
        else:
            return _finish(results)
        if sub is None or "" in sub:
            return _finish(results)
        results = {(r + x)[:size] for r in results for x in sub}
        if len(results) > _MAX_PREFIXES:
            return None, False
        if not complete or all(len(r) >= size for r in results):
            return _finish(results)
    return _finish(results, complete=True)


def _finish(results: set[str], complete: bool = False) -> tuple[set[str] | None, bool]:
    if not results or "" in results:
        return None, False
    return results, complete


def _trie_regex(keys) -> str:
    """A regex matching any of `keys` at a position, written as a character trie so `re` checks a
    character class per level instead of trying every key in turn. Stops at the shortest key."""
    root: dict = {}
    for key in keys:
        node = root
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        if "" in node:
            return ""
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items())]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(root)


class _Alternative(NamedTuple):
    tactic: str
    regex: re.Pattern


def _bucket(items: list[tuple[str, str]]) -> tuple[_Alternative, ...]:
    """One regex per tactic for the alternatives that may start at a given prefix: fewer match calls."""
    by_tactic: dict[str, list[str]] = {}
    for tactic, source in items:
        if source not in by_tactic.setdefault(tactic, []):
            by_tactic[tactic].append(source)
    return tuple(_Alternative(t, re.compile("|".join(f"(?:{a})" for a in alts)))
                 for t, alts in by_tactic.items())


class _Matcher(NamedTuple):
    by_prefix: dict               # prefix -> alternatives (one regex per tactic) that can start with it
    starts: re.Pattern            # candidate start positions
    unanchored: tuple             # alternatives without a usable prefix: searched in full
    block_before: dict            # tactic -> pattern that, found before a match in its clause, drops it
    require: re.Pattern | None    # threat-frame cue that must precede matches of `require_tactics`
    require_exempt: re.Pattern | None  # matches whose own text fits this need no frame ("被冻结")
    require_tactics: frozenset
    context: re.Pattern | None    # document-level cue that a debt is being collected
    anti_context: re.Pattern | None  # document-level cue of a sales/marketing complaint
    context_tactics: frozenset
    require_window: int
    boundary: re.Pattern
    cues: re.Pattern
    window: int
    first_person: re.Pattern
    first_person_tactics: frozenset


# Normalization turns full-width punctuation into ASCII, so patterns written with Chinese punctuation
# ("[^，。！？]") are rewritten to the half-width forms the normalized text actually contains.
_PUNCT = str.maketrans({"，": ",", "！": "!", "？": "\\?", "；": ";", "：": ":", "（": "\\(", "）": "\\)"})


def _compile(pattern: str) -> re.Pattern:
    return re.compile(_expand(pattern).translate(_PUNCT))


_MACRO = re.compile(r"<<([A-Z_]+)>>")


def _expand(pattern: str) -> str:
    macros = taxonomy().get("macros", {})
    return _MACRO.sub(lambda m: f"(?:{macros[m.group(1)]})", pattern)


def _prepare(pattern: str, lang: str) -> str:
    pattern = _expand(pattern).translate(_PUNCT)
    if lang == "en":
        # Older CFPB narratives are tokenized "do n't", "wo n't": let every "n't" take an optional space.
        pattern = pattern.replace("n't", "\\s?n't")
    return pattern


@cache
def _matcher(lang: str) -> _Matcher:
    data = taxonomy()
    neg = data["negation"]
    raw: dict[str, list[tuple[str, str]]] = {}
    long_prefixes: set[str] = set()
    unanchored, block = [], {}
    for t in data["tactic"]:
        for pattern in t.get(f"patterns_{lang}", []):
            for alt in _split_top(_prepare(pattern, lang)):
                prefixes, _ = _prefixes(_sre_parse.parse(alt))
                if prefixes is None:
                    unanchored.append(_Alternative(t["id"], re.compile(alt)))
                    continue
                for prefix in prefixes:
                    raw.setdefault(prefix, []).append((t["id"], alt))
                # Longer literal prefixes make a sharper filter for candidate starts: a position where
                # none of them begins cannot start a match ("the police" rather than every "the").
                longer, _ = _prefixes(_sre_parse.parse(alt), size=_START_LEN)
                long_prefixes.update(longer or prefixes)
        if t.get(f"block_before_{lang}"):
            block[t["id"]] = _compile(t[f"block_before_{lang}"])
    # A key also carries the alternatives of its shorter prefixes, so one lookup per position suffices
    # whenever the longest key is present (see _candidates).
    by_prefix = {key: _bucket([item for n in range(1, len(key) + 1) for item in raw.get(key[:n], [])])
                 for key in raw}
    # Candidate starts: positions where some prefix begins (word starts only, for English).
    if lang == "en":
        # The first character is consumed and the word-start check follows it, so `re` can skip ahead
        # with a first-character set (a pattern opening with a lookbehind is tried at every position).
        by_first: dict[str, set[str]] = {}
        for p in long_prefixes:
            by_first.setdefault(p[0], set()).add(p[1:])
        starts = re.compile("|".join(
            re.escape(c) + r"(?<![a-z0-9'].)" + ("" if "" in rest else f"(?={_trie_regex(rest)})")
            for c, rest in sorted(by_first.items())))
    else:
        # Hundreds of first characters: one character class is far cheaper than a trie here.
        starts = re.compile("[" + "".join(re.escape(c) for c in sorted({k[0] for k in by_prefix})) + "]")
    return _Matcher(
        by_prefix=by_prefix,
        starts=starts,
        unanchored=tuple(unanchored),
        block_before=block,
        require=_compile(neg[f"require_{lang}"]) if neg.get(f"require_{lang}") else None,
        require_exempt=_compile(neg[f"require_exempt_{lang}"]) if neg.get(f"require_exempt_{lang}") else None,
        require_tactics=frozenset(neg.get(f"require_tactics_{lang}", [])),
        context=_compile(neg[f"context_{lang}"]) if neg.get(f"context_{lang}") else None,
        anti_context=_compile(neg[f"anti_context_{lang}"]) if neg.get(f"anti_context_{lang}") else None,
        context_tactics=frozenset(neg.get(f"context_tactics_{lang}", [])),
        require_window=int(neg.get("require_window", 24)),
        boundary=_compile(neg[f"boundary_{lang}"]),
        cues=_compile(neg[f"cues_{lang}"]),
        window=int(neg[f"window_{lang}"]),
        first_person=_compile(neg[f"first_person_{lang}"]),
        first_person_tactics=frozenset(neg.get("first_person_tactics", [])),
    )


def _candidates(norm: str, m: _Matcher) -> dict[int, dict[str, int]]:
    """start -> {tactic: longest end} for every alternative that matches there."""
    hits: dict[int, dict[str, int]] = {}
    get = m.by_prefix.get
    for s in m.starts.finditer(norm):
        i = s.start()
        key = norm[i:i + _PREFIX_LEN]
        alts = get(key) or get(key[:2]) or get(key[:1])
        if not alts:
            continue
        for alt in alts:
            found = alt.regex.match(norm, i)
            if found and found.end() > i:
                at = hits.setdefault(i, {})
                at[alt.tactic] = max(at.get(alt.tactic, 0), found.end())
    for alt in m.unanchored:
        for found in alt.regex.finditer(norm):
            i = found.start()
            if found.end() > i:
                at = hits.setdefault(i, {})
                at[alt.tactic] = max(at.get(alt.tactic, 0), found.end())
    return hits


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


_ORDER = {t: i for i, t in enumerate(TACTIC_IDS)}


def _scan(norm: str, text: str, lang: str, found: list[Evidence]) -> None:
    m = _matcher(lang)
    hits = _candidates(norm, m)
    if not hits:
        return
    last_end: dict[str, int] = {}
    sales = hits and m.anti_context and m.anti_context.search(norm) and not m.context.search(norm)
    skip = m.context_tactics if sales else frozenset()
    for start in sorted(hits):
        raw_before = norm[max(0, start - m.window):start]
        before = _clause_before(norm, start, m)
        if before and m.cues.search(before):
            continue  # negated or a quoted rule: "严禁威胁", "they never threatened me"
        # Checked on the raw window: the subject pronoun itself is a clause boundary for negation.
        first_person = m.first_person.search(raw_before) is not None
        at = hits[start]
        for tactic, end in (sorted(at.items(), key=lambda kv: _ORDER[kv[0]]) if len(at) > 1 else at.items()):
            if last_end.get(tactic, -1) > start or tactic in skip:
                continue  # overlaps the previous span of the same tactic, or no debt in sight
            if first_person and tactic in m.first_person_tactics:
                continue  # the complainant is the actor: "我要起诉他们", "I called my mother"
            if (blocker := m.block_before.get(tactic)) and blocker.search(before):
                continue  # e.g. "the sheriff would come to my house" is an arrest threat, not a visit
            if (tactic in m.require_tactics
                    and not (m.require_exempt and m.require_exempt.match(norm, start, end))
                    and not m.require.search(_sentence_before(norm, start, m.require_window))):
                continue  # a fact ("发现上征信了"), not a threat ("说不还就上征信")
            last_end[tactic] = end
            found.append(Evidence(tactic, start, end, text[start:end]))


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
