"""Leads (线索, issue 7): surges and falls in monthly complaint counts, as bilingual sentences.

Pure domain code (no Streamlit). Input is a read-only DuckDB connection or a DataFrame of monthly
counts with columns lender_id, tactic_id, month, n (lender_id NULL = a tactic series; tactic_id NULL =
a lender series; both set = a lender x tactic series; both NULL = all complaints in scope, used only
as a parent). Output is a ranked list of Lead objects.

Method, for every series and every month M that has a full trailing baseline (default 6 months):
- baseline mean mu from the previous 6 months; the month farthest from their median is left out when
  it is itself an outlier, so that an earlier surge (or fall) does not inflate the baseline and
  produce an echo lead the month after;
- overdispersion alpha (variance = mu + alpha mu^2) estimated from the baselines by the method of
  moments, shrunk towards the median alpha of all series of the same kind (6 noisy months alone give
  wild estimates);
- the count y of month M is compared with a negative binomial predictive distribution whose variance
  also carries the uncertainty of mu (estimated from k months): alpha' = alpha (1 + 1/k) + 1/(k mu);
- two-sided p = 2 min(P(Y >= y), P(Y <= y)); tails via the regularized incomplete beta function
  (and gamma for the Poisson limit), implemented here with continued fractions (no scipy);
- Benjamini-Hochberg q-values within each month and kind of series (lenders, tactics, lender x tactic
  pairs): each month's leads are controlled as a report of their own;
- a lead needs q <= fdr, a minimum count (y >= min_count for a rise, mu >= min_count for a fall) and
  a minimum effect (ratio >= min_ratio, or <= 1/min_ratio; default 1.75);
- one lead per cause: a lender-wide surge lifts all its lender x tactic series, a lender x tactic
  surge lifts its lender's and its tactic's totals, and a seasonal swing lifts everything. So a lead
  stays only if its share of its parent moved too (conditional binomial test, p < 1e-4): a lender or
  a tactic against all complaints in scope; a pair against its lender and its tactic when that
  parent is itself a lead candidate in the same direction. A lender or tactic lead also stays only
  if it is still significant once the excess of its surviving pair leads (and, for a tactic, of
  lender-wide leads) is taken out;
- leads are ranked by score = |log2((y+1)/(mu+1))| x min(-log10 q, 10): effect size times evidence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

import numpy as np
import pandas as pd

from complaints import QUERIES_DIR

BASELINE_MONTHS = 6
SERIES_KINDS = ("lender", "tactic", "lender_tactic")

# The view a lead links to, in language-neutral form (ids and ISO dates). pages/leads.py turns it into
# the dashboard's own query params (lender_profile=<id>, tactic=<localized name>, period=custom and
# dates=<start>&dates=<end>), since bound widgets carry localized labels in the URL.
LENDERS_PAGE = "lenders"
TACTICS_PAGE = "tactics"
PARAM_LENDER_PROFILE = "lender_profile"
PARAM_TACTIC = "tactic"
PARAM_LENDERS = "lenders"
PARAM_START = "start"
PARAM_END = "end"

_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
_NUMBER_WORDS_EN = {3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
                    10: "ten", 11: "eleven", 12: "twelve"}
_NUMBER_WORDS_ZH = {3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十",
                    11: "十一", 12: "十二"}


# ---------------------------------------------------------------------------------------------
# Distribution tails (no scipy). Continued fractions after Numerical Recipes (gcf, betacf), with
# the modified Lentz method; series for the lower incomplete gamma.

_EPS = 1e-15
_TINY = 1e-300
_MAX_ITER = 10_000


def _gamma_series(a: float, x: float) -> float:
    """Regularized lower incomplete gamma P(a, x) by its power series (good for x < a + 1)."""
    term = total = 1.0 / a
    ap = a
    for _ in range(_MAX_ITER):
        ap += 1.0
        term *= x / ap
        total += term
        if abs(term) < abs(total) * _EPS:
            break
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _gamma_cf(a: float, x: float) -> float:
    """Regularized upper incomplete gamma Q(a, x) by continued fraction (good for x >= a + 1)."""
    b = x + 1.0 - a
    c = 1.0 / _TINY
    d = 1.0 / b
    h = d
    for i in range(1, _MAX_ITER):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = _TINY if abs(d) < _TINY else d
        c = b + an / c
        c = _TINY if abs(c) < _TINY else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    return math.exp(-x + a * math.log(x) - math.lgamma(a)) * h


def gamma_p(a: float, x: float) -> float:
    """Regularized lower incomplete gamma P(a, x), a > 0, x >= 0."""
    if x <= 0:
        return 0.0
    return _gamma_series(a, x) if x < a + 1.0 else 1.0 - _gamma_cf(a, x)


def gamma_q(a: float, x: float) -> float:
    """Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x), computed without cancellation."""
    if x <= 0:
        return 1.0
    return 1.0 - _gamma_series(a, x) if x < a + 1.0 else _gamma_cf(a, x)


def _beta_cf(a: float, b: float, x: float) -> float:
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = _TINY if abs(d) < _TINY else d
    d = 1.0 / d
    h = d
    for m in range(1, _MAX_ITER):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = _TINY if abs(d) < _TINY else d
        c = 1.0 + aa / c
        c = _TINY if abs(c) < _TINY else c
        d = 1.0 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = _TINY if abs(d) < _TINY else d
        c = 1.0 + aa / c
        c = _TINY if abs(c) < _TINY else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    return h


def beta_inc(a: float, b: float, x: float) -> float:
    """Regularized incomplete beta I_x(a, b), a, b > 0, 0 <= x <= 1."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_cf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_cf(b, a, 1.0 - x) / b


