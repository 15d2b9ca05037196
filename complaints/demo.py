"""Built-in demo corpus: a deterministic synthetic store about invented lenders (issue 5).

The demo goes through the normal pipeline: it writes 黑猫-style JSON lines and CFPB-format CSV
files to a temporary folder, in chunks, and loads them with complaints.pipeline.ingest(demo=True),
so the same adapters, anonymizer and classifier run on it as on real data.

Shape (see docs/demo.md): ~60 Chinese and ~40 US invented lenders with heavy-tailed sizes,
2019-01 to --until (that month half-filled), seasonality (after the Spring Festival in CN, a
summer bump in the US), tactic mixes that differ per lender and drift after regulatory dates,
and planted surges and falls (DemoPlan.surges, stored as JSON in meta 'demo_surges') that the
story-leads detector is tested against.

Determinism: plan() draws from numpy's PCG64(seed); rows from random.Random(seed). Same seed,
rows and until give identical files, hence identical stores (content_hash()).
"""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import hashlib
import json
import math
import os
import random
import tempfile
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import accumulate
from pathlib import Path

import numpy as np

from complaints import DATA_DIR, demo_text
from complaints.tactics import TACTIC_IDS

DEMO_LENDERS_FILE = DATA_DIR / "demo_lenders.csv"
DEFAULT_ROWS = 200_000
DEFAULT_SEED = 2019
START = (2019, 1)
CHUNK_ROWS = 100_000          # rows per generated file: bounds memory and temp-file size
CN_SHARE = 0.55
TRADITIONAL_SHARE = 0.15
CN_NARRATIVE_SHARE = 0.97
US_NARRATIVE_SHARE = 0.40
NEGATION_SHARE = 0.15
CN_PII_SHARE = 0.25
US_PII_SHARE = 0.15

CFPB_HEADERS = ("Date received", "Product", "Sub-product", "Issue", "Sub-issue", "Consumer complaint narrative",
                "Company public response", "Company", "State", "ZIP code", "Tags",
                "Consumer consent provided?", "Submitted via", "Date sent to company",
                "Company response to consumer", "Timely response?", "Consumer disputed?", "Complaint ID")

# Approximate Spring Festival (春节) dates; complaints rise in the weeks after it.
SPRING_FESTIVAL = {2019: (2, 5), 2020: (1, 25), 2021: (2, 12), 2022: (2, 1), 2023: (1, 22), 2024: (2, 10),
                   2025: (1, 29), 2026: (2, 17), 2027: (2, 6), 2028: (1, 26), 2029: (2, 13), 2030: (2, 3)}

# Relative tactic frequency by jurisdiction (taxonomy order); lenders draw their own mix around it.
_TACTIC_BASE = {
    "CN": (1.0, 0.3, 0.35, 0.8, 0.6, 0.35, 0.6, 0.25, 0.2, 0.9, 0.35, 0.3, 0.15, 0.4),
    "US": (1.0, 0.5, 0.15, 0.25, 0.08, 0.12, 0.9, 0.12, 0.06, 0.3, 0.15, 0.04, 0.02, 0.6),
}
_NONE_SHARE = {"CN": 0.33, "US": 0.45}   # complaints with no tactic (fees, refunds, service, debt not owed)
_TACTIC_COUNT_CDF = (0.55, 0.85, 1.0)    # 1, 2 or 3 tactics in a complaint that has any

# Volume trend knots (month index from 2019-01, level), interpolated linearly.
_TREND = {
    "CN": ((0, 0.6), (12, 1.0), (18, 1.25), (29, 1.1), (41, 0.95), (53, 1.0), (65, 1.05), (77, 1.0), (95, 0.95)),
    "US": ((0, 0.55), (17, 0.7), (29, 0.85), (41, 1.0), (53, 1.2), (65, 1.45), (77, 1.6), (95, 1.7)),
}

_PROVINCES = (("广东", 12.6), ("山东", 10.2), ("河南", 9.9), ("江苏", 8.5), ("四川", 8.4), ("河北", 7.5),
              ("湖南", 6.6), ("浙江", 6.5), ("安徽", 6.1), ("湖北", 5.8), ("广西", 5.0), ("云南", 4.7),
              ("江西", 4.5), ("辽宁", 4.3), ("福建", 4.2), ("陕西", 4.0), ("贵州", 3.9), ("山西", 3.5),
              ("重庆", 3.2), ("黑龙江", 3.2), ("新疆", 2.6), ("甘肃", 2.5), ("上海", 2.5), ("吉林", 2.4),
              ("内蒙古", 2.4), ("北京", 2.2), ("天津", 1.4), ("海南", 1.0), ("宁夏", 0.7), ("青海", 0.6),
              ("西藏", 0.4))
