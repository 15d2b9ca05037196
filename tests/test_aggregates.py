"""The derived tables give exactly the base tables' answers, and the router only uses them when they can.

Every question with a queries/agg/ version is run both ways (base-table SQL through the filter macro,
and the aggregate version) under several filter combinations, on a synthetic store published through
store.writer() (which builds the derived tables)."""

from __future__ import annotations

import math
import shutil
from datetime import date, timedelta

import duckdb
import pytest

from bench import run as bench_run
from bench.common import discover_queries, filter_macro_sql
from complaints import QUERIES_DIR, aggregates
from tests.conftest_app import build_test_store

AGG_QUESTIONS = sorted(p.stem for p in (QUERIES_DIR / aggregates.AGG_DIR).glob("*.sql"))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_test_store(tmp_path_factory.mktemp("agg") / "s.duckdb", rows=600, seed=11)


@pytest.fixture(scope="module")
def con(store):
    con = duckdb.connect(str(store), read_only=True)
    con.execute(filter_macro_sql())
    con.execute(aggregates.macro_sql())
    yield con
    con.close()


@pytest.fixture(scope="module")
def base(con):
    return bench_run.base_params(con)


def norm(value):
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 9)
    if isinstance(value, list):
        return tuple(norm(v) for v in value)
    return value


@pytest.fixture(scope="module")
def specialised_con(store):
    """A second connection that runs each question as the dashboard does: after aggregates.specialise."""
    con = duckdb.connect(str(store), read_only=True)
    con.execute(filter_macro_sql())
    aggregates.add_macros(con)
    yield con
    con.close()


def result(con, sql, params, specialise=False):
    params = aggregates.with_tactic_bits(params, aggregates.store_info(con))  # as the dashboard runs them
    used = bench_run.used_params(params, _params(sql))
    if specialise:
        aggregates.specialise(con, used)
    cur = con.execute(sql, used)
    names = [d[0] for d in cur.description]
    return names, sorted((tuple(norm(v) for v in r) for r in cur.fetchall()), key=repr)


def _params(sql):
    from bench.common import query_params
    return query_params(sql)


def filter_cases(con, base):
    last = base["end_date"]
    keys = [r[0] for r in con.execute("""SELECT COALESCE(lender_id, '~' || lender_name) AS k FROM complaints
                                         WHERE k IS NOT NULL GROUP BY k ORDER BY count(*) DESC, k""").fetchall()]
    unmatched = next((k for k in keys if k.startswith("~")), keys[-1])  # the demo corpus has none
    start = last - timedelta(days=364)
    return {
        "all": {},
        "12m": {"start_date": start, "prev_start": start - timedelta(days=365), "prev_end": start - timedelta(days=1),
                "interval": "month"},
        "window-week": {"start_date": date(2024, 2, 10), "end_date": date(2024, 5, 3), "interval": "week"},
        # whole months from the monthly tables, edge days from the daily ones
        "edges-quarter": {"start_date": date(2023, 2, 10), "end_date": date(2024, 11, 3), "interval": "quarter",
                          "prev_start": date(2021, 5, 19), "prev_end": date(2023, 2, 9)},
        "one-month": {"start_date": date(2024, 3, 1), "end_date": date(2024, 3, 31), "interval": "month"},
        "day": {"start_date": date(2024, 3, 5), "end_date": date(2024, 3, 20), "interval": "day"},
        "cn": {"countries": ["CN"]},
        "cfpb": {"sources": ["cfpb"]},
        "lender": {"lenders": [keys[0]], "lender_key": keys[0]},
        "two-lenders-unmatched": {"lenders": [keys[1], unmatched], "lender_key": unmatched},
        "excluded": {"excluded_lenders": [keys[0]], "countries": ["US", "CN"]},
        "empty": {"start_date": date(1990, 1, 1), "end_date": date(1990, 2, 1)},
    }


