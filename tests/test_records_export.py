"""The records download (queries/records_export.sql and queries/agg/records_export.sql): capped at the
newest rows, whatever the filters.

Both sort only the days that hold the newest `cap` matches (a cutoff from the count per day, or per
month from the derived tables), so these tests cut where that could go wrong: between two complaints of
one day, at the cutoff, and with a cap larger than the matches."""

from __future__ import annotations

import pytest

from bench import run as bench_run
from bench.common import discover_queries, query_params
from complaints import QUERIES_DIR, aggregates
from complaints.store import connect_readonly
from tests.conftest_app import demo_store  # noqa: F401 - session fixture

EXPORT_SQL = discover_queries(QUERIES_DIR)["records_export"]
AGG_EXPORT_SQL = (QUERIES_DIR / aggregates.AGG_DIR / "records_export.sql").read_text(encoding="utf-8")
FILTERED_SQL = (QUERIES_DIR / "_filtered.sql").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def con(demo_store):  # noqa: F811
    connection = connect_readonly(demo_store)
    connection.execute(FILTERED_SQL)
    aggregates.add_macros(connection)
    yield connection
    connection.close()


def _export(con, params: dict, version: str = "base"):
    if version == "base":
        return con.execute(EXPORT_SQL, {k: params[k] for k in query_params(EXPORT_SQL)}).df()
    used = bench_run.used_params(aggregates.with_tactic_bits(params, aggregates.store_info(con)),
                                 query_params(AGG_EXPORT_SQL))
    aggregates.specialise(con, used)  # as the dashboard does: the plain or the masked branch
    return con.execute(AGG_EXPORT_SQL, used).df()


def _cases(con) -> dict[str, dict]:
    base = bench_run.base_params(con)
    scenarios = bench_run.scenarios(con, base)
    tactics = [r[0] for r in con.execute("""SELECT tactic_id FROM complaint_tactics GROUP BY tactic_id
                                            ORDER BY count(*) DESC, tactic_id LIMIT 2""").fetchall()]
    return {"all": base, "12m": {**base, **scenarios["12m"]}, "lender": {**base, **scenarios["lender"]},
            "tactic": {**base, **scenarios["tactic"]},
            "two-tactics-all": {**base, "tactics": tactics, "tactics_all": True},
            "tactic-12m": {**base, **scenarios["12m"], "tactics": tactics[1:]},
            "search": {**base, "search": "催收"},
            "region": {**base, "regions": [con.execute("SELECT max(region) FROM complaints").fetchone()[0]]}}


# the derived tables cover dates, countries, sources, lenders and tactics, not search or regions
AGG_CASES = ("all", "12m", "lender", "tactic", "two-tactics-all", "tactic-12m")


@pytest.mark.parametrize("version, case", [("base", c) for c in (*AGG_CASES, "search", "region")]
                         + [("agg", c) for c in AGG_CASES])
def test_the_cap_keeps_the_newest_rows_in_order(con, version, case):
    params = _cases(con)[case]
    if version == "agg":
        assert aggregates.route("records_export", {**params, "cap": 1}, aggregates.store_info(con)) \
            == "agg/records_export"
    every = _export(con, {**params, "cap": 10**9})  # the base question, uncapped: the reference
    assert len(every) > 20, "the demo store should match this filter often"
    days = list(every["received"])
    assert days == sorted(days, reverse=True)
    ties = [i for i in range(1, len(days)) if days[i] == days[i - 1]]
    assert ties, "the demo store should have days with two matches"
    # caps that end mid-day (only the complaint id decides) and a cap past the last match
    for cap in (1, 2, ties[0], ties[len(ties) // 2], ties[-1], len(every) - 1, len(every), len(every) + 5):
        got = _export(con, {**params, "cap": cap}, version)
        assert bench_run.df_rows(got) == bench_run.df_rows(every.head(cap)), (version, case, cap)