_STATES = (("CA", 39.0, "900 913 921 945 950"), ("TX", 30.0, "750 770 782 787 799"),
           ("FL", 22.0, "320 327 331 336 349"), ("NY", 19.6, "100 112 117 130 146"),
           ("PA", 13.0, "150 171 191 180"), ("IL", 12.5, "600 606 617 625"), ("OH", 11.8, "430 441 452 458"),
           ("GA", 11.0, "300 303 310 317"), ("NC", 10.8, "270 275 282 287"), ("MI", 10.0, "480 482 495"),
           ("NJ", 9.3, "070 076 085"), ("VA", 8.7, "220 230 240"), ("WA", 7.8, "980 983 992"),
           ("AZ", 7.4, "850 852 857"), ("TN", 7.1, "370 372 381"), ("MA", 7.0, "010 021 024"),
           ("IN", 6.8, "460 462 470"), ("MD", 6.2, "206 210 217"), ("MO", 6.2, "630 641 657"),
           ("CO", 5.9, "800 802 809"), ("WI", 5.9, "530 537 549"), ("MN", 5.7, "550 554 559"),
           ("SC", 5.3, "290 294 296"), ("AL", 5.1, "350 352 366"), ("LA", 4.6, "700 708 712"),
           ("KY", 4.5, "400 402 420"), ("OR", 4.2, "970 972 975"), ("OK", 4.0, "730 731 741"),
           ("CT", 3.6, "060 064 068"), ("NV", 3.2, "889 891 894"), ("MS", 2.9, "386 390 395"),
           ("AR", 3.0, "716 722 727"), ("KS", 2.9, "660 672 676"), ("UT", 3.4, "840 841 844"),
           ("NM", 2.1, "870 871 880"), ("DC", 0.7, "200 200 203"))
_CN_STATUS = (("已完成", 55), ("已回复", 30), ("处理中", 15))
_CFPB_RESPONSE = (("Closed with explanation", 78), ("Closed with non-monetary relief", 13),
                  ("Closed with monetary relief", 6), ("Untimely response", 1), ("Closed", 2))
_CFPB_PUBLIC = (("", 45), ("Company has responded to the consumer and the CFPB and chooses not to provide a "
                           "public response", 35),
                ("Company believes it acted appropriately as authorized by contract or law", 10),
                ("Company can't verify or dispute the facts in the complaint", 5),
                ("Company disputes the facts presented in the complaint", 3),
                ("Company chooses not to provide a public response", 2))
_CFPB_CHANNEL = (("Web", 86), ("Referral", 5), ("Phone", 4), ("Postal mail", 3), ("Web Referral", 1),
                 ("Email", 0.5), ("Fax", 0.5))
_CFPB_TAGS = (("", 82), ("Older American", 11), ("Servicemember", 5), ("Older American, Servicemember", 2))
_CFPB_NO_CONSENT = (("Consent not provided", 50), ("Other", 15), ("", 30), ("Consent withdrawn", 5))
_DC_SUB_PRODUCTS = (("I do not know", 40), ("Other debt", 17), ("Credit card debt", 15), ("Medical debt", 7),
                    ("Auto debt", 3), ("Telecommunications debt", 3), ("Rental debt", 3),
                    ("Payday loan debt", 3), ("Private student loan debt", 1), ("Federal student loan debt", 1))


@dataclass(frozen=True)
class Surge:
    """A planted change: `lender_id`'s complaints (those with `tactic_id`, or all when None) in
    `month` are `factor` times (direction 'up') or 1/`factor` times ('down') what they would be."""

    lender_id: str
    tactic_id: str | None
    month: str              # YYYY-MM
    direction: str          # up | down
    factor: float
    baseline: float = 0.0   # expected monthly count without the surge, at the plan's size

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class DemoLender:
    lender_id: str
    country: str
    kind: str
    names: tuple[str, ...]           # as filed: the main name first, then aliases
    name_zh: str
    name_en: str
    tactic_mix: np.ndarray           # relative weight per tactic (TACTIC_IDS order)
    none_share: float
    dc_share: float = 1.0            # US: share of complaints filed as "Debt collection"