def covered_cases(con, base):
    """Cases for the filters a version's `-- covers:` line names, keyed by the filter they need."""
    tactics = [r[0] for r in con.execute("""SELECT tactic_id FROM complaint_tactic_set GROUP BY tactic_id
                                            ORDER BY count(*) DESC, tactic_id""").fetchall()]
    region, product, status = con.execute("""SELECT mode(region), mode(product), mode(status) FROM complaints""").fetchone()
    cases = filter_cases(con, base)
    top = cases["lender"]
    return [
        ("tactics", "tactic", {"tactics": [tactics[0]]}),
        ("tactics", "two-tactics-any", {"tactics": [tactics[1], tactics[-1]], "tactics_all": False}),
        ("tactics", "two-tactics-all", {"tactics": [tactics[0], tactics[1]], "tactics_all": True}),
        ("tactics", "tactic-and-lender-12m", {"tactics": [tactics[2]], **top,
                                              **cases["edges-quarter"]}),
        ("tactics", "unknown-tactic-any", {"tactics": [tactics[0], "no_such_tactic"]}),
        ("tactics", "unknown-tactic-all", {"tactics": [tactics[0], "no_such_tactic"], "tactics_all": True}),
        ("regions", "region", {"regions": [region]}),
        ("products", "product", {"products": [product]}),
        ("statuses", "status", {"statuses": [status], "tactics": [tactics[0]]}),
        ("has_narrative", "narrative", {"has_narrative": True}),
        ("has_narrative", "no-narrative", {"has_narrative": False, **top}),
    ]


@pytest.mark.parametrize("question", AGG_QUESTIONS)
def test_aggregate_version_equals_base_tables(con, specialised_con, base, question):
    """Both with the macros' general definitions and with those specialised to each case's tactic
    filter (the cases alternate between a tactic filter and none, so the specialisation switches)."""
    base_sql = discover_queries()[question]
    agg_sql = (QUERIES_DIR / aggregates.AGG_DIR / f"{question}.sql").read_text(encoding="utf-8")
    covers = aggregates.covers(agg_sql)
    cases = list(filter_cases(con, base).items())
    cases += [(name, overrides) for needs, name, overrides in covered_cases(con, base)
              if {needs, *(k for k in ("tactics", "statuses") if overrides.get(k))} <= covers]
    for case, overrides in cases:
        params = {**base, **bench_run.QUERY_DEFAULTS.get(question, {}), **overrides}
        assert aggregates.route(question, params, aggregates.store_info(con)) == f"agg/{question}", case
        expected = result(con, base_sql, params)
        assert result(con, agg_sql, params) == expected, (question, case)
        assert result(specialised_con, agg_sql, params, specialise=True) == expected, (question, case, "specialised")
        assert expected[1] or case in ("empty", "unknown-tactic-all") or question.startswith("lender_profile_"), \
            (question, case)


def test_specialised_macros_follow_the_tactic_filter(specialised_con, base):
    """specialise() puts in the one branch a question needs, switches back and forth as the tactic
    filter comes and goes, and add_macros() restores the general definitions."""
    con = specialised_con
    info = aggregates.store_info(con)
    sql = "SELECT sum(n) FROM scoped_counts($start_date, $end_date, [], [], [], [], $tactic_bits, false, true)"
    plain = {"start_date": base["start_date"], "end_date": base["end_date"], "tactic_bits": None}
    masked = {**plain, "tactic_bits": aggregates.with_tactic_bits({"tactics": ["excessive_contact"]}, info)["tactic_bits"]}
    everything = con.execute(sql, plain).fetchone()[0]
    aggregates.add_macros(con)
    some = con.execute(sql, masked).fetchone()[0]
    assert 0 < some < everything
    for _ in range(2):
        aggregates.specialise(con, plain)
        assert con.execute(sql, plain).fetchone()[0] == everything
        assert con.execute(sql, masked).fetchone()[0] == everything  # the count tables only: bits unread
        aggregates.specialise(con, masked)
        assert con.execute(sql, masked).fetchone()[0] == some
        assert con.execute(sql, plain).fetchone()[0] == everything  # the mask tables answer any filter
    aggregates.add_macros(con)
    assert [con.execute(sql, p).fetchone()[0] for p in (plain, masked)] == [everything, some]
    aggregates.specialise(con, {"start_date": base["start_date"]})  # a question that reads no tactic filter
    assert [con.execute(sql, p).fetchone()[0] for p in (plain, masked)] == [everything, some]


