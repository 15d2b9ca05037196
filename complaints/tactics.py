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

from complaints import prefilter

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
# str.translate visits every character in Python-object terms; Chinese text mostly needs only its
# punctuation mapped, so the common marks are replaced with str.replace (C speed) and the table is applied
# only when some other full-width character is left.
_WIDTH_COMMON = [(chr(c), chr(t)) for c, t in _WIDTH.items() if chr(c) in "，！？：；（）\u3000“”‘’"]
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000\u2018\u2019\u201c\u201d]")


def _half_width(text: str) -> str:
    for wide, narrow in _WIDTH_COMMON:
        if wide in text:
            text = text.replace(wide, narrow)
    return text.translate(_WIDTH) if _FULL_WIDTH.search(text) else text

# Scrubbing placeholders ([PHONE], [NAME] ...) and CFPB masks (XXXX, XX/XX/XXXX, {$12.00}) are blanked to
# spaces of the same length: they must neither trigger a pattern ("[ADDRESS]") nor break one apart.
# (The X branch matches its first X before looking behind it, so `re` can skip ahead to "[", "X" or "{".)
_PLACEHOLDER = re.compile(
    r"\[[A-Z][A-Z_ ]{1,24}\]|X(?<![A-Za-z]X)X+(?:[/-]X{2,})*(?![A-Za-z])|\{\$[\d,.]*\}")
_BLANKS = [" " * n for n in range(64)]


def _blank(m: re.Match) -> str:
    n = m.end() - m.start()
    return _BLANKS[n] if n < 64 else " " * n


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


@cache
def _traditional_class() -> re.Pattern:
    """One character class of _traditional_chars(): `re` scans a text for them in C."""
    return re.compile("[" + "".join(sorted(_traditional_chars())) + "]")


def _to_simplified(text: str) -> str:
    if not _traditional_class().search(text):
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


# Quotation marks (and 「」『』) are blanked too, so a quoted word is matched like any other ('said they would
# "sue me"', "a fake 'court notice'", 说是「法院」). An apostrophe inside a word stays: "don't", "they'd".
_QUOTE = re.compile(r"[\"「」『』]|'(?![a-z])|(?<![a-z0-9])'")


def normalize(text: str) -> str:
    """Matching copy of `text`, same length, so offsets carry over unchanged."""
    norm = text if text.isascii() else _half_width(text)  # nothing ASCII is remapped
    if "[" in norm or "XX" in norm or "{$" in norm:
        norm = _PLACEHOLDER.sub(_blank, norm)
    if not norm.isascii():
        norm = _to_simplified(norm)
    norm = _lower(norm)
    if '"' in norm or "'" in norm or "「" in norm or "『" in norm:
        norm = _QUOTE.sub(" ", norm)
    return norm


# ---------------------------------------------------------------------------------------------- matching
#
# Speed: Python's `re` has no multi-pattern automaton, and trying hundreds of alternatives at every word
# start costs far more than a complaint is worth. Every pattern is split into its top-level alternatives
# and each is analysed once, from its parsed regex, for the literal words any match MUST contain.
# English (narratives are long, matches rare):
#   - one set of the text's words (and their first four letters) is built per text;
#   - an alternative is considered only when its rarest required word occurs (one set intersection for
#     all of them), and run only when each of its other required word groups occurs too (the gate);
#   - a leading alternation is split into parts that start with one literal word each ("called ...",
#     "texted ..."), so `re.search` skips through the text in C to the few places a part can start.
# Chinese (complaints are short, characters dense): candidate starts are the positions of the first
# characters; the next one to three characters select, in one dict lookup, the few alternatives that can
# start there (one regex per tactic).
# Long literal alternations (mother|mom|mum ...) are compiled as character tries. All of this only skips
# work that could not match: the labels are the same as trying every alternative at every start.

from re import _constants as _sre  # noqa: E402
from re import _parser as _sre_parse  # noqa: E402

_PREFIX_LEN = 12     # literal prefix length worked out per alternative
_MAX_PREFIXES = 400
_KEY_LEN = 4         # English: doc words are looked up whole and by their first four characters
_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789'")  # an English match never starts after these
_KEYCHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")  # the characters of a key word
_SPACE = " "         # stands for any whitespace / non-word separator in the prefix analysis


def _structure(pattern: str):
    """(index, character, group depth after it) for each character of a pattern outside escapes and
    character classes: the characters that give a regex its shape."""
    depth, in_class, escaped = 0, False, False
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        else:
            depth += (ch == "(") - (ch == ")")
            yield i, ch, depth