@dataclass
class DemoPlan:
    seed: int
    rows: int
    until: str                        # YYYY-MM, the last (half-filled) month
    months: list[tuple[int, int]]
    lenders: list[DemoLender]
    counts: np.ndarray                # [lender, month] complaints, surges included
    surges: list[Surge] = field(default_factory=list)
    # (lender index, month index) -> (tactic index, extra complaints with that tactic, or
    # keep-probability of that tactic when it falls)
    tactic_up: dict = field(default_factory=dict)
    tactic_down: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return int(self.counts.sum()) + sum(n for _, n in self.tactic_up.values())

    def surges_json(self) -> str:
        return json.dumps([s.as_dict() for s in self.surges], ensure_ascii=False)


# ---------------------------------------------------------------------------------------------
# The plan: who gets how many complaints when


def parse_month(value: str) -> tuple[int, int]:
    """'2026-05' -> (2026, 5); ValueError with a clear message otherwise."""
    try:
        year, month = (int(x) for x in value.split("-"))
        dt.date(year, month, 1)
    except (ValueError, AttributeError):
        raise ValueError(f"bad month {value!r}: expected YYYY-MM") from None
    if (year, month) < (START[0], START[1] + 7):
        raise ValueError(f"--until {value}: must be 2019-08 or later (the demo starts in 2019-01)")
    return year, month


def current_month() -> str:
    return dt.date.today().strftime("%Y-%m")


def _month_list(until: tuple[int, int]) -> list[tuple[int, int]]:
    months, (y, m) = [], START
    while (y, m) <= until:
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def month_key(ym: tuple[int, int]) -> str:
    return f"{ym[0]:04d}-{ym[1]:02d}"


