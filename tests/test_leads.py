"""Leads: distribution tails against known values, BH, detection on planted synthetic series, the
sentences and the links."""

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from complaints import leads as L
from complaints.store import connect_readonly


def _poisson_sf_by_sum(k, mu):
    return 1.0 - sum(math.exp(i * math.log(mu) - mu - math.lgamma(i + 1)) for i in range(k))


def _nbinom_pmf(i, mu, alpha):
    r = 1 / alpha
    return math.exp(math.lgamma(i + r) - math.lgamma(r) - math.lgamma(i + 1)
                    + r * math.log(r / (r + mu)) + i * math.log(mu / (r + mu)))


@pytest.mark.parametrize(("got", "want"), [
    # reference values from scipy.stats / scipy.special (computed once, offline)
    (lambda: L.poisson_sf(20, 10), 0.0034543419758568334),
    (lambda: L.poisson_cdf(2, 10), 0.0027693957155115775),
    (lambda: L.poisson_sf(41, 13), 4.574455090458261e-10),
    (lambda: L.poisson_sf(1500, 1400), 0.004231080348517127),
    (lambda: L.nbinom_sf(40, 13, 0.5), 0.020687884185259797),
    (lambda: L.nbinom_cdf(3, 20, 0.2), 0.010406400000000005),
    (lambda: L.gamma_p(3.5, 2.0), 0.22022259152428406),
    (lambda: L.gamma_q(50, 70), 0.0051405024585059085),
    (lambda: L.beta_inc(0.5, 0.5, 0.25), 1 / 3),   # (2/pi) asin(sqrt(x))
])
def test_tails_match_known_values(got, want):
    assert got() == pytest.approx(want, rel=1e-9)


@pytest.mark.parametrize("mu", [0.3, 2.5, 13.0, 80.0])
def test_tails_match_explicit_sums(mu):
    for k in range(0, int(mu * 3) + 5):
        assert L.poisson_sf(k, mu) == pytest.approx(_poisson_sf_by_sum(k, mu), rel=1e-8, abs=1e-13)
        assert L.poisson_cdf(k, mu) == pytest.approx(1 - _poisson_sf_by_sum(k + 1, mu), rel=1e-8, abs=1e-13)
        for alpha in (0.05, 0.7):
            below = sum(_nbinom_pmf(i, mu, alpha) for i in range(k + 1))
            assert L.nbinom_cdf(k, mu, alpha) == pytest.approx(below, rel=1e-8, abs=1e-13)
            assert L.nbinom_sf(k + 1, mu, alpha) == pytest.approx(1 - below, rel=1e-7, abs=1e-12)


def test_benjamini_hochberg_by_hand():
    q = L.benjamini_hochberg([0.01, 0.04, 0.03, 0.005, 0.5])
    # sorted p: .005 .01 .03 .04 .5 -> p*n/rank: .025 .025 .05 .05 .5, then monotone from the top
    assert q == pytest.approx([0.025, 0.05, 0.05, 0.025, 0.5])
    assert len(L.benjamini_hochberg([])) == 0


def test_latest_complete_month():
    assert L.latest_complete_month(date(2026, 10, 31)) == "2026-10"
    assert L.latest_complete_month(date(2026, 11, 14)) == "2026-10"
    assert L.latest_complete_month(date(2024, 2, 29)) == "2024-02"
    assert L.latest_complete_month(None) is None


def _synthetic(seed=5):
    """12 lenders x 6 tactics x 30 months, mildly overdispersed, with planted rises and falls."""
    rng = np.random.default_rng(seed)
    lenders = [f"len{i}" for i in range(12)]
    tactics = [f"tac{j}" for j in range(6)]
    months = [L._shift("2024-05", i) for i in range(30)]   # up to 2026-10
    share = np.array([0.3, 0.2, 0.15, 0.15, 0.1, 0.1])
    size = rng.uniform(60, 200, size=12)
    planted = {("len1", None, "2026-10", "up"): 3.0, ("len4", "tac0", "2026-10", "up"): 3.0,
               ("len7", None, "2026-09", "down"): 0.3, ("len9", "tac1", "2025-08", "up"): 3.5,
               ("len2", "tac2", "2026-03", "up"): 3.0, ("len10", None, "2025-11", "up"): 2.5}
    rows = []
    for i, lender in enumerate(lenders):
        for m, month in enumerate(months):
            lam = size[i] * (1 + 0.005 * m) * rng.gamma(200, 1 / 200)
            f_lender = planted.get((lender, None, month, "up"), planted.get((lender, None, month, "down"), 1))
            for j, tactic in enumerate(tactics):
                f = planted.get((lender, tactic, month, "up"), f_lender)
                rows.append((lender, tactic, month, int(rng.poisson(lam * share[j] * f))))
    pairs = pd.DataFrame(rows, columns=["lender_id", "tactic_id", "month", "n"])
    by_lender = pairs.groupby(["lender_id", "month"], as_index=False)["n"].sum().assign(tactic_id=None)
    by_tactic = pairs.groupby(["tactic_id", "month"], as_index=False)["n"].sum().assign(lender_id=None)
    return pd.concat([by_lender, by_tactic, pairs], ignore_index=True), set(planted)