def test_lender_ranking_breaks_top_tactic_ties_by_tactic_id(con, specialised_con, base):
    """A lender's top tactic is the one in most of its complaints; of tied ones, the first by id, so
    the ranking does not change from one run to the next."""
    counts = con.execute("""
        SELECT COALESCE(c.lender_id, '~' || c.lender_name) AS lender_key, t.tactic_id, count(*) AS n
        FROM complaints AS c JOIN complaint_tactic_set AS t USING (complaint_id)
        WHERE COALESCE(c.lender_id, c.lender_name) IS NOT NULL GROUP BY ALL""").fetchall()
    best: dict[str, tuple[int, str]] = {}  # lender -> (-count, tactic) of its top tactic
    for lender, tactic, n in counts:
        best[lender] = min(best.get(lender, (0, "")), (-n, tactic))
    tied = {lender for lender, (top, _) in best.items() if [k for k, _, n in counts if k == lender and -n == top][1:]}
    assert len(tied) >= 3  # the test store has lenders whose top tactics tie
    expected = {lender: tactic for lender, (_, tactic) in best.items()}
    params = {**base, **bench_run.QUERY_DEFAULTS.get("lender_ranking", {})}
    agg_sql = (QUERIES_DIR / aggregates.AGG_DIR / "lender_ranking.sql").read_text(encoding="utf-8")
    for sql, c, spec in ((discover_queries()["lender_ranking"], con, False), (agg_sql, con, False),
                         (agg_sql, specialised_con, True)):
        names, rows = result(c, sql, params, specialise=spec)
        key, top = names.index("lender_key"), names.index("top_tactic")
        assert {r[key]: r[top] for r in rows if r[top] is not None} == expected


def test_every_chart_question_with_a_tactic_filter_has_a_version(con, base):
    """The tactic filter is a main view of the dashboard: its counts come from the derived tables."""
    info = aggregates.store_info(con)
    params = {**base, "tactics": ["excessive_contact"]}
    for question in ("volume_over_time", "tactic_shares", "tactic_trend", "tactic_cooccurrence", "top_lenders",
                     "lender_ranking", "overview_headline", "records_count", "volume_by_source",
                     "lender_profile_trend", "lender_profile_tactics", "lender_profile_regions",
                     "lender_profile_statuses"):
        assert aggregates.route(question, params, info) == f"agg/{question}", question


def test_router_falls_back_when_a_filter_is_not_covered(con, base):
    info = aggregates.store_info(con)
    assert aggregates.route("tactic_shares", base, info) == "agg/tactic_shares"
    assert aggregates.route("tactic_shares", {**base, "tactics": ["excessive_contact"]}, info) == "agg/tactic_shares"
    for overrides in ({"regions": ["广东"]}, {"products": ["x"]},
                      {"statuses": ["Closed"]}, {"has_narrative": True}, {"has_narrative": False},
                      {"search": "催收"}, {"search": "催收", "tactics": ["excessive_contact"]}):
        assert aggregates.route("tactic_shares", {**base, **overrides}, info) == "tactic_shares", overrides
    assert aggregates.route("tactic_shares", {**base, "search": ""}, info) == "agg/tactic_shares"
    # The lender profile's facts table covers every filter but search.
    assert aggregates.route("lender_profile_regions", {**base, "regions": ["广东"], "has_narrative": False},
                            info) == "agg/lender_profile_regions"
    assert aggregates.route("lender_profile_regions", {**base, "search": "催收"}, info) == "lender_profile_regions"
    # n_severe was built for one severe list: another list goes to the base tables.
    assert aggregates.route("overview_headline", base, info) == "agg/overview_headline"
    assert aggregates.route("overview_headline", {**base, "severe": ["excessive_contact"]}, info) == \
        "overview_headline"
    # A store without the derived tables (or of an older version), and a question without a version.
    assert aggregates.route("tactic_shares", base, {}) == "tactic_shares"
    assert aggregates.route("tactic_shares", base, {**info, "version": "0"}) == "tactic_shares"
    assert aggregates.route("record_detail", base, info) == "record_detail"


@pytest.mark.parametrize("offset", [0, 25, 310, 599, 5000])
def test_every_records_page_equals_the_base_tables(con, base, offset):
    """Deep pages, the last page, a page past the end, and pages under tactic filters."""
    base_sql = discover_queries()["records_page"]
    agg_sql = (QUERIES_DIR / aggregates.AGG_DIR / "records_page.sql").read_text(encoding="utf-8")
    cases = [{}, {"tactics": ["excessive_contact"]},
             {"tactics": ["excessive_contact", "third_party_contact"], "tactics_all": True},
             {"countries": ["CN"], "start_date": date(2024, 2, 10), "end_date": date(2024, 11, 3)}]
    for overrides in cases:
        params = {**base, "page_size": 25, "offset": offset, **overrides}
        expected = result(con, base_sql, params)
        assert result(con, agg_sql, params) == expected, overrides
        assert expected[1] or offset > 0, overrides