def read_demo_lenders() -> list[dict]:
    with open(DEMO_LENDERS_FILE, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _seasonality(country: str, months: list[tuple[int, int]]) -> np.ndarray:
    out = np.ones(len(months))
    for i, (y, m) in enumerate(months):
        if country == "CN":
            sf_month, sf_day = SPRING_FESTIVAL.get(y, (2, 5))
            # the holiday itself is quiet; complaints pile up in the weeks after it
            if m == sf_month:
                out[i] = 0.8 if sf_day <= 10 else 0.95
            elif m == sf_month + 1:
                out[i] = 1.35
            elif m == sf_month + 2:
                out[i] = 1.12
            elif m == 12:
                out[i] = 0.93
        else:
            out[i] = {1: 0.95, 3: 1.05, 6: 1.12, 7: 1.18, 8: 1.12, 12: 0.9}.get(m, 1.0)
    return out


def _drift(country: str, months: list[tuple[int, int]]) -> np.ndarray:
    """[month, tactic] multipliers: how each tactic's weight moves with regulation and time."""
    d = np.ones((len(months), len(TACTIC_IDS)))
    col = {t: i for i, t in enumerate(TACTIC_IDS)}
    for i, ym in enumerate(months):
        years = (ym[0] - START[0]) + (ym[1] - 1) / 12
        if country == "CN":
            if ym >= (2021, 3):    # 刑法修正案(十一): 催收非法债务罪 in force 2021-03-01
                d[i, col["threat_arrest_criminal"]] = 0.45
                d[i, col["in_person_harassment_detention"]] = 0.7
            if ym >= (2025, 10):   # GB/T 45251—2025 (post-loan collection standard) in force from 2025-10
                d[i, col["third_party_contact"]] = 0.6 if ym == (2025, 10) else 0.35
                d[i, col["public_shaming_exposure"]] = 0.6
            d[i, col["impersonation_authority"]] = 1.0 + 0.08 * years   # slow rise of fake 公检法 calls
        else:
            if ym >= (2021, 12):   # Regulation F in force 2021-11-30: call-frequency presumption
                d[i, col["excessive_contact"]] = 0.6
                d[i, col["contact_after_stop_request"]] = 1.15
            d[i, col["misrepresent_debt_fees"]] = 1.0 + 0.04 * years
    return d


def plan(seed: int = DEFAULT_SEED, rows: int = DEFAULT_ROWS, until: str | None = None) -> DemoPlan:
    """The deterministic shape of a demo corpus: lenders, counts per lender and month, surges."""
    until = until or current_month()
    until_ym = parse_month(until)
    months = _month_list(until_ym)
    n_months = len(months)
    rng = np.random.default_rng(seed)
    raw = read_demo_lenders()
    lenders: list[DemoLender] = []
    for row in raw:
        country = row["country"]
        base = np.array(_TACTIC_BASE[country])
        mix = rng.dirichlet(base / base.sum() * 12) + 1e-4
        none_share = float(np.clip(_NONE_SHARE[country] + rng.normal(0, 0.07), 0.1, 0.6))
        aliases = tuple(a for a in row["aliases"].split("|") if a)
        main = row["name_zh"] if country == "CN" else row["name_en"]
        kind = row["kind"]
        dc_share = {"online_lender": 0.45, "bank": 0.5}.get(kind, 1.0) if country == "US" else 1.0
        lenders.append(DemoLender(row["lender_id"], country, kind, (main, *aliases), row["name_zh"],
                                  row["name_en"], mix, none_share, dc_share))
    n = len(lenders)
    expected = np.zeros((n, n_months))
    month_idx = np.arange(n_months)
    stable = []   # lenders present over the whole period without a fade: candidates for surges
    season = {c: _seasonality(c, months) for c in ("CN", "US")}
    trend = {c: np.interp(month_idx, *zip(*_TREND[c], strict=True)) for c in ("CN", "US")}
    for country in ("CN", "US"):
        idx = [i for i, lender in enumerate(lenders) if lender.country == country]
        order = rng.permutation(len(idx))
        for rank, j in enumerate(order):
            i = idx[j]
            size = (rank + 1) ** -1.05 * rng.lognormal(0, 0.3)
            life = np.ones(n_months)
            roll = rng.random()
            if rank >= 6 and roll < 0.15:       # entered the market later
                start = int(rng.integers(6, max(7, n_months - 18)))
                life = np.clip((month_idx - start + 1) / 4, 0, 1)
            elif rank >= 6 and roll < 0.25:     # faded away (left the market or was shut down)
                fade = int(rng.integers(18, max(19, n_months - 6)))
                life = np.where(month_idx < fade, 1.0, 0.92 ** (month_idx - fade))
            else:
                stable.append((rank, i))
            slope = rng.normal(0, 0.08)
            noise = rng.lognormal(0, 0.08, n_months)
            expected[i] = size * life * np.exp(slope * month_idx / 12) * noise * season[country] * trend[country]
    expected[:, -1] *= 0.5   # the --until month is only half over
    surges, tactic_down = _plant_surges(rng, lenders, months, expected, stable)
    # scale each jurisdiction to its share of rows, then round stochastically (keeps small cells alive)
    for country, share in (("CN", CN_SHARE), ("US", 1 - CN_SHARE)):
        mask = np.array([lender.country == country for lender in lenders])
        expected[mask] *= rows * share / expected[mask].sum()
    counts = np.floor(expected).astype(np.int64)
    counts += (rng.random(expected.shape) < (expected - counts)).astype(np.int64)
    drift = {c: _drift(c, months) for c in ("CN", "US")}
    resolved_up = {}
    resolved_surges = []
    for s in surges:
        li = next(i for i, lender in enumerate(lenders) if lender.lender_id == s.lender_id)
        mi = next(i for i, ym in enumerate(months) if month_key(ym) == s.month)
        lender = lenders[li]
        if s.tactic_id is None:
            base = float(expected[li, mi] / (s.factor if s.direction == "up" else 1 / s.factor))
        else:
            ti = TACTIC_IDS.index(s.tactic_id)
            p = tactic_share(lender, drift[lender.country][mi], ti, seed)
            base = float(expected[li, mi] * p)
            if s.direction == "up":
                resolved_up[(li, mi)] = (ti, int(round(base * (s.factor - 1))))
        resolved_surges.append(Surge(s.lender_id, s.tactic_id, s.month, s.direction, s.factor, round(base, 1)))
    return DemoPlan(seed, rows, month_key(until_ym), months, lenders, counts, resolved_surges,
                    resolved_up, tactic_down)


def tactic_share(lender: DemoLender, drift_row: np.ndarray, ti: int, seed: int, samples: int = 4000) -> float:
    """Share of a lender's complaints that carry tactic ti in a month (Monte Carlo over the sampler)."""
    rnd = random.Random(seed * 7919 + ti).random
    cum = list(accumulate(lender.tactic_mix * drift_row))
    hits = 0
    for _ in range(samples):
        if rnd() < lender.none_share:
            continue
        if ti in _draw_tactics(rnd, cum):
            hits += 1
    return hits / samples


def _plant_surges(rng, lenders, months, expected, stable):
    """At least 8 surges and falls: several in the latest complete month (the month before --until,
    compared with the 6 months before it), the rest earlier in the series. They go to big, steady
    lenders, so that the baseline is well above noise (>= 10 a month at the default size)."""
    latest = len(months) - 2
    stable_ids = {i for _, i in stable}
    used: set[int] = set()
    surges: list[Surge] = []
    tactic_down: dict = {}

    def take(country: str, month: int, tactic: str | None = None, skip: int = 0) -> int:
        # a lender gets at most one latest-month surge and one earlier one (>= 7 months apart)
        window = slice(max(0, month - 6), month + 1)

        def score(i):
            share = 1.0 if tactic is None else lenders[i].tactic_mix[TACTIC_IDS.index(tactic)] / \
                lenders[i].tactic_mix.sum()
            return float(expected[i, window].min()) * share

        pool = sorted((i for i in stable_ids if lenders[i].country == country and i not in used),
                      key=lambda i: (-score(i), i))
        i = pool[min(skip, len(pool) - 1)]
        used.add(i)
        return i

    def take_pair(country: str, month: int, allowed: tuple[str, ...]) -> tuple[int, str]:
        """The unused lender and tactic with the most complaints of that tactic around `month`."""
        best = max(((i, t) for i in stable_ids if lenders[i].country == country and i not in used
                    for t in allowed),
                   key=lambda it: (float(expected[it[0], max(0, month - 6):month + 1].min())
                                   * lenders[it[0]].tactic_mix[TACTIC_IDS.index(it[1])]
                                   / lenders[it[0]].tactic_mix.sum(), -it[0], it[1]))
        used.add(best[0])
        return best

    # tactics whose weight does not move around the latest months (no regulatory drift there)
    steady = {"CN": ("excessive_contact", "abusive_language", "violence_threats_intimidation",
                     "legal_credit_action"),
              "US": ("legal_credit_action", "contact_after_stop_request", "third_party_contact",
                     "abusive_language")}
    last = month_key(months[latest])
    for country, direction in (("CN", "up"), ("US", "up"), ("CN", "down")):
        i, tactic_id = take_pair(country, latest, steady[country])
        surges.append(Surge(lenders[i].lender_id, tactic_id, last, direction, 3.0))
    for country, direction, skip in (("CN", "up", 1), ("US", "up", 1), ("CN", "down", 2), ("US", "down", 2)):
        i = take(country, latest, skip=skip)
        surges.append(Surge(lenders[i].lender_id, None, last, direction, 3.0))
    history = [("CN", None, (2020, 3), "up", 4.0), ("CN", "third_party_contact", (2022, 7), "up", 3.0),
               ("US", None, (2023, 9), "up", 3.0), ("CN", None, (2024, 5), "down", 3.0),
               ("US", "legal_credit_action", (2025, 3), "up", 3.0)]
    used.clear()
    for country, tactic_id, ym, direction, factor in history:
        if ym not in months or months.index(ym) > latest - 7:
            continue    # an early --until: keep the latest-month surges clean of older ones
        i = take(country, months.index(ym), tactic_id)
        surges.append(Surge(lenders[i].lender_id, tactic_id, month_key(ym), direction, factor))
    for s in surges:
        li = next(i for i, lender in enumerate(lenders) if lender.lender_id == s.lender_id)
        mi = months.index(parse_month_any(s.month))
        if s.tactic_id is None:
            expected[li, mi] *= s.factor if s.direction == "up" else 1 / s.factor
        elif s.direction == "down":
            tactic_down[(li, mi)] = (TACTIC_IDS.index(s.tactic_id), 1 / s.factor)
    return surges, tactic_down


def parse_month_any(value: str) -> tuple[int, int]:
    year, month = value.split("-")
    return int(year), int(month)


def _draw_tactics(rnd, cum: list[float]) -> list[int]:
    """1-3 distinct tactic indexes, weighted by the cumulative weights `cum`."""
    u = rnd()
    k = 1 if u < _TACTIC_COUNT_CDF[0] else 2 if u < _TACTIC_COUNT_CDF[1] else 3
    total = cum[-1]
    picked: list[int] = []
    for _ in range(k * 3):
        t = bisect_right(cum, rnd() * total)
        if t >= len(cum):
            t = len(cum) - 1
        if t not in picked:
            picked.append(t)
            if len(picked) == k:
                break
    return picked


# ---------------------------------------------------------------------------------------------
# Rows


def _table(pairs) -> tuple:
    """A lookup table for fast weighted choice: values repeated by weight (1000 entries)."""
    total = sum(w for _, w in pairs)
    out: list = []
    for value, weight in pairs:
        out.extend([value] * max(1, round(1000 * weight / total)))
    out = (out + [pairs[0][0]] * 1000)[:1000]
    return tuple(out)


class _RowMaker:
    def __init__(self, p: DemoPlan):
        self.plan = p
        self.rng = random.Random(p.seed)
        self.tpl = demo_text.load_templates()
        self.provinces = _table(_PROVINCES)
        self.states = _table([((s, tuple(z.split())), w) for s, w, z in _STATES])
        self.cn_status = _table(_CN_STATUS)
        self.responses = _table(_CFPB_RESPONSE)
        self.public = _table(_CFPB_PUBLIC)
        self.channels = _table(_CFPB_CHANNEL)
        self.tags = _table(_CFPB_TAGS)
        self.no_consent = _table(_CFPB_NO_CONSENT)
        self.sub_products = _table(_DC_SUB_PRODUCTS)
        self.trad_names = {lender.lender_id: tuple(demo_text._s2t(x) for x in lender.names)
                           for lender in p.lenders if lender.country == "CN"}
        self.drift = {c: _drift(c, p.months) for c in ("CN", "US")}
        self.cn_seq = 0
        self.us_seq = 0

    def rows(self) -> Iterator[tuple[str, object]]:
        """('tousu', dict) and ('cfpb', tuple) rows, month by month."""
        p = self.plan
        for mi, ym in enumerate(p.months):
            days = _days_in_month(ym) if mi < len(p.months) - 1 else 15
            recent = mi >= len(p.months) - 2
            for li, lender in enumerate(p.lenders):
                n = int(p.counts[li, mi])
                up = p.tactic_up.get((li, mi))
                down = p.tactic_down.get((li, mi))
                if not n and not up:
                    continue
                cum = list(accumulate(lender.tactic_mix * self.drift[lender.country][mi]))
                make = self._cn_row if lender.country == "CN" else self._us_row
                source = "tousu" if lender.country == "CN" else "cfpb"
                for _ in range(n):
                    yield source, make(lender, ym, days, recent, cum, down, None)
                if up:
                    for _ in range(up[1]):
                        yield source, make(lender, ym, days, recent, cum, None, up[0])

    def _tactics(self, lender, cum, down, forced) -> list[str]:
        rnd = self.rng.random
        if forced is not None:
            # only the surging tactic: extra tactics would lift other series and blur the planted lead
            picked = [forced]
        elif rnd() < lender.none_share:
            return []
        else:
            picked = _draw_tactics(rnd, cum)
            if down is not None and down[0] in picked and rnd() > down[1]:
                picked.remove(down[0])
        return [TACTIC_IDS[t] for t in picked]

    def _cn_row(self, lender, ym, days, recent, cum, down, forced) -> dict:
        rnd = self.rng.random
        tactics = self._tactics(lender, cum, down, forced)
        trad = rnd() < TRADITIONAL_SHARE
        lang = self.tpl["zh-Hant" if trad else "zh"]
        names = self.trad_names[lender.lender_id] if trad else lender.names
        values = {"lender": names[0]}
        key = tactics[0] if tactics else "none"
        title = demo_text.fill(demo_text.pick(lang.titles.get(key) or lang.titles["none"], rnd), rnd, values)
        narrative = None
        if rnd() < CN_NARRATIVE_SHARE:
            pii = demo_text.zh_pii(rnd, trad) if rnd() < CN_PII_SHARE else None
            narrative = demo_text.compose(lang, rnd, tactics, values, negation=rnd() < NEGATION_SHARE,
                                          pii=pii, sep="")
        issues = self.tpl["zh"].issues
        issue = demo_text.pick(issues[key], rnd)
        if len(tactics) > 1 and rnd() < 0.5:
            second = demo_text.pick(issues[tactics[1]], rnd)
            if second != issue:
                issue = f"{issue},{second}"
        # 投诉要求 are picked on the platform's form, so they stay in Simplified script
        simplified = self.tpl["zh"]
        demand = demo_text.fill(demo_text.pick(simplified.demands, rnd), rnd, values)
        if rnd() < 0.03:
            demand += "," + demo_text.fill(demo_text.pick(simplified.demand_pii, rnd), rnd,
                                           demo_text.zh_pii(rnd, False))
        day = 1 + int(rnd() * days)
        self.cn_seq += 1
        status = self.cn_status[int(rnd() * 1000)]
        if recent and rnd() < 0.5:
            status = "处理中"
        row = {
            "投诉编号": f"D{self.cn_seq:09d}",
            "投诉对象": lender.names[0] if rnd() < 0.75 else lender.names[int(rnd() * len(lender.names))],
            "投诉问题": issue,
            "投诉要求": demand,
            "投诉进度": status,
            "投诉标题": title,
            "发布时间": f"{ym[0]:04d}-{ym[1]:02d}-{day:02d} {int(rnd() * 24):02d}:{int(rnd() * 60):02d}",
            "地区": self.provinces[int(rnd() * 1000)],
        }
        if narrative is not None:
            row["投诉内容"] = narrative
        if rnd() < 0.92:
            row["涉诉金额"] = f"{round(math.exp(8.6 + 0.9 * self.rng.gauss(0, 1)))}元"
        return row

    def _us_row(self, lender, ym, days, recent, cum, down, forced) -> tuple:
        rnd = self.rng.random
        tactics = self._tactics(lender, cum, down, forced)
        key = tactics[0] if tactics else "none"
        if forced is None and lender.dc_share < 1 and rnd() > lender.dc_share:
            product = "Credit card" if lender.kind == "bank" else \
                "Payday loan, title loan, personal loan, or advance loan"
            sub_product, issue, sub_issue = demo_text.pick(self.tpl["other_products"][product], rnd)
        else:
            product = "Debt collection"
            sub_product = self.sub_products[int(rnd() * 1000)]
            issue, sub_issue = demo_text.pick(self.tpl["cfpb"][key], rnd)
        narrative = ""
        consent = self.no_consent[int(rnd() * 1000)]
        if rnd() < US_NARRATIVE_SHARE:
            consent = "Consent provided"
            name = lender.names[0]
            pii = demo_text.en_pii(rnd) if rnd() < US_PII_SHARE else None
            narrative = demo_text.compose(self.tpl["en"], rnd, tactics, {"lender": name},
                                          negation=rnd() < NEGATION_SHARE, pii=pii, sep="")
        day = 1 + int(rnd() * days)
        received = dt.date(ym[0], ym[1], day)
        sent = received + dt.timedelta(days=int(rnd() * 3))
        state, zips = self.states[int(rnd() * 1000)]
        zip3 = zips[int(rnd() * len(zips))]
        zip_code = f"{zip3}XX" if rnd() < 0.6 else f"{zip3}{int(rnd() * 100):02d}"
        response = "In progress" if recent and rnd() < 0.3 else self.responses[int(rnd() * 1000)]
        timely = "No" if response == "Untimely response" or rnd() < 0.02 else "Yes"
        self.us_seq += 1
        company = lender.names[0] if rnd() < 0.85 else lender.names[int(rnd() * len(lender.names))]
        return (received.isoformat(), product, sub_product, issue, sub_issue, narrative,
                self.public[int(rnd() * 1000)], company, state, zip_code, self.tags[int(rnd() * 1000)],
                consent, self.channels[int(rnd() * 1000)], sent.isoformat(), response, timely, "N/A",
                str(9_000_000 + self.us_seq))


def _days_in_month(ym: tuple[int, int]) -> int:
    y, m = ym
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).day