def _split_top(pattern: str) -> list[str]:
    """Top-level alternatives of a pattern (split on '|' outside groups and classes)."""
    cuts = [i for i, ch, depth in _structure(pattern) if ch == "|" and depth == 0]
    bounds = zip([-1, *cuts], [*cuts, len(pattern)], strict=True)
    return [a for a in (pattern[start + 1:end] for start, end in bounds) if a]


def _literal_chars(av) -> set[str] | None:
    """Characters of a small character class ([abc], [1-9], \\d), or None. Classes of separators only
    ([\\s-], \\s) come back as {_SPACE}: all that matters about them is that a word ends there."""
    chars: set[str] = set()
    for op, v in av:
        if op is _sre.LITERAL:
            c = chr(v)
            chars.add(c if c in _KEYCHARS or c.isalnum() else _SPACE)
        elif op is _sre.RANGE and v[1] - v[0] < 12:
            chars.update(chr(c) for c in range(v[0], v[1] + 1))
        elif op is _sre.CATEGORY and v is _sre.CATEGORY_DIGIT:
            chars.update("0123456789")
        elif op is _sre.CATEGORY and v is _sre.CATEGORY_SPACE:
            chars.add(_SPACE)
        else:
            return None
    return chars if 0 < len(chars) <= 12 else None


def _prefix_set(items, idx: int = 0, size: int = _PREFIX_LEN, top: bool = True) -> set[tuple[str, bool]] | None:
    """{(prefix, consumed)}: literal strings of at most `size` characters one of which every match of
    items[idx:] starts with (_SPACE stands for any separator); consumed = the string covers all of
    items[idx:], so a caller may append what follows. None = no usable prefix (an empty string can only
    be part of an inner result, where the caller appends what follows)."""
    results: set[tuple[str, bool]] = {("", True)}
    items = list(items)
    while idx < len(items):
        active = {r for r, c in results if c and len(r) < size}
        if not active:
            break
        op, av = items[idx]
        idx += 1
        if op is _sre.AT and av is _sre.AT_BOUNDARY:
            # \b right after a word character: the word ends here.
            results = {(r + _SPACE if c and r and r[-1] in _KEYCHARS and len(r) < size else r, c)
                       for r, c in results}
            continue
        if op in _ZERO_WIDTH:
            continue
        rest_done = False
        if op is _sre.LITERAL:
            c = chr(av)
            sub = {(c if c in _KEYCHARS or c.isalnum() else _SPACE, True)}
        elif op is _sre.IN:
            chars = _literal_chars(av)
            sub = None if chars is None else {(c, True) for c in chars}
        elif op is _sre.SUBPATTERN:
            sub = _prefix_set(av[3], 0, size, top=False)
        elif op is _sre.BRANCH:
            sub = set()
            for branch in av[1]:
                b = _prefix_set(branch, 0, size, top=False)
                if b is None:
                    sub = None
                    break
                sub |= b
        elif op in _REPEATS and av[1] == 1:
            # X? (or X{1}): either X once or nothing, and the match goes on after it either way.
            sub = _prefix_set(av[2], 0, size, top=False)
            if sub is not None and av[0] == 0:
                sub = sub | {("", True)}
        elif op in _REPEATS:
            lo, _hi, body = av
            first = _prefix_set(body, 0, size, top=False)
            # The number of repetitions is unknown: a string that went through the body stops there.
            sub = None if first is None else {(x, False) for x, _ in first}
            if lo == 0 and sub is not None:
                # Optional: a match starts either with the body or with whatever follows it.
                rest = _prefix_set(items, idx, size, top=False)
                sub = None if rest is None else sub | rest
                rest_done = True
        else:
            sub = None
        if sub is None:
            results = {(r, False) for r, _ in results}
            break
        grown = {(r, c) for r, c in results if not (c and len(r) < size)} | {
            ((r + x)[:size], c and len(r + x) < size) for r in active for x, c in sub}
        if len(grown) > _MAX_PREFIXES:
            # Too many combinations: stop at what is known so far.
            results = {(r, False) for r, _ in results}
            break
        results = grown
        if rest_done:
            break
    if not results or top and any(not r for r, _ in results):
        return None
    return results


def _prefixes(items, idx: int = 0, size: int = _PREFIX_LEN) -> tuple[set[str] | None, bool]:
    """(prefixes, complete): the strings of _prefix_set, and whether all of them consumed the items."""
    found = _prefix_set(items, idx, size)
    if found is None:
        return None, False
    return {r for r, _ in found}, all(c for _, c in found)


_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)
_ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)