def poisson_sf(k: int, mu: float) -> float:
    """P(Y >= k) for Y ~ Poisson(mu)."""
    return 1.0 if k <= 0 else gamma_p(k, mu)


def poisson_cdf(k: int, mu: float) -> float:
    """P(Y <= k) for Y ~ Poisson(mu)."""
    return 0.0 if k < 0 else gamma_q(k + 1, mu)


def nbinom_cdf(k: int, mu: float, alpha: float) -> float:
    """P(Y <= k), Y negative binomial with mean mu and variance mu + alpha mu^2 (alpha=0: Poisson)."""
    if k < 0:
        return 0.0
    if alpha <= 1e-12:
        return poisson_cdf(k, mu)
    size = 1.0 / alpha
    return beta_inc(size, k + 1.0, size / (size + mu))


def nbinom_sf(k: int, mu: float, alpha: float) -> float:
    """P(Y >= k) for the negative binomial above."""
    if k <= 0:
        return 1.0
    if alpha <= 1e-12:
        return poisson_sf(k, mu)
    size = 1.0 / alpha
    return beta_inc(float(k), size, mu / (size + mu))


def benjamini_hochberg(p_values) -> np.ndarray:
    """BH q-values (step-up, monotone), same order as the input."""
    p = np.asarray(p_values, dtype=float)
    n = p.size
    if n == 0:
        return p
    order = np.argsort(p)
    ranked = p[order] * n / np.arange(1, n + 1)
    q_sorted = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.empty(n)
    q[order] = np.minimum(q_sorted, 1.0)
    return q


# ---------------------------------------------------------------------------------------------
# Leads


@dataclass(frozen=True)
class Lead:
    lender_id: str | None
    tactic_id: str | None
    month: str               # "YYYY-MM", the month that rose or fell
    direction: str           # "up" | "down"
    count: int               # complaints in `month`
    baseline_mean: float     # monthly average over the baseline (robust, see module doc)
    baseline_months: int
    ratio: float             # (count + 1) / (baseline_mean + 1)
    p_value: float
    q_value: float
    score: float
    series: tuple[tuple[str, int], ...] = field(default=(), repr=False)  # (YYYY-MM, n) up to month

    @property
    def kind(self) -> str:
        if self.lender_id and self.tactic_id:
            return "lender_tactic"
        return "lender" if self.lender_id else "tactic"

    @property
    def key(self) -> tuple[str | None, str | None, str, str]:
        """What a planted demo surge is matched on."""
        return (self.lender_id, self.tactic_id, self.month, self.direction)

    @property
    def baseline_start(self) -> date:
        return _month_start(_shift(self.month, -self.baseline_months))

    @property
    def month_end(self) -> date:
        return _month_start(_shift(self.month, 1)) - timedelta(days=1)