# ---------------------------------------------------------------------------------------------
# Files


class _ChunkWriter:
    """Rolls over to a new file every `chunk_rows` rows."""

    def __init__(self, folder: Path, stem: str, suffix: str, chunk_rows: int):
        self.folder, self.stem, self.suffix, self.chunk_rows = folder, stem, suffix, chunk_rows
        self.paths: list[Path] = []
        self.fh = None
        self.in_file = 0
        self.total = 0

    def _open(self):
        if self.fh:
            self.fh.close()
        path = self.folder / f"{self.stem}-{len(self.paths) + 1:04d}{self.suffix}"
        self.paths.append(path)
        self.fh = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed on roll-over
        self.in_file = 0
        self.start()

    def start(self):
        pass

    def need(self):
        if self.fh is None or self.in_file >= self.chunk_rows:
            self._open()
        self.in_file += 1
        self.total += 1

    def close(self):
        if self.fh:
            self.fh.close()
            self.fh = None


class _JsonlWriter(_ChunkWriter):
    def write(self, row: dict):
        self.need()
        self.fh.write(json.dumps(row, ensure_ascii=False))
        self.fh.write("\n")


class _CsvWriter(_ChunkWriter):
    def start(self):
        self.csv = csv.writer(self.fh, lineterminator="\n")
        self.csv.writerow(CFPB_HEADERS)

    def write(self, row: tuple):
        self.need()
        self.csv.writerow(row)