def _ends_with_separator(item) -> bool:
    """Does every match of this item end with a character that cannot be inside an English word?"""
    op, av = item
    if op is _sre.LITERAL:
        return chr(av) not in _KEYCHARS
    if op is _sre.IN:
        return all(o is _sre.CATEGORY and v is _sre.CATEGORY_SPACE
                   or o is _sre.LITERAL and chr(v) not in _KEYCHARS for o, v in av)
    if op in _REPEATS:
        return av[0] >= 1 and len(av[2]) > 0 and _ends_with_separator(av[2][-1])
    if op is _sre.SUBPATTERN:
        return len(av[3]) > 0 and _ends_with_separator(av[3][-1])
    if op is _sre.BRANCH:
        return all(len(b) > 0 and _ends_with_separator(b[-1]) for b in av[1])
    return False


def _word_start(items, idx: int, at_start: bool = True) -> bool:
    """Does a word start at items[idx]? (English matches themselves start at word starts.)"""
    if idx == 0:
        return at_start
    op, av = items[idx - 1]
    if op in _ZERO_WIDTH:
        return _word_start(items, idx - 1, at_start)
    if op in _REPEATS and av[0] == 0:
        return len(av[2]) > 0 and _ends_with_separator(av[2][-1]) and _word_start(items, idx - 1, at_start)
    return _ends_with_separator(items[idx - 1])


_DIGIT_KEY = "#digit"  # stands for "a word that starts with a digit"


def _word_key_group(prefixes) -> tuple[frozenset, frozenset] | None:
    """(whole words, four-character word starts) for a set of prefixes at a word start; short open word
    starts that are digits become _DIGIT_KEY; None when not usable as a key."""
    keys = _en_keys(prefixes) if prefixes else None
    if keys is None:
        return None
    exact, short, tiny = keys
    if tiny:
        if not all(t.isdigit() for t in tiny):
            return None
        exact = exact | {_DIGIT_KEY}
    return exact, short


def _word_groups(items, at_start: bool = True) -> list[tuple[int, frozenset, frozenset]]:
    """(position, whole words, word starts) groups: every match has, at a word start, a word that is one
    of the whole words or begins with one of the word starts. Position = index in the top-level sequence
    where that word starts (-1 for groups gathered from inside alternations)."""
    items = list(items)
    out = []
    for idx, (op, av) in enumerate(items):
        if op in _ZERO_WIDTH:
            continue
        start = _word_start(items, idx, at_start)
        if start:
            prefixes, _ = _prefixes(items, idx)
            if (group := _word_key_group(prefixes)) is not None:
                out.append((idx, *group))
        # Required words inside a group or alternation: one of the branches' rarest words must occur.
        inner = None
        if op is _sre.SUBPATTERN:
            inner = [av[3]]
        elif op is _sre.BRANCH:
            inner = av[1]
        elif op in _REPEATS and av[0] >= 1:
            inner = [av[2]]
        if inner:
            picks = []
            for branch in inner:
                groups = _word_groups(branch, start)
                if not groups:
                    picks = None
                    break
                picks.append(min(groups, key=lambda g: _word_cost(g[1] | g[2])))
            if picks:
                out.append((-1, frozenset().union(*(g[1] for g in picks)),
                            frozenset().union(*(g[2] for g in picks))))
    return out


class _Lazy:
    """A regex compiled on first use. The matcher holds thousands (one per English part, one per tactic
    and Chinese start); with the prefilter a process needs only those its texts flag, and compiling
    them all up front cost about three seconds at every start (every ingest, every CLI call)."""

    __slots__ = ("source", "_pattern")

    def __init__(self, source: str) -> None:
        self.source = source
        self._pattern: re.Pattern | None = None

    def get(self) -> re.Pattern:
        if self._pattern is None:
            self._pattern = re.compile(self.source)
        return self._pattern


class _Alternative(NamedTuple):
    tactic: str
    regex: _Lazy            # English: a leading \b is left out so `re.search` skips ahead to the first
    boundary: bool          # characters in C, and then checked at each found start (boundary = True)
    parent: int             # English: the pattern alternative it was split from (index of its gate)


