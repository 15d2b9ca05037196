"""The records download (queries/records_export.sql): capped at the newest rows, whatever the filters.

It sorts only the days that hold the newest `cap` matches (a cutoff from the count per day), so these
tests cut where that could go wrong: between two complaints of one day, at the cutoff day itself, and
with a cap larger than the matches."""

from __future__ import annotations

import pytest

from bench import run as bench_run
from bench.common import discover_queries, query_params
from complaints import QUERIES_DIR
from complaints.store import connect_readonly
from tests.conftest_app import demo_store  # noqa: F401 - session fixture

EXPORT_SQL = discover_queries(QUERIES_DIR)["records_export"]
FILTERED_SQL = (QUERIES_DIR / "_filtered.sql").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def con(demo_store):  # noqa: F811
    connection = connect_readonly(demo_store)
    connection.execute(FILTERED_SQL)
    yield connection
    connection.close()


def _export(con, params: dict):
    return con.execute(EXPORT_SQL, {k: params[k] for k in query_params(EXPORT_SQL)}).df()


def _cases(con) -> dict[str, dict]:
    base = bench_run.base_params(con)
    scenarios = bench_run.scenarios(con, base)
    return {"all": base, "12m": {**base, **scenarios["12m"]}, "lender": {**base, **scenarios["lender"]},
            "tactic": {**base, **scenarios["tactic"]}, "search": {**base, "search": "催收"},
            "region": {**base, "regions": [con.execute("SELECT max(region) FROM complaints").fetchone()[0]]}}


@pytest.mark.parametrize("case", ["all", "12m", "lender", "tactic", "search", "region"])
def test_the_cap_keeps_the_newest_rows_in_order(con, case):
    params = _cases(con)[case]
    every = _export(con, {**params, "cap": 10**9})
    assert len(every) > 20, "the demo store should match this filter often"
    days = list(every["received"])
    assert days == sorted(days, reverse=True)
    ties = [i for i in range(1, len(days)) if days[i] == days[i - 1]]
    assert ties, "the demo store should have days with two matches"
    # caps that end mid-day (only the complaint id decides) and a cap past the last match
    for cap in (1, 2, ties[0], ties[len(ties) // 2], ties[-1], len(every) - 1, len(every), len(every) + 5):
        got = _export(con, {**params, "cap": cap})
        want = every.head(cap)
        assert bench_run.df_rows(got) == bench_run.df_rows(want), (case, cap)