def test_period_macros_split_a_period_into_whole_months_and_edge_days():
    """in_months / in_days are written as date comparisons (so DuckDB can skip row groups); checked
    against their plain definition for every day of 15 months and 4,000 periods."""
    con = duckdb.connect()
    con.execute("CREATE TABLE tactic_bits (tactic_id VARCHAR, bit UBIGINT, severe BOOLEAN)")
    con.execute(aggregates.macro_sql().split("-- Complaints per tactic mask")[0])
    total, wrong_days, wrong_months, edge_days = con.execute("""
        WITH d AS (SELECT CAST(x AS DATE) AS day FROM range(DATE '2023-12-01', DATE '2025-03-05', INTERVAL 1 DAY) t(x)),
             p AS (SELECT CAST(a AS DATE) AS s, CAST(b AS DATE) AS e
                   FROM range(DATE '2024-01-01', DATE '2024-03-03', INTERVAL 1 DAY) t1(a),
                        range(DATE '2024-01-27', DATE '2025-03-02', INTERVAL 6 DAY) t2(b) WHERE b >= a)
        SELECT count(*),
               count(*) FILTER (WHERE in_days(day, s, e, true)
                                != (day BETWEEN s AND e AND (date_trunc('month', day) < s OR last_day(day) > e))),
               count(*) FILTER (WHERE day = date_trunc('month', day)
                                AND in_months(day, s, e, true) != (day >= s AND last_day(day) <= e)),
               count(*) FILTER (WHERE in_days(day, s, e, true))
        FROM d, p""").fetchone()
    assert total > 1_000_000 and edge_days > 10_000 and (wrong_days, wrong_months) == (0, 0)
    # whole_months = false: every day of the period, no month rows
    assert con.execute("SELECT in_days(DATE '2024-03-01', '2024-01-01', '2024-12-31', false), "
                       "in_months(DATE '2024-03-01', '2024-01-01', '2024-12-31', false)").fetchone() == (True, False)


def test_tactic_filter_becomes_one_mask(con):
    """$tactic_bits: NULL without a tactic filter; the selected tactics' bits; 0 when nothing can match."""
    info = aggregates.store_info(con)
    bit_of = dict(con.execute("SELECT tactic_id, bit FROM tactic_bits").fetchall())
    a, b = sorted(bit_of)[:2]

    def bits(tactics, tactics_all=False):
        return aggregates.with_tactic_bits({"tactics": tactics, "tactics_all": tactics_all, "x": 1}, info)["tactic_bits"]

    assert bits([]) is None and bits(None) is None and bits([], True) is None
    assert bits([a]) == bit_of[a] and bits([a, b]) == bits([a, b], True) == bit_of[a] | bit_of[b]
    assert bits([a, a], True) == bit_of[a]
    assert bits([a, "no_such_tactic"]) == bit_of[a]  # any: the unknown one matches nothing
    assert bits([a, "no_such_tactic"], True) == 0  # all: no complaint has the unknown one
    assert bits(["no_such_tactic"]) == 0
    assert aggregates.with_tactic_bits({"tactics": [a], "x": 1}, info)["x"] == 1
    assert aggregates.with_tactic_bits({"tactics": [a]}, {})["tactic_bits"] == 0  # no derived tables
    # the severe list as a mask
    assert aggregates.with_tactic_bits({"severe": [a, b, "no_such_tactic"]}, info)["severe_bits"] == bit_of[a] | bit_of[b]
    assert aggregates.with_tactic_bits({"severe": []}, info)["severe_bits"] == 0
    assert "severe_bits" not in aggregates.with_tactic_bits({"tactics": []}, info)
    added = aggregates.with_tactic_bits({"tactics": [a], "tactics_all": False, "severe": [b]}, info).keys() - {
        "tactics", "tactics_all", "severe"}
    assert added == set(aggregates.DERIVED_PARAMS)  # what ui/data.py lists beside the parameters they come from


def test_mask_tactics_expand_every_mask_that_occurs(con):
    """mask_tactics lists, for every tactic mask in the derived tables, exactly the tactics of its bits."""
    bit_of = dict(con.execute("SELECT tactic_id, bit FROM tactic_bits").fetchall())
    listed = {}
    for mask, tactic in con.execute("SELECT tactic_mask, tactic_id FROM mask_tactics").fetchall():
        listed.setdefault(mask, set()).add(tactic)
    occurring = {m for (m,) in con.execute("""SELECT tactic_mask FROM lender_facts UNION SELECT tactic_mask
                                               FROM monthly_lender_mask_counts UNION SELECT tactic_mask
                                               FROM tactic_evidence""").fetchall()}
    assert set(listed) == occurring - {0} and len(listed) > 10
    for mask, tactics in listed.items():
        assert tactics == {t for t, bit in bit_of.items() if mask & bit}, mask