class _Matcher(NamedTuple):
    alternatives: tuple           # English: the parts (_Alternative) of all pattern alternatives
    word_keys: dict               # English: rarest required word -> pattern alternatives needing it
    word_key_set: frozenset       # its keys, for one set intersection per text
    always: tuple                 # English: pattern alternatives without a required word
    gates: tuple                  # English: per pattern alternative, further word-key sets to meet
    parts_of: tuple               # English: per pattern alternative, (parts without a first-word key,
                                  # first-word key -> parts, the keys)
    prefilter: object             # prefilter.Prefilter over the pattern alternatives, or None
    all_parts_of: tuple           # English: per pattern alternative, all its parts
    searches: tuple               # Chinese: per pattern alternative, (tactic, its _Lazy regex, anchored)
    bucket_of: dict               # Chinese: first characters -> {tactic: its _Lazy regex}
    by_prefix: dict               # Chinese: first one to three characters -> one regex per tactic
    starts: re.Pattern | None     # Chinese: the characters a match can start with
    unanchored: tuple             # Chinese: (tactic, _Lazy regex) of alternatives without a literal start
    block_before: dict            # tactic -> pattern that, found before a match in its clause, drops it
    require: re.Pattern | None    # threat-frame cue that must precede matches of `require_tactics`
    require_exempt: re.Pattern | None  # matches starting with this need no frame ("养老金被划走")
    require_tactics: frozenset
    context: re.Pattern | None    # document-level cue that a debt is being collected
    anti_context: re.Pattern | None  # document-level cue of a sales/marketing complaint
    context_tactics: frozenset
    require_window: int
    last_boundary: re.Pattern     # ".*(?:clause boundary)": its match ends at the last boundary
    cues: re.Pattern
    window: int
    first_person: re.Pattern
    first_person_exempt: re.Pattern | None  # a passive match ("被冻结", "will be sued"): the complainant is not the actor
    frame: re.Pattern | None      # hearsay / worry / "nobody said" frames: void a match later in the sentence
    frame_window: int
    report: re.Pattern | None     # "my friend told me ...": voids a later match unless the match or the
    about_me: re.Pattern | None   # rest of its sentence is about the complainant ("... asking for me")
    complied: re.Pattern | None   # "... and they did": the request was honoured (complied_tactics only)
    complied_tactics: frozenset
    first_person_tactics: frozenset


# Normalization turns full-width punctuation into ASCII, so patterns written with Chinese punctuation
# ("[^，。！？]") are rewritten to the half-width forms the normalized text actually contains.
_PUNCT = str.maketrans({"，": ",", "！": "!", "？": "\\?", "；": ";", "：": ":", "（": "\\(", "）": "\\)"})


def _compile(pattern: str) -> re.Pattern:
    return re.compile(_expand(pattern).translate(_PUNCT))


_MACRO = re.compile(r"<<([A-Z][A-Z0-9_]*)>>")
_MACRO_DEPTH = 4


def _expand(pattern: str) -> str:
    """Replace every <<NAME>> by its macro, macros inside macros too (a few levels; deeper means a cycle)."""
    macros = taxonomy().get("macros", {})
    for _ in range(_MACRO_DEPTH):
        expanded = _MACRO.sub(lambda m: f"(?:{macros[m.group(1)]})", pattern)
        if expanded == pattern:
            return expanded
        pattern = expanded
    raise ValueError(f"macros nested more than {_MACRO_DEPTH} deep (a cycle?): {pattern[:80]}")


def _prepare(pattern: str, lang: str) -> str:
    pattern = _expand(pattern).translate(_PUNCT)
    if lang == "en":
        # Older CFPB narratives are tokenized "do n't", "wo n't": let every "n't" take an optional space.
        pattern = pattern.replace("n't", "\\s?n't")
    return pattern


# Function words and the words of nearly every collection complaint: never a good key.
_COMMON = frozenset("""a about after all an and any are as at be been but by can co company could day did
do don e for from get got had has have he her him his i if in is it just me my no not now of on or our out
over said she so that the their them then there they this time to told up us was we were what when which
who will with would you your call called calling calls contact contacted debt phone number""".split())  # noqa: SIM905


def _word_cost(keys: frozenset) -> int:
    """A rough count of the texts a group of word keys occurs in (lower = a sharper filter): common
    words never make a good key, and longer words are rarer than shorter ones. Only speed depends on
    it, never a label."""
    if not keys.isdisjoint(_COMMON):
        return 10**6 + len(keys)
    return sum(40 if k == _DIGIT_KEY else max(1, 14 - len(k)) for k in keys)


def _en_keys(prefixes: set[str]) -> tuple[frozenset, frozenset, frozenset] | None:
    """(whole words, four-character word starts, shorter word starts) one of which the word at a match
    position is or begins with; None when some prefix is not a word start at all."""
    exact, short, tiny = set(), set(), set()
    for p in prefixes:
        n = 0
        while n < len(p) and p[n] in _KEYCHARS:
            n += 1
        word = p[:n]
        if not word:
            return None
        if n < len(p):
            exact.add(word)               # a separator follows: the whole word is known
        elif n >= _KEY_LEN:
            short.add(word[:_KEY_LEN])    # the word goes on, but starts with these characters
        else:
            tiny.add(word)                # too short to look up
    return frozenset(exact), frozenset(short), frozenset(tiny)


