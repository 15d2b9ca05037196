"""Narratives, titles and fake personal data for the demo corpus (complaints/demo.py).

Templates live in data/demo_templates.toml. They are compiled once into lists of parts so that a
row costs a handful of random draws and one join: a part is a literal str, a tuple of choices
(a {slot}) or a one-element list naming a per-row value ({lender}, {phone}, ...). Traditional
Chinese variants are converted from the Simplified templates with OpenCC at load time.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache

from complaints import DATA_DIR

TEMPLATES_FILE = DATA_DIR / "demo_templates.toml"
MAX_NARRATIVE = 600
_SLOT = re.compile(r"\{(\w+)\}")
# Per-row values; everything else in braces is a slot from [<lang>.slots].
DYNAMIC = ("lender", "phone", "id", "name", "email", "qq", "ssn")

# Fake personal data. Area codes are real-format prefixes; the numbers are random.
_ID_AREAS = ("110101", "310104", "440305", "330106", "510107", "420102", "320102", "370202", "610113",
             "500103", "430104", "350203", "410105", "210102", "130102")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ZH_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_ZH_GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
             "秀英", "霞", "平", "刚", "桂英", "建华", "晓东", "雨欣", "子涵", "浩然", "思远", "梦瑶", "文博")
_EN_FIRST = ("James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Maria",
             "William", "Susan", "Carlos", "Aisha", "Kevin", "Tanya", "Luis", "Denise", "Brian", "Keisha")
_EN_LAST = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
            "Martinez", "Walsh", "Carter", "Nguyen", "Patel", "Robinson", "Lewis", "Young", "Hill")
_US_AREAS = (206, 212, 213, 214, 303, 305, 312, 404, 407, 412, 415, 469, 480, 503, 512, 602, 614, 617, 702,
             704, 713, 718, 757, 786, 813, 832, 901, 916, 937, 972)
# OpenCC turns these surnames into the wrong character (余 -> 餘, 范 -> 範, 姜 -> 薑): surnames keep them.
_SURNAME_KEEP = frozenset("余范姜")
_EMAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example.com")
_PHONE_FORMATS = ("{a}{b}{c}", "{a} {b} {c}", "{a}-{b}-{c}", "+86 {a}{b}{c}", "{a}{b}{c}")


def id_number(rnd) -> str:
    """An 18-digit 居民身份证 number with a valid GB 11643 check digit (random, so fake)."""
    year = 1965 + int(rnd() * 38)
    body = (f"{_ID_AREAS[int(rnd() * len(_ID_AREAS))]}{year}{1 + int(rnd() * 12):02d}"
            f"{1 + int(rnd() * 28):02d}{int(rnd() * 1000):03d}")
    total = sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def zh_pii(rnd, trad: bool) -> dict:
    a = "1" + "3456789"[int(rnd() * 7)] + str(int(rnd() * 10))
    phone = _PHONE_FORMATS[int(rnd() * 5)].format(a=a, b=f"{int(rnd() * 10000):04d}", c=f"{int(rnd() * 10000):04d}")
    surname = _ZH_SURNAMES[int(rnd() * len(_ZH_SURNAMES))]
    given = _ZH_GIVEN[int(rnd() * len(_ZH_GIVEN))]
    if trad:
        surname = surname if surname in _SURNAME_KEEP else _s2t(surname)
        given = _s2t(given)
    name = surname + given
    qq = str(10000 + int(rnd() * 3_000_000_000))
    email = f"{'abcdefghijklmnopqrstuvwxyz'[int(rnd() * 26)]}{qq[-6:]}@{_EMAIL_DOMAINS[int(rnd() * 4)]}"
    return {"phone": phone, "id": id_number(rnd), "name": name, "qq": qq, "email": email}


def en_pii(rnd) -> dict:
    first = _EN_FIRST[int(rnd() * len(_EN_FIRST))]
    last = _EN_LAST[int(rnd() * len(_EN_LAST))]
    area = _US_AREAS[int(rnd() * len(_US_AREAS))]   # geographic codes: toll-free numbers are companies
    # 555-01xx numbers are reserved for fiction; a few plain 7-digit numbers keep the regexes honest.
    line = f"555-01{int(rnd() * 100):02d}" if rnd() < 0.7 else f"{200 + int(rnd() * 800)}-{int(rnd() * 10000):04d}"
    phone = (f"({area}) {line}" if rnd() < 0.5 else f"{area}-{line}")
    email = f"{first.lower()}.{last.lower()}{int(rnd() * 100)}@{_EMAIL_DOMAINS[int(rnd() * 4)]}"
    ssn = f"{100 + int(rnd() * 560):03d}-{10 + int(rnd() * 89):02d}-{1000 + int(rnd() * 9000):04d}"
    return {"phone": phone, "name": f"{first} {last}", "email": email, "ssn": ssn}


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("s2t")


def _s2t(text: str) -> str:
    return _converter().convert(text)


def compile_template(text: str, slots: dict[str, tuple[str, ...]]) -> list:
    parts: list = []
    pos = 0
    for m in _SLOT.finditer(text):
        if m.start() > pos:
            parts.append(text[pos:m.start()])
        name = m.group(1)
        if name in DYNAMIC:
            parts.append([name])
        elif name in slots:
            parts.append(slots[name])
        else:
            raise ValueError(f"demo template {text!r}: unknown slot {{{name}}}")
        pos = m.end()
    if pos < len(text):
        parts.append(text[pos:])
    return parts


def fill(parts: list, rnd, values: dict) -> str:
    out = []
    for p in parts:
        cls = p.__class__
        if cls is str:
            out.append(p)
        elif cls is tuple:
            out.append(p[int(rnd() * len(p))])
        else:
            out.append(values[p[0]])
    return "".join(out)


def _convert_parts(parts: list) -> list:
    """Traditional-script copy of compiled parts (per-row values are converted by the caller)."""
    out = []
    for p in parts:
        if p.__class__ is str:
            out.append(_s2t(p))
        elif p.__class__ is tuple:
            out.append(tuple(_s2t(x) for x in p))
        else:
            out.append(p)
    return out


class Language:
    """Compiled templates of one language and script."""

    def __init__(self, raw: dict, traditional: bool = False):
        slots = {k: tuple(v) for k, v in raw["slots"].items()}

        def comp(items):
            compiled = [compile_template(t, slots) for t in items]
            return [_convert_parts(c) for c in compiled] if traditional else compiled

        self.openings = comp(raw["openings"])
        self.closings = comp(raw["closings"])
        self.negations = [(tactic, c) for (tactic, _), c in
                          zip(raw["negations"], comp([text for _, text in raw["negations"]]), strict=True)]
        self.pii = comp(raw["pii"])
        self.none_bodies = comp(raw["none_bodies"])
        self.tactics = {t: comp(v) for t, v in raw["tactics"].items()}
        self.titles = {t: comp(v) for t, v in raw.get("titles", {}).items()}
        self.issues = {t: tuple(v) for t, v in raw.get("issues", {}).items()}
        self.demands = comp(raw.get("demands", []))
        self.demand_pii = comp(raw.get("demand_pii", []))


@lru_cache(maxsize=1)
def load_templates() -> dict:
    """{'zh': Language, 'zh-Hant': Language, 'en': Language, 'cfpb': {...}, 'other_products': {...}}."""
    with open(TEMPLATES_FILE, "rb") as fh:
        raw = tomllib.load(fh)
    return {
        "zh": Language(raw["zh"]),
        "zh-Hant": Language(raw["zh"], traditional=True),
        "en": Language(raw["en"]),
        "cfpb": {t: [tuple(p) for p in pairs] for t, pairs in raw["en"]["cfpb"].items()},
        "other_products": {p: [tuple(x) for x in rows] for p, rows in raw["en"]["other_products"].items()},
    }


def pick(items: list, rnd):
    return items[int(rnd() * len(items))]


def compose(lang: Language, rnd, tactics: list[str], values: dict, *, negation: bool, pii: dict | None,
            sep: str) -> str:
    """opening + tactic fragments (or a no-tactic body) + optional negation + optional PII + closing."""
    parts = [fill(pick(lang.openings, rnd), rnd, values)]
    if negation:
        denied, sentence = pick(lang.negations, rnd)
        if denied not in tactics:  # "they never threatened me" next to a threat would contradict it
            parts.append(fill(sentence, rnd, values))
    if tactics:
        for tactic in tactics:
            parts.append(fill(pick(lang.tactics[tactic], rnd), rnd, values))
    else:
        parts.append(fill(pick(lang.none_bodies, rnd), rnd, values))
    if pii is not None:
        parts.append(fill(pick(lang.pii, rnd), rnd, {**values, **pii}))
    parts.append(fill(pick(lang.closings, rnd), rnd, values))
    text = sep.join(parts)
    if len(text) > MAX_NARRATIVE:
        # drop whole fragments rather than cut one (a cut phone number would half-survive scrubbing)
        text = sep.join(parts[:2] + parts[-1:])[:MAX_NARRATIVE]
    return text