def _month_start(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def _shift(month: str, months: int) -> str:
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _month_str(value) -> str:
    return pd.Timestamp(value).strftime("%Y-%m")


def latest_complete_month(last_day: date | None) -> str | None:
    """The month of last_day if last_day is that month's last day, else the month before."""
    if last_day is None or pd.isna(last_day):
        return None
    last_day = pd.Timestamp(last_day).date()
    month = f"{last_day.year:04d}-{last_day.month:02d}"
    complete = (last_day + timedelta(days=1)).day == 1
    return month if complete else _shift(month, -1)


def _series_matrix(counts: pd.DataFrame, until: str):
    """Counts as a (series x month) matrix of ints; months are continuous up to `until`.
    Vectorized: the default view at 10M complaints has ~110k (series, month) rows."""
    stamps = pd.to_datetime(counts["month"])
    index = (stamps.dt.year * 12 + stamps.dt.month - 1).to_numpy(dtype=np.int64)
    last = int(until[:4]) * 12 + int(until[5:7]) - 1
    keep = index <= last
    if not keep.any():
        return [], [], np.zeros((0, 0))
    index = index[keep]
    first = int(index.min())
    months = [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(first, last + 1)]
    lenders = counts["lender_id"].astype(object).where(counts["lender_id"].notna(), None)[keep]
    tactics = counts["tactic_id"].astype(object).where(counts["tactic_id"].notna(), None)[keep]
    pairs = list(zip(lenders, tactics, strict=True))
    keys = sorted(set(pairs), key=lambda k: (k[0] or "", k[1] or ""))
    row = {k: i for i, k in enumerate(keys)}
    rows = np.fromiter((row[k] for k in pairs), dtype=np.int64, count=len(pairs))
    matrix = np.zeros((len(keys), len(months)))
    np.add.at(matrix, (rows, index - first), counts["n"].to_numpy(dtype=float)[keep])
    return keys, months, matrix


def _robust_baseline(window: np.ndarray, outlier_p: float = 1e-3) -> tuple[np.ndarray, np.ndarray, int]:
    """Mean and variance of each row of the baseline window. The month farthest from the row's
    median is left out only when it is an outlier against the other months (Poisson tail < outlier_p):
    an earlier surge must not inflate the baseline, but routinely dropping the largest month would
    bias small counts low."""
    k = window.shape[1]
    mean, var = window.mean(axis=1), window.var(axis=1, ddof=1)
    if k < 4:
        return mean, var, k
    median = np.median(window, axis=1, keepdims=True)
    drop = np.argmax(np.abs(window - median), axis=1)
    keep = np.ones_like(window, dtype=bool)
    keep[np.arange(window.shape[0]), drop] = False
    kept = window[keep].reshape(window.shape[0], k - 1)
    kept_mean = kept.mean(axis=1)
    dropped = window[np.arange(window.shape[0]), drop]
    # only rows far from their kept mean can be outliers: skip the exact tail for the rest
    far = np.abs(dropped - kept_mean) > 3 * np.sqrt(np.maximum(kept_mean, 0.5)) + 1
    for row in np.flatnonzero(far):
        x, mu = int(dropped[row]), max(float(kept_mean[row]), 0.5 / (k - 1))
        tail = poisson_sf(x, mu) if x > mu else poisson_cdf(x, mu)
        if tail < outlier_p:
            mean[row], var[row] = kept_mean[row], kept[row].var(ddof=1)
    # k stays the window length: the uncertainty term uses it as an approximation either way.
    return mean, var, k


def _kind(key) -> str:
    lender, tactic = key
    if lender and tactic:
        return "lender_tactic"
    return "lender" if lender else ("tactic" if tactic else "total")


def detect(counts: pd.DataFrame, *, until: str | None = None, months: int | None = None,
           baseline: int = BASELINE_MONTHS, fdr: float = 0.05, min_count: int = 10,
           min_ratio: float = 1.75, falls: bool = True) -> list[Lead]:
    """Leads in a DataFrame of monthly counts (lender_id, tactic_id, month, n), best first.

    until: the latest complete month ("YYYY-MM"); default the last month in `counts`.
    months: test only the last `months` months up to `until` (default: every month with a baseline).
    """
    if counts.empty:
        return []
    until = until or _month_str(counts["month"].max())
    keys, month_list, matrix = _series_matrix(counts, until)
    if not keys or len(month_list) <= baseline:
        return []
    # A series starts at its first complaint: months before it are "not yet there", not zeros.
    started = np.cumsum(matrix, axis=1) > 0
    first_test = baseline if months is None else max(baseline, len(month_list) - months)

    tests = []   # (row, col, y, mu, alpha_raw, k)
    for col in range(first_test, len(month_list)):
        ok = started[:, col - baseline]
        mu, var, k = _robust_baseline(matrix[:, col - baseline:col])
        for row in np.flatnonzero(ok):
            alpha_raw = max(0.0, (var[row] - mu[row]) / mu[row] ** 2) if mu[row] > 0 else 0.0
            tests.append((row, col, int(matrix[row, col]), float(mu[row]), alpha_raw, k))
    if not tests:
        return []

    # Overdispersion: each series' moment estimate shrunk towards the median of its kind.
    kinds = [_kind(keys[t[0]]) for t in tests]
    pooled = {kind: float(np.median([t[4] for t, kd in zip(tests, kinds, strict=True) if kd == kind]))
              for kind in set(kinds)}
    table = {}   # (row, col) -> _Test
    for t, kind in zip(tests, kinds, strict=True):
        row, col, y, mu, alpha_raw, k = t
        alpha = (k * alpha_raw + BASELINE_MONTHS * pooled[kind]) / (k + BASELINE_MONTHS)
        mu_eff = max(mu, 0.5 / k)   # an all-zero baseline still has some uncertainty
        alpha_pred = alpha * (1 + 1 / k) + 1 / (k * mu_eff)
        table[(row, col)] = _Test(row, col, y, mu, mu_eff, alpha_pred, _two_sided(y, mu_eff, alpha_pred))
    # BH within each month and kind of series (lenders, tactics, lender x tactic pairs): each month's
    # leads are a report of their own, and the few hundred lender tests are not drowned by the
    # thousands of pair tests. BH's critical value in a family is the bar a parent lead must still
    # clear once its children's excess is taken out.
    families: dict[tuple[str, int], list] = {}
    for key in table:
        families.setdefault((_kind(keys[key[0]]), key[1]), []).append(key)
    significant, p_cut = {}, {}
    for family, members in families.items():
        if family[0] not in SERIES_KINDS:
            continue
        q_values = benjamini_hochberg([table[key].p for key in members])
        accepted = {key: q for key, q in zip(members, q_values, strict=True) if q <= fdr}
        significant.update(accepted)
        # BH's critical value at the last accepted rank: the p a re-tested lead must still reach.
        p_cut[family] = fdr * len(accepted) / len(members)

    candidates = {}
    for key, q in significant.items():
        t = table[key]
        direction = _direction(t.y, t.mu, min_count, min_ratio)
        if direction and (falls or direction == "up"):
            candidates[key] = (direction, q)

    row_of = {k: i for i, k in enumerate(keys)}
    candidates = _drop_echoes(candidates, table, keys, row_of, p_cut, min_count, min_ratio)

    leads = []
    for (row, col), (direction, q) in candidates.items():
        t = table[(row, col)]
        lender, tactic = keys[row]
        ratio = (t.y + 1) / (t.mu + 1)
        evidence = min(-math.log10(max(q, 1e-300)), 10.0)
        series = tuple((month_list[c], int(matrix[row, c])) for c in range(max(0, col - 11), col + 1))
        leads.append(Lead(lender, tactic, month_list[col], direction, t.y, round(t.mu, 2), baseline,
                          round(ratio, 3), t.p, float(q), round(abs(math.log2(ratio)) * evidence, 4),
                          series))
    leads.sort(key=lambda lead: (-lead.score, lead.month, lead.lender_id or "", lead.tactic_id or ""))
    return leads


@dataclass(frozen=True)
class _Test:
    row: int
    col: int
    y: int
    mu: float          # robust baseline mean
    mu_eff: float      # mean of the predictive distribution
    alpha: float       # its overdispersion (baseline uncertainty included)
    p: float           # two-sided p-value


def _two_sided(y: float, mu: float, alpha: float) -> float:
    """2 x the tail on the side of y. Counts within one standard deviation are not worth the exact
    tail (their p is above 0.3, far from any lead): they get 1."""
    y = int(round(y))
    if abs(y - mu) < math.sqrt(mu + alpha * mu * mu):
        return 1.0
    tail = nbinom_sf(y, mu, alpha) if y > mu else nbinom_cdf(y, mu, alpha)
    return min(1.0, 2 * tail)


def _direction(y: float, mu: float, min_count: int, min_ratio: float) -> str | None:
    ratio = (y + 1) / (mu + 1)
    if y > mu and y >= min_count and ratio >= min_ratio:
        return "up"
    if y < mu and mu >= min_count and ratio <= 1 / min_ratio:
        return "down"
    return None


def _binom_tail(k: int, n: int, p: float, direction: str) -> float:
    """P(X >= k) (up) or P(X <= k) (down), X ~ Binomial(n, p)."""
    p = min(max(p, 1e-9), 1 - 1e-9)
    if direction == "up":
        return 1.0 if k <= 0 else (0.0 if k > n else beta_inc(k, n - k + 1, p))
    return 1.0 if k >= n else beta_inc(n - k, k + 1, 1 - p)


def _drop_echoes(candidates, table, keys, row_of, p_cut, min_count, min_ratio, share_alpha=1e-4):
    """Keep one lead per cause. A lender-wide surge lifts every lender x tactic series of that lender;
    a lender x tactic surge lifts its lender's and its tactic's totals; a seasonal swing lifts them all.
    So:
    1. a lead stays only if its share of its parent moved too, beyond chance (conditional binomial
       test: the share in the month against the share in the baseline, both estimated). A lender or a
       tactic is always tested against all complaints in scope; a lender x tactic pair is tested
       against its lender and its tactic when that parent is itself a lead candidate in the same
       direction (a parent that did not move explains nothing). The parents of a lender x tactic series are the
       lender and the tactic; the parent of a lender or a tactic is all complaints in scope;
    2. a lender or tactic lead stays only if it is still significant once the excess of its
       surviving lender x tactic leads is taken out."""
    def _moved(at, parent, direction):
        """A lender or tactic parent counts when it is itself a lead candidate in this direction; all
        complaints in scope always count (a lender or tactic lead must beat the general trend)."""
        if at in candidates:
            return candidates[at][0] == direction
        return _kind(keys[at[0]]) == "total"

    kept = dict(candidates)
    for (row, col), (direction, _q) in candidates.items():
        lender, tactic = keys[row]
        parents = ((lender, None), (None, tactic)) if lender and tactic else ((None, None),)
        child = table[(row, col)]
        for parent_key in parents:
            parent_at = (row_of.get(parent_key, -1), col)
            parent = table.get(parent_at)
            if parent is None or parent.mu <= 0 or not _moved(parent_at, parent, direction):
                continue   # a parent that did not move itself explains nothing
            # Conditional test of equal shares in the month and in the baseline (both estimated):
            # given the child's complaints over baseline + month, how many fall in the month?
            child_base, parent_base = child.mu * BASELINE_MONTHS, parent.mu * BASELINE_MONTHS
            trials = int(round(child.y + child_base))
            in_month = parent.y / (parent.y + parent_base) if parent.y + parent_base > 0 else 0.0
            if trials == 0 or _binom_tail(child.y, trials, in_month, direction) > share_alpha:
                kept.pop((row, col), None)
                break
    def still_significant(row, col, direction, excess):
        t = table[(row, col)]
        y_rest = max(0.0, t.y - excess)
        return (_two_sided(y_rest, t.mu_eff, t.alpha) <= p_cut[(_kind(keys[row]), col)]
                and _direction(y_rest, t.mu, min_count, min_ratio) == direction)

    pair_leads = [(keys[row], col, direction) for (row, col), (direction, _q) in kept.items()
                  if all(keys[row])]

    def excess_of(series_key, col):
        t = table.get((row_of.get(series_key, -1), col))
        return 0.0 if t is None else t.y - t.mu

    # Lenders: take out their own surviving pair leads.
    for (row, col), (direction, _q) in list(kept.items()):
        lender, tactic = keys[row]
        if lender and not tactic:
            excess = sum(excess_of(k, c) for k, c, d in pair_leads if k[0] == lender and c == col and d == direction)
            if excess and not still_significant(row, col, direction, excess):
                del kept[(row, col)]
    # Tactics: take out their surviving pair leads and, for every surviving lender-wide lead of the
    # same month and direction, that lender's part of the tactic.
    lender_leads = [(keys[row][0], col, direction) for (row, col), (direction, _q) in kept.items()
                    if keys[row][0] and not keys[row][1]]
    for (row, col), (direction, _q) in list(kept.items()):
        lender, tactic = keys[row]
        if lender:
            continue
        causes = {k[0] for k, c, d in pair_leads if k[1] == tactic and c == col and d == direction}
        causes |= {lid for lid, c, d in lender_leads if c == col and d == direction}
        excess = sum(excess_of((lid, tactic), col) for lid in causes)
        if excess and not still_significant(row, col, direction, excess):
            del kept[(row, col)]
    return kept


def _read_query(name: str) -> str:
    return (QUERIES_DIR / name).read_text(encoding="utf-8")


def monthly_counts(con, *, countries=(), sources=(), lenders=()) -> tuple[pd.DataFrame, str | None]:
    """Monthly counts of every lender, tactic and lender x tactic series in scope, and the latest
    complete month of the scope."""
    params = {"countries": list(countries or []), "sources": list(sources or []),
              "lenders": list(lenders or [])}
    counts = con.execute(_read_query("lead_monthly_counts.sql"), params).df()
    last_day = con.execute(_read_query("lead_data_end.sql"), params).fetchone()[0]
    return counts, latest_complete_month(last_day)


def find_leads(con, *, countries=(), sources=(), lenders=(), months: int | None = 12,
               **options) -> list[Lead]:
    """Leads of the scope up to its latest complete month, from a (read-only) DuckDB connection."""
    counts, until = monthly_counts(con, countries=countries, sources=sources, lenders=lenders)
    if until is None or counts.empty:
        return []
    return detect(counts, until=until, months=months, **options)


# ---------------------------------------------------------------------------------------------
# Words and links


@dataclass(frozen=True)
class Names:
    """Display names: lender_id -> (zh, en); tactic_id -> (zh, en)."""
    lenders: dict[str, tuple[str, str]] = field(default_factory=dict)
    tactics: dict[str, tuple[str, str]] = field(default_factory=dict)

    def lender(self, lender_id: str) -> tuple[str, str]:
        zh, en = self.lenders.get(lender_id, (None, None))
        return zh or en or lender_id, en or zh or lender_id

    def tactic(self, tactic_id: str) -> tuple[str, str]:
        zh, en = self.tactics.get(tactic_id, (None, None))
        readable = tactic_id.replace("_", " ")
        return zh or readable, en or readable


def load_names(con=None) -> Names:
    """Lender names from the store; tactic names from the taxonomy when it provides them."""
    lenders = {}
    if con is not None:
        for lender_id, zh, en in con.execute(_read_query("lead_names.sql")).fetchall():
            lenders[lender_id] = (zh, en)
    return Names(lenders, _tactic_names())


def _tactic_names() -> dict[str, tuple[str, str]]:
    """(name_zh, name_en) per tactic from complaints.tactics.taxonomy() once the taxonomy provides it."""
    from complaints import tactics
    loader = getattr(tactics, "taxonomy", None)
    if loader is None:
        return {}
    try:
        raw = loader()
        entries = raw.values() if isinstance(raw, dict) else raw
        names = {}
        for entry in entries:
            get = entry.get if isinstance(entry, dict) else (lambda k, e=entry: getattr(e, k, None))
            tactic_id = get("tactic_id") or get("id")
            if tactic_id:
                names[tactic_id] = (get("name_zh"), get("name_en"))
        return names
    except Exception:  # noqa: BLE001 - a half-finished taxonomy must not take the leads down
        return {}


def _number(x: float) -> str:
    return f"{x:.0f}" if x >= 10 or abs(x - round(x)) < 0.05 else f"{x:.1f}"


def sentence_en(lead: Lead, names: Names) -> str:
    year, month = int(lead.month[:4]), int(lead.month[5:7])
    when = f"{_MONTHS_EN[month - 1]} {year}"
    subject = "Complaints"
    if lead.lender_id:
        subject += f" about {names.lender(lead.lender_id)[1]}"
    if lead.tactic_id:
        zh, en = names.tactic(lead.tactic_id)
        if len(en) > 1 and en[0].isupper() and en[1].islower():   # "Threat of ..." mid-sentence
            en = en[0].lower() + en[1:]
        mention = f"{en} ({zh})" if zh != en else en
        subject += f" that mention {mention}"
    verb = "rose" if lead.direction == "up" else "fell"
    span = _NUMBER_WORDS_EN.get(lead.baseline_months, str(lead.baseline_months))
    return (f"{subject} {verb} to {lead.count} in {when}, from a monthly average of "
            f"{_number(lead.baseline_mean)} over the previous {span} months.")


def sentence_zh(lead: Lead, names: Names) -> str:
    year, month = int(lead.month[:4]), int(lead.month[5:7])
    subject = ""
    if lead.lender_id and lead.tactic_id:
        subject = f"针对{names.lender(lead.lender_id)[0]}且提及“{names.tactic(lead.tactic_id)[0]}”的投诉"
    elif lead.lender_id:
        subject = f"针对{names.lender(lead.lender_id)[0]}的投诉"
    else:
        subject = f"提及“{names.tactic(lead.tactic_id)[0]}”的投诉"
    verb = "升至" if lead.direction == "up" else "降至"
    span = _NUMBER_WORDS_ZH.get(lead.baseline_months, str(lead.baseline_months))
    return (f"{year}年{month}月，{subject}{verb}{lead.count}件，"
            f"此前{span}个月月均{_number(lead.baseline_mean)}件。")


def view_of(lead: Lead) -> tuple[str, dict[str, str]]:
    """The page and query parameters of the view that shows the lead: the lender's profile (also
    for a lender x tactic lead, filtered to the tactic) or the tactics page filtered to the tactic;
    absolute dates covering the baseline and the month."""
    dates = {PARAM_START: lead.baseline_start.isoformat(), PARAM_END: lead.month_end.isoformat()}
    if lead.lender_id:
        params = {PARAM_LENDER_PROFILE: lead.lender_id}
        if lead.tactic_id:
            params[PARAM_TACTIC] = lead.tactic_id
        return LENDERS_PAGE, {**params, **dates}
    return TACTICS_PAGE, {PARAM_TACTIC: lead.tactic_id, **dates}


def link(lead: Lead) -> str:
    """Relative URL of the view that shows the lead, e.g. lenders?lender_profile=x&start=...&end=..."""
    page, params = view_of(lead)
    return f"{page}?{urlencode(params)}"