def _split_leading(alt: str) -> list[str]:
    """`\\b(?:a|b)rest` -> [`\\ba rest`, `\\bb rest`]: parts that each start with a literal word, so `re`
    finds their candidate starts with a fast literal scan. Every match of the alternative is a match of
    a part at the same start (and the longest end per start is kept)."""
    head = "\\b" if alt.startswith("\\b") else ""
    body = alt[len(head):]
    if not body.startswith("(?:"):
        return [alt]
    close = next((j for j, ch, depth in _structure(body) if ch == ")" and depth == 0), -1)
    rest = body[close + 1:]
    choices = _split_top(body[3:close])
    if rest.startswith("?") and not rest.startswith("??") and rest[1:2] not in ("+",):
        # `(?:a|b)?rest`: a, b or nothing before rest. Without the split `re` has no first character
        # to skip ahead to and tries the pattern at every position.
        rest = rest[1:]
        return [part for a in choices + [""] for part in _split_leading(head + a + rest)]
    if close < 0 or rest[:1] in ("?", "*", "+", "{"):
        return [alt]
    return [part for a in choices for part in _split_leading(head + a + rest)]


def _digit_start(part: str) -> str:
    """For a part whose leading \\b was left out: `\\d+...` -> `\\d(?<![\\w']\\d)\\d*...`. `re` still skips
    ahead to digits, but rejects a position inside a number at once instead of running the rest of the
    pattern there (such a start fails the \\b check anyway)."""
    if part.startswith("\\d+"):
        return "\\d(?<![\\w']\\d)\\d*" + part[3:]
    if part.startswith("\\d") and not part.startswith(("\\d*", "\\d?", "\\d{")):
        return "\\d(?<![\\w']\\d)" + part[2:]
    return part


def _en_gate(parsed) -> tuple[frozenset, ...]:
    """Key sets, each of which must meet the text's words for the alternative to match (rarest first)."""
    groups = {e | s for _, e, s in _word_groups(parsed)}
    return tuple(sorted(groups, key=lambda g: (_word_cost(g), sorted(g))))


# An innermost group: no parentheses inside (escapes and character classes allowed).
_INNER_GROUP = re.compile(r"\(\?:((?:[^()\\\[]|\\.|\[(?:[^\]\\]|\\.)*\])*)\)")
_META = frozenset("\\()[]|?*+{}.^$")


