"""The patterns must not be tuned by copying evaluation sentences into them (issue 4).

Every literal run in a pattern (the words between groups, alternations and repeats) that is four or more
English words or six or more Chinese characters long must not appear in any text of the independent set
(tests/data/independent_tactics.jsonl), unless it is a stock phrase listed below. The check is coarse on
purpose: a copied sentence leaves a long literal run, while patterns written for a family of phrasings
are broken up by alternations and optional words.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse

from complaints import evaluate_tactics as ev
from complaints import tactics

# Stock phrases and terms of art: they occur in many complaints and mean the same in all of them.
STOCK = {
    "get in touch with", "all the way to", "times in a row", "turned out to be", "across the street from",
    "high court enforcement officer", "in front of your", "middle of the night", "have been instructed to",
    "is going to be", "a loan to pay", "in the name of", "applied for a loan", "to be picked up",
    "trouble with the law", "am not going to", "keep an eye on", "pay you a visit", "was not going to",
    "we are going to", "no statute of limitation", "有多少扣多少", "拆东墙补西墙", "欺骗手段取得",
}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[a-z0-9']+")


def _is_space(op, av) -> bool:
    """\\s, or a repeat of it (\\s+, \\s*)."""
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and len(av[2]) == 1:
        op, av = av[2][0]
    return op is sre.IN and av[:1] == [(sre.CATEGORY, sre.CATEGORY_SPACE)]


def literal_runs(parsed, out: list[str]) -> list[str]:
    """The literal stretches of a parsed pattern; a whitespace class (\\s, \\s+) counts as one space."""
    run: list[str] = []

    def flush():
        text = " ".join("".join(run).split())
        if text:
            out.append(text)
        run.clear()

    for op, av in parsed:
        if op is sre.LITERAL:
            run.append(chr(av))
        elif _is_space(op, av):
            run.append(" ")
        elif op is sre.AT:
            continue
        elif op is sre.SUBPATTERN:
            flush()
            literal_runs(av[3], out)
        elif op is sre.BRANCH:
            flush()
            for branch in av[1]:
                literal_runs(branch, out)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            flush()
            literal_runs(av[2], out)
        else:
            flush()
    flush()
    return out


def long_literals() -> set[str]:
    tax = tactics.taxonomy()
    patterns = [p for t in tax["tactic"] for key in ("patterns_zh", "patterns_en") for p in t.get(key, [])]
    patterns += [v for v in tax["negation"].values() if isinstance(v, str)]
    found = set()
    for pattern in patterns:
        for run in literal_runs(sre_parse.parse(tactics._expand(pattern)), []):
            cjk = len(_CJK.findall(run))
            if cjk >= 6 or (cjk == 0 and len(_WORD.findall(run)) >= 4):
                found.add(run)
    return found


def test_literal_runs_are_found_across_groups_and_spaces():
    parsed = sre_parse.parse(r"\bthey\s+said\s+(?:you|u)\s+will\s+be\s+arrested\b|说要抓你坐牢去")
    assert literal_runs(parsed, []) == ["they said", "you", "u", "will be arrested", "说要抓你坐牢去"]


def test_no_pattern_holds_a_long_phrase_of_the_independent_set():
    texts = [" ".join(tactics.normalize(r["text"]).split()) for r in ev.load_gold(ev.INDEPENDENT_FILE)]
    copied = []
    for run in sorted(long_literals() - STOCK):
        # no word boundaries: the parser moves the common start of an alternation ("around|about") into
        # the run before it, so a run may end inside a word
        if any(run in text for text in texts):
            copied.append(run)
    assert copied == [], "phrases of evaluation texts in the patterns (write for the family of phrasings)"