def test_detect_finds_planted_rises_and_falls_once_each():
    counts, planted = _synthetic()
    leads = L.detect(counts, until="2026-10")
    keys = [lead.key for lead in leads]
    assert planted <= set(keys)
    assert len(keys) == len(set(keys))
    # one lead per cause: a lender-wide surge is not repeated for each of the lender's tactics,
    # and a lender x tactic surge does not also appear as a surge of its tactic
    assert not any(k[0] == "len1" and k[1] and k[2] == "2026-10" for k in keys)
    assert ("len4", None, "2026-10", "up") not in keys and (None, "tac0", "2026-10", "up") not in keys
    top = leads[:len(planted)]
    assert sum(lead.key in planted for lead in top) >= len(planted) - 1
    assert all(lead.q_value <= 0.05 for lead in leads)
    assert [lead.score for lead in leads] == sorted((lead.score for lead in leads), reverse=True)


def test_detect_is_quiet_on_pure_noise():
    rng = np.random.default_rng(11)
    months = [L._shift("2024-01", i) for i in range(30)]
    rows = [(f"len{i}", None, m, int(rng.poisson(40))) for i in range(20) for m in months]
    assert len(L.detect(pd.DataFrame(rows, columns=["lender_id", "tactic_id", "month", "n"]))) <= 1


def test_months_limits_the_tested_window_and_minimum_count_applies():
    counts, _ = _synthetic()
    recent = L.detect(counts, until="2026-10", months=2)
    assert recent and all(lead.month in ("2026-09", "2026-10") for lead in recent)
    small = pd.DataFrame([("tiny", None, L._shift("2025-01", i), n)
                          for i, n in enumerate([1, 0, 1, 1, 0, 1, 8])], columns=["lender_id", "tactic_id", "month", "n"])
    assert L.detect(small, min_count=10) == []


def _lead(**kw):
    base = dict(lender_id="demo-x", tactic_id="third_party_contact", month="2026-10", direction="up",
                count=41, baseline_mean=13.2, baseline_months=6, ratio=3.0, p_value=1e-9, q_value=1e-7,
                score=10.0)
    base.update(kw)
    return L.Lead(**base)


NAMES = L.Names({"demo-x": ("某某贷", "Lender X")},
                {"third_party_contact": ("爆通讯录", "contacting family and friends")})


def test_sentences_in_both_languages():
    lead = _lead()
    assert L.sentence_en(lead, NAMES) == (
        "Complaints about Lender X that mention contacting family and friends (爆通讯录) rose to 41 in "
        "October 2026, from a monthly average of 13 over the previous six months.")
    assert L.sentence_zh(lead, NAMES) == "2026年10月，针对某某贷且提及“爆通讯录”的投诉升至41件，此前六个月月均13件。"
    fall = _lead(tactic_id=None, direction="down", count=4, baseline_mean=7.5)
    assert L.sentence_en(fall, NAMES) == ("Complaints about Lender X fell to 4 in October 2026, from a "
                                          "monthly average of 7.5 over the previous six months.")
    assert "降至4件" in L.sentence_zh(fall, NAMES)
    tactic_only = _lead(lender_id=None, tactic_id="workplace_contact")
    assert L.sentence_en(tactic_only, NAMES).startswith("Complaints that mention workplace contact rose")


def test_links_cover_baseline_and_month_with_absolute_dates():
    assert L.link(_lead(tactic_id=None)) == (
        "lenders?lender_profile=demo-x&start=2026-04-01&end=2026-10-31")
    assert L.link(_lead(lender_id=None)) == "tactics?tactic=third_party_contact&start=2026-04-01&end=2026-10-31"
    page, params = L.view_of(_lead())
    assert page == "lenders" and params["tactic"] == "third_party_contact"
    assert _lead(month="2026-02").month_end == date(2026, 2, 28)


def test_find_leads_reads_a_store(tmp_path):
    from tests.conftest_app import build_test_store
    path = build_test_store(tmp_path / "s.duckdb", rows=3000)
    con = connect_readonly(path)
    try:
        counts, until = L.monthly_counts(con)
        last_day = con.execute("SELECT max(received) FROM complaints").fetchone()[0]
        assert until == L.latest_complete_month(last_day) and until <= "2025-06"
        assert {"lender_id", "tactic_id", "month", "n"} <= set(counts.columns)
        kinds = {(lid is not None, tid is not None) for lid, tid in
                 counts[["lender_id", "tactic_id"]].astype(object).where(counts.notna(), None).itertuples(index=False)}
        assert kinds == {(True, False), (False, True), (True, True), (False, False)}   # + all complaints
        cn, _ = L.monthly_counts(con, countries=["CN"])
        assert cn["n"].sum() < counts["n"].sum()
        leads = L.find_leads(con, months=None)
        assert all(lead.month <= "2025-06" for lead in leads)
        names = L.load_names(con)
        assert names.lender("demo-quickcash") == ("闪电借", "QuickCash")
    finally:
        con.close()