def write_files(p: DemoPlan, folder: str | os.PathLike, *, chunk_rows: int = CHUNK_ROWS,
                progress: Callable[[int, int], None] | None = None) -> dict[str, list[Path]]:
    """Write the plan's rows as 黑猫-style JSONL and CFPB-format CSV files; {'tousu': [...], 'cfpb': [...]}."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    writers = {"tousu": _JsonlWriter(folder, "demo-tousu", ".jsonl", chunk_rows),
               "cfpb": _CsvWriter(folder, "demo-cfpb", ".csv", chunk_rows)}
    total = p.total
    done = 0
    try:
        for source, row in _RowMaker(p).rows():
            writers[source].write(row)
            done += 1
            if progress is not None and done % 20_000 == 0:
                progress(done, total)
    finally:
        for w in writers.values():
            w.close()
    if progress is not None:
        progress(done, total)
    return {source: w.paths for source, w in writers.items()}


# ---------------------------------------------------------------------------------------------
# Store


ProgressCallback = Callable[[float, str], None]


def build(store=None, *, rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED, until: str | None = None,
          progress: bool | None = True, progress_callback: ProgressCallback | None = None,
          workdir: str | os.PathLike | None = None, workers: int | None = None) -> DemoPlan:
    """Generate the demo files and load them through the pipeline into a fresh store (atomic publish).

    progress_callback(fraction 0..1, message) reports the phases: generating, loading CN, loading US.
    """
    from complaints import pipeline

    def report(fraction: float, message: str):
        if progress_callback is not None:
            progress_callback(min(1.0, fraction), message)

    from complaints import search
    from complaints import store as store_mod

    p = plan(seed, rows, until)
    target = store_mod.store_path(store)
    target.parent.mkdir(parents=True, exist_ok=True)
    # The two sources load in two pipeline runs; they go into a private file that replaces the
    # target in one rename, so a reader never sees a demo store with only one jurisdiction.
    staging = target.with_name(f"{target.name}.demo-{os.getpid()}")
    report(0.0, f"generating {p.total:,} demo complaints / 生成演示数据")
    try:
        with tempfile.TemporaryDirectory(prefix="demo-", dir=workdir) as tmp:
            files = write_files(p, tmp, progress=lambda done, total: report(
                0.15 * done / max(total, 1), f"generating / 生成 {done:,}/{total:,}"))
            meta = {"demo_seed": p.seed, "demo_rows": p.rows, "demo_until": p.until,
                    "demo_surges": p.surges_json()}
            report(0.15, "loading Chinese complaints / 导入中文投诉")
            pipeline.ingest(files["tousu"], "tousu", store=staging, demo=True, fresh=True, progress=progress,
                            meta=meta, workers=workers)
            report(0.6, "loading US complaints / 导入美国投诉")
            pipeline.ingest(files["cfpb"], "cfpb", store=staging, demo=True, fresh=False, progress=progress,
                            meta=meta, workers=workers)
        with open(target.with_name(target.name + ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)   # the same lock store.writer() holds while it publishes
            os.replace(staging, target)
            search.move_indexes(staging, target)  # the text search index follows its store
    finally:
        for leftover in (staging, staging.with_name(staging.name + ".lock")):
            leftover.unlink(missing_ok=True)
        search.remove_other_indexes(staging, keep_version=None)
    report(1.0, "demo store ready / 演示数据已就绪")
    return p


def holds_real_data(path) -> bool:
    """True when `path` is a published store that is not a demo store (never overwrite it silently)."""
    from complaints import store as store_mod

    path = store_mod.store_path(path)
    if not path.exists():
        return False
    con = store_mod.connect_readonly(path)
    try:
        meta = store_mod.get_meta(con)
        has_rows = con.execute("SELECT count(*) > 0 FROM complaints").fetchone()[0]
    except Exception:   # not a store of ours: leave it alone as well
        return True
    finally:
        con.close()
    return meta.get("demo") != "true" and bool(has_rows)


def ensure_store(path=None, progress_callback: ProgressCallback | None = None) -> bool:
    """Build the default demo store when there is no store yet. True when it built one.

    For the dashboard's first run: progress_callback(fraction 0..1, message) drives a progress bar.
    """
    from complaints import store as store_mod

    target = store_mod.store_path(path)
    if target.exists():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    # Two first visitors at once: the second waits for the first build instead of starting its own.
    with open(target.with_name(target.name + ".demo-build.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.exists():
            return False
        build(target, progress=False, progress_callback=progress_callback)
    return True


def content_hash(con) -> str:
    """SHA-256 over complaints, complaint_tactics and lenders in a canonical order, without run ids
    and timestamps. Equal for two builds with the same seed, rows and until (and HMAC secret)."""
    digest = hashlib.sha256()
    queries = (
        "SELECT * EXCLUDE (run_id) FROM complaints ORDER BY complaint_id",
        "SELECT * FROM complaint_tactics ORDER BY ALL",
        "SELECT * FROM lenders ORDER BY lender_id",
    )
    for sql in queries:
        digest.update(sql.encode())
        cur = con.execute(sql)
        while True:
            chunk = cur.fetchmany(20_000)
            if not chunk:
                break
            for row in chunk:
                digest.update(repr(row).encode("utf-8"))
                digest.update(b"\n")
    return digest.hexdigest()