def _trie(words) -> str:
    """A regex for exactly these literal words, written as a character trie: `re` tries one branch per
    distinct next character instead of every word in turn."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            body = (body if len(branches) > 1 else f"(?:{body})") + "?"
        return body

    return emit(root)


@cache   # the same Chinese alternative is rewritten for every prefix bucket it falls in
def _tries(source: str) -> str:
    """Rewrite the plain words (and words with an optional last letter, "parents?") of each innermost
    group of six or more, (?:mother|mom|mum|...), as a character trie; other alternatives of the group
    stay as they are. The set of strings each group matches is unchanged, so whether a pattern matches
    at a position is unchanged too (only which of several possible ends `re` reports first may differ)."""
    def rewrite(m: re.Match) -> str:
        words, others = [], []
        for alt in _split_top(m.group(1)):
            if not _META.intersection(alt):
                words.append(alt)
            elif alt.endswith("?") and len(alt) > 2 and not _META.intersection(alt[:-1]):
                words += [alt[:-2], alt[:-1]]
            else:
                others.append(alt)
        if len(words) < 6 or "" in words:
            return m.group(0)
        return "(?:" + "|".join([_trie(words)] + others) + ")"

    return _INNER_GROUP.sub(rewrite, source)


def _bucket(items: list[tuple[str, str]]) -> tuple:
    """Chinese: one regex per tactic for the alternatives that may start at a given prefix."""
    by_tactic: dict[str, list[str]] = {}
    for tactic, source in items:
        if source not in by_tactic.setdefault(tactic, []):
            by_tactic[tactic].append(source)
    return tuple((t, _Lazy("|".join(f"(?:{_tries(a)})" for a in alts))) for t, alts in by_tactic.items())


def _english_alternatives(data: dict):
    """English: (parts, key -> pattern alternatives, alternatives without a key, per alternative its
    gate (key sets, rarest first) and its parts with their first-word keys)."""
    parts_all: list[_Alternative] = []
    parent_keys: dict[str, list[int]] = {}
    always: list[int] = []
    gates: list[tuple] = []
    parts_of: list[tuple] = []
    sources: list[str] = []
    for t in data["tactic"]:
        for pattern in t.get("patterns_en", []):
            for alt in _split_top(_prepare(pattern, "en")):
                parent = len(gates)
                sources.append(alt)
                gate = _en_gate(_sre_parse.parse(alt))
                gates.append(gate[1:])
                if gate:
                    for k in gate[0]:
                        parent_keys.setdefault(k, []).append(parent)
                else:
                    always.append(parent)
                keyless, by_key = [], {}
                for part in _split_leading(alt):
                    prefixes, _ = _prefixes(_sre_parse.parse(part))
                    boundary = (part.startswith("\\b") and bool(prefixes)
                                and all(p[0].isalnum() for p in prefixes))
                    keys = _en_keys(prefixes) if prefixes else None
                    if keys is None or keys[2]:
                        keyless.append(len(parts_all))
                    else:
                        for k in keys[0] | keys[1]:
                            by_key.setdefault(k, []).append(len(parts_all))
                    source = _tries(_digit_start(part[2:]) if boundary else part)
                    parts_all.append(_Alternative(t["id"], _Lazy(source), boundary, parent))
                parts_of.append((tuple(keyless), {k: tuple(v) for k, v in by_key.items()}, frozenset(by_key)))
    return (tuple(parts_all), {k: tuple(v) for k, v in parent_keys.items()}, tuple(always), tuple(gates),
            tuple(parts_of), tuple(sources))


def _chinese_buckets(data: dict) -> tuple:
    """(first characters -> one regex per tactic, the candidate starts, the alternatives without a
    literal start, and per alternative its source and (tactic, search, anchored), for the prefilter)."""
    raw: dict[str, list[tuple[str, str]]] = {}
    unanchored: list[tuple[str, object]] = []
    sources: list[str] = []
    searches: list[tuple] = []
    for t in data["tactic"]:
        for pattern in t.get("patterns_zh", []):
            for alt in _split_top(_prepare(pattern, "zh")):
                prefixes, _ = _prefixes(_sre_parse.parse(alt), size=3)
                cut = {p.split(_SPACE, 1)[0] for p in prefixes or ()}
                search = _Lazy(_tries(alt))
                sources.append(alt)
                searches.append((t["id"], search, bool(cut) and "" not in cut))
                if not cut or "" in cut:
                    unanchored.append((t["id"], search))  # searched in full
                    continue
                for prefix in cut:
                    raw.setdefault(prefix, []).append((t["id"], alt))
    # A key also carries the alternatives of its shorter prefixes, so one lookup per position suffices
    # whenever the longest key is present (see _candidates).
    by_prefix = {key: _bucket([item for n in range(1, len(key) + 1) for item in raw.get(key[:n], [])])
                 for key in raw}
    # Candidate starts: a character with a one-character key, or a first character followed by some
    # second character of a longer key. (Two character classes: far cheaper in `re` than a trie.)
    def chars(cs) -> str:
        return "[" + "".join(re.escape(c) for c in sorted(cs)) + "]"

    single = {k for k in by_prefix if len(k) == 1}
    longer = {k[0] for k in by_prefix if len(k) > 1} - single
    seconds = {k[1] for k in by_prefix if len(k) > 1}
    starts = re.compile("|".join(([chars(single)] if single else []) +
                                 ([f"{chars(longer)}(?={chars(seconds)})"] if longer else []))) if by_prefix else None
    return by_prefix, starts, tuple(unanchored), tuple(sources), tuple(searches)


def _parts_by_parent(parts: tuple, parents: int) -> tuple:
    by_parent: list[list[int]] = [[] for _ in range(parents)]
    for ident, part in enumerate(parts):
        by_parent[part.parent].append(ident)
    return tuple(map(tuple, by_parent))


# Off only to compare outputs with and without it (tests) and to time both (bench).
_use_prefilter = True


def use_prefilter(enabled: bool) -> None:
    """Match with the Hyperscan prefilter (the default) or with the word gates alone; same output."""
    global _use_prefilter
    _use_prefilter = enabled
    _matcher.cache_clear()


def _optional(neg: dict, key: str) -> re.Pattern | None:
    """A negation setting some languages leave out, compiled, or None."""
    return _compile(neg[key]) if neg.get(key) else None


@cache
def _matcher(lang: str) -> _Matcher:
    data = taxonomy()
    neg = data["negation"]
    block = {t["id"]: _compile(t[f"block_before_{lang}"]) for t in data["tactic"] if t.get(f"block_before_{lang}")}
    if lang == "en":
        alternatives, word_keys, always, gates, parts_of, sources = _english_alternatives(data)
        by_prefix, starts, unanchored, searches = {}, None, (), ()
    else:
        alternatives, word_keys, always, gates, parts_of = (), {}, (), (), ()
        by_prefix, starts, unanchored, sources, searches = _chinese_buckets(data)
    return _Matcher(
        alternatives=alternatives,
        word_keys=word_keys,
        word_key_set=frozenset(word_keys),
        always=always,
        gates=gates,
        parts_of=parts_of,
        prefilter=prefilter.load(list(sources), unicode=lang != "en") if _use_prefilter else None,
        all_parts_of=_parts_by_parent(alternatives, len(sources)) if lang == "en" else (),
        searches=searches,
        bucket_of={key: dict(bucket) for key, bucket in by_prefix.items()},
        by_prefix=by_prefix,
        starts=starts,
        unanchored=unanchored,
        block_before=block,
        require=_optional(neg, f"require_{lang}"),
        require_exempt=_optional(neg, f"require_exempt_{lang}"),
        require_tactics=frozenset(neg.get(f"require_tactics_{lang}", [])),
        context=_optional(neg, f"context_{lang}"),
        anti_context=_optional(neg, f"anti_context_{lang}"),
        context_tactics=frozenset(neg.get(f"context_tactics_{lang}", [])),
        require_window=int(neg.get("require_window", 24)),
        last_boundary=re.compile(r"(?s:.*)(?:" + _expand(neg[f"boundary_{lang}"]).translate(_PUNCT) + ")"),
        cues=_compile(neg[f"cues_{lang}"]),
        window=int(neg[f"window_{lang}"]),
        first_person=_compile(neg[f"first_person_{lang}"]),
        first_person_exempt=_optional(neg, f"first_person_exempt_{lang}"),
        frame=_optional(neg, f"frame_{lang}"),
        frame_window=int(neg.get("frame_window", 160)),
        report=_optional(neg, f"report_frame_{lang}"),
        about_me=_optional(neg, f"about_me_{lang}"),
        complied=(_compile(r"[^.;!?]{0,160}?(?:[.;!?]\s*[^.;!?]{0,40}?)?(?:" + neg[f"complied_{lang}"] + ")")
                  if neg.get(f"complied_{lang}") else None),
        complied_tactics=frozenset(neg.get("complied_tactics", [])),
        first_person_tactics=frozenset(neg.get("first_person_tactics", [])),
    )


# English words for the key lookup: every ASCII character that cannot be inside a word becomes a space.
_GATE = str.maketrans({chr(c): " " for c in range(128) if chr(c) not in _KEYCHARS})
_WORDS = re.compile(r"[a-z0-9]+")
_DIGIT = re.compile(r"[0-9]")


def _en_keys_of(norm: str) -> set[str]:
    """The text's words and the first four characters of each (one set: a four-letter key then also
    matches longer words that start with it, which only makes the filter a little looser)."""
    words = set(norm.translate(_GATE).split() if norm.isascii() else _WORDS.findall(norm))
    words.update([w[:_KEY_LEN] for w in words if len(w) > _KEY_LEN])
    if _DIGIT.search(norm):
        words.add(_DIGIT_KEY)
    return words


def _record(hits: dict, i: int, tactic: str, end: int) -> None:
    at = hits.setdefault(i, {})
    if at.get(tactic, 0) < end:
        at[tactic] = end


def _candidates(norm: str, m: _Matcher, lang: str) -> dict[int, dict[str, int]]:
    """start -> {tactic: longest end} for every alternative that matches there. English matches start
    at word starts only (the character before is not a letter, digit or apostrophe)."""
    hits: dict[int, dict[str, int]] = {}
    flagged = m.prefilter.flagged(norm) if m.prefilter is not None else None
    if lang != "en":
        if flagged is not None:
            return _chinese_flagged(norm, m, flagged, hits)
        get = m.by_prefix.get
        for s in m.starts.finditer(norm) if m.starts else ():
            i = s.start()
            key = norm[i:i + 3]
            for tactic, regex in get(key) or get(key[:2]) or get(key[:1]) or ():
                if (found := regex.get().match(norm, i)) and found.end() > i:
                    _record(hits, i, tactic, found.end())
        for tactic, regex in m.unanchored:
            search, pos = regex.get().search, 0
            while (found := search(norm, pos)) is not None:
                pos = found.start() + 1
                if found.end() > found.start():
                    _record(hits, found.start(), tactic, found.end())
        return hits
    alternatives = m.alternatives
    if flagged is not None:
        # One automaton pass named the pattern alternatives that can match: search just their parts.
        for parent in flagged:
            for ident in m.all_parts_of[parent]:
                _search_part(norm, alternatives[ident], hits)
        return hits
    doc = _en_keys_of(norm)
    live = set(m.always)
    keys = m.word_keys
    for k in doc & m.word_key_set:
        live.update(keys[k])
    disjoint = doc.isdisjoint
    for parent in live:
        if any(map(disjoint, m.gates[parent])):
            continue
        keyless, by_key, keyset = m.parts_of[parent]
        todo = set(keyless)
        for k in keyset.intersection(doc):
            todo.update(by_key[k])
        for ident in todo:
            _search_part(norm, alternatives[ident], hits)
    return hits


def _chinese_flagged(norm: str, m: _Matcher, flagged: set[int], hits: dict) -> dict:
    """Chinese, with the prefilter: only the alternatives it flagged are searched. Where one of them
    starts a match, the tactic's regex for that position is run exactly as `_candidates` runs it at
    every candidate start, so the result (ends included) is the same as without the prefilter."""
    get, tried = m.bucket_of.get, set()
    for ident in flagged:
        tactic, regex, anchored = m.searches[ident]
        search, pos = regex.get().search, 0
        while (found := search(norm, pos)) is not None:
            i = found.start()
            pos = i + 1
            if not anchored:
                if found.end() > i:
                    _record(hits, i, tactic, found.end())
            elif (i, tactic) not in tried:
                tried.add((i, tactic))
                key = norm[i:i + 3]
                regex = (get(key) or get(key[:2]) or get(key[:1]))[tactic]
                if (at := regex.get().match(norm, i)) and at.end() > i:
                    _record(hits, i, tactic, at.end())
    return hits


def _search_part(norm: str, alt: _Alternative, hits: dict) -> None:
    search, pos = alt.regex.get().search, 0
    while (found := search(norm, pos)) is not None:
        i, end = found.span()
        pos = i + 1
        if end <= i:
            continue
        if i:
            before = norm[i - 1]
            if before in _WORD or (alt.boundary and (before.isalnum() or before == "_")):
                continue
        _record(hits, i, alt.tactic, end)


def _clause_before(norm: str, start: int, m: _Matcher) -> str:
    """Text before a match inside the same clause, capped at the negation window."""
    window = norm[max(0, start - m.window):start]
    # One match of ".*(?:boundary)": the greedy .* backs off from the end to the last boundary.
    last = m.last_boundary.match(window)
    return window[last.end():] if last else window


_SENTENCE_END = re.compile(r"[。!?！？\n]")
_FRAME_SENTENCE_END = re.compile(r"[.!?;\n。！？；]")


def _sentence_before(norm: str, start: int, window: int, ends: re.Pattern = _SENTENCE_END) -> str:
    text = norm[max(0, start - window):start]
    cut = 0
    for b in ends.finditer(text):
        cut = b.end()
    return text[cut:]


def _sentence_end(norm: str, end: int, window: int) -> int:
    """Where the sentence that goes on at `end` stops, at most `window` characters on."""
    stop = _FRAME_SENTENCE_END.search(norm, end, end + window)
    return stop.start() if stop else min(len(norm), end + window)


_ORDER = {t: i for i, t in enumerate(TACTIC_IDS)}


def _scan(norm: str, text: str, lang: str, found: list[Evidence]) -> None:
    m = _matcher(lang)
    hits = _candidates(norm, m, lang)
    if not hits:
        return
    last_end: dict[str, int] = {}
    sales = hits and m.anti_context and m.anti_context.search(norm) and not m.context.search(norm)
    skip = m.context_tactics if sales else frozenset()
    for start in sorted(hits):
        # Tactics whose previous span still covers this start, or with no debt in sight, are skipped
        # before any of the clause checks below is paid for.
        at = [(t, end) for t, end in hits[start].items() if last_end.get(t, -1) <= start and t not in skip]
        if not at:
            continue
        before = _clause_before(norm, start, m)
        if before and m.cues.search(before):
            continue  # negated or a quoted rule: "严禁威胁", "they never threatened me"
        sentence = _sentence_before(norm, start, m.frame_window, _FRAME_SENTENCE_END)
        if m.frame and m.frame.search(sentence):
            continue  # hearsay or a fear, not an event: "I'm nervous they will call my boss"
        reported = m.report is not None and m.report.search(sentence) is not None
        first_person = None
        for tactic, end in (sorted(at, key=lambda kv: _ORDER[kv[0]]) if len(at) > 1 else at):
            if reported and not (m.about_me and m.about_me.search(norm, start, _sentence_end(norm, end, m.frame_window))):
                continue  # what happened to the friend ("... told her they'd have her arrested"), not to me
            if tactic in m.first_person_tactics:
                if first_person is None:
                    # Checked on the raw window: the subject pronoun itself is a clause boundary.
                    first_person = (m.first_person.search(norm[max(0, start - m.window):start]) is not None
                                    and not (m.first_person_exempt and m.first_person_exempt.match(norm, start)))
                if first_person:
                    continue  # the complainant is the actor: "我要起诉他们", "I called my mother"
            if tactic in m.complied_tactics and m.complied and m.complied.match(norm, start):
                continue  # the request was honoured: "I asked them to stop and they did"
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