def test_tactic_masks_hold_each_complaints_tactics(con):
    """Each complaint's tactic set, read back from the bits, is its set of labels."""
    from_bits = con.execute("""
        SELECT count(*), sum(n) FROM daily_lender_mask_counts""").fetchone()
    assert from_bits[1] == con.execute("SELECT count(*) FROM complaints").fetchone()[0]
    bits = con.execute("SELECT tactic_id, bit FROM tactic_bits ORDER BY bit").fetchall()
    assert [b for _, b in bits] == [1 << i for i in range(len(bits))]
    per_tactic = dict(con.execute("""SELECT tactic_id, sum(n) FROM daily_lender_tactic_counts GROUP BY 1""").fetchall())
    assert per_tactic == dict(con.execute("""SELECT tactic_id, count(*) FROM complaint_tactic_set GROUP BY 1""").fetchall())
    facts = con.execute("SELECT count(*), count(*) FILTER (WHERE tactic_mask != 0) FROM lender_facts").fetchone()
    assert facts == con.execute("""SELECT count(*), (SELECT count(DISTINCT complaint_id) FROM complaint_tactic_set)
                                   FROM complaints""").fetchone()


def test_tactic_masks_are_64_bit(con):
    """Every stored mask and bit is a UBIGINT: a HUGEINT (what `UBIGINT << INTEGER` gives) doubled their
    width and made every mask test, group and join 128-bit."""
    types = con.execute("""SELECT table_name, column_name, data_type FROM information_schema.columns
                           WHERE column_name IN ('tactic_mask', 'bit')""").fetchall()
    assert len(types) >= 6
    assert {t for _, _, t in types} == {"UBIGINT"}, types


def test_severe_list_matches_the_dashboard():
    from ui.taxonomy import SEVERE
    assert sorted(aggregates.SEVERE) == sorted(SEVERE)


def test_tactic_set_is_the_distinct_labels(con):
    assert sorted(con.execute("SELECT complaint_id, tactic_id FROM complaint_tactic_set").fetchall()) == sorted(
        con.execute("SELECT DISTINCT complaint_id, tactic_id FROM complaint_tactics").fetchall())


def test_lead_series_reach_pandas_as_categoricals_and_detect_the_same(con, base):
    """The leads page reads lead_monthly_series whole (~110k rows at 10M): its ids are ENUMs, which .df()
    turns into categoricals (about six times faster than text). The detector sees the same series."""
    from complaints import leads

    agg_sql = (QUERIES_DIR / aggregates.AGG_DIR / "lead_monthly_counts.sql").read_text(encoding="utf-8")
    base_sql = (QUERIES_DIR / "lead_monthly_counts.sql").read_text(encoding="utf-8")
    until = base["end_date"].strftime("%Y-%m")
    for scope in ({}, {"countries": ["CN"]}):
        params = {**base, **scope}
        fast = con.execute(agg_sql, bench_run.used_params(params, _params(agg_sql))).df()
        slow = con.execute(base_sql, bench_run.used_params(params, _params(base_sql))).df()
        assert {str(fast[c].dtype) for c in ("lender_id", "tactic_id")} == {"category"}, scope
        fast_keys, fast_months, fast_matrix = leads._series_matrix(fast, until)
        slow_keys, slow_months, slow_matrix = leads._series_matrix(slow, until)
        assert (fast_keys, fast_months) == (slow_keys, slow_months) and len(fast_keys) > 3, scope
        assert (fast_matrix == slow_matrix).all(), scope
        assert leads.detect(fast, until=until) == leads.detect(slow, until=until), scope


def test_build_is_repeatable_and_optimize_upgrades_a_store(store, tmp_path):
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(store, copy)
    with duckdb.connect(str(copy)) as c:
        for table in (*aggregates.AGGREGATES, "aggregate_info"):
            c.execute(f"DROP TABLE IF EXISTS {table}")
        assert aggregates.store_info(c) == {}
    from complaints.cli import main
    sizes = []
    for _ in range(3):   # rebuilding reuses the old tables' space: the file does not grow at every publish
        assert main(["optimize", "--store", str(copy)]) == 0
        sizes.append(copy.stat().st_size)
    assert sizes[2] <= sizes[1] <= sizes[0] * 1.05, sizes
    with duckdb.connect(str(copy)) as c:
        first = aggregates.build(c)
        assert aggregates.build(c) == first and first["complaint_tactic_set"] > 0
        assert "complaint_masks" not in first and first["lender_facts"] == first["daily_lender_counts"] * 0 + \
            c.execute("SELECT count(*) FROM complaints").fetchone()[0]
        assert aggregates.store_info(c)["version"] == aggregates.VERSION
    assert main(["optimize", "--store", str(tmp_path / "missing.duckdb")]) == 2
