"""The pre-aggregated tables give exactly the counts of the base tables."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from complaints import aggregates
from tests.conftest_app import build_test_store


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = build_test_store(tmp_path_factory.mktemp("agg") / "s.duckdb", rows=600, seed=11)
    copy = path.with_name("copy.duckdb")
    shutil.copyfile(path, copy)
    con = duckdb.connect(str(copy))
    aggregates.build(con)
    yield con
    con.close()


def rows(con, sql, params=None):
    return sorted(con.execute(sql, params or []).fetchall(), key=repr)


def test_tactic_set_is_the_distinct_labels(con):
    assert rows(con, "SELECT * FROM complaint_tactic_set") == rows(
        con, "SELECT DISTINCT complaint_id, tactic_id FROM complaint_tactics")


@pytest.mark.parametrize("where", ["true", "received BETWEEN DATE '2023-02-10' AND DATE '2024-11-03'",
                                   "country = 'CN'", "source = 'cfpb'"])
def test_daily_counts_match_the_complaints(con, where):
    assert rows(con, f"""SELECT date_trunc('month', received) AS m, lender_key, sum(n) FROM daily_lender_counts
                         WHERE {where} GROUP BY ALL""") == rows(con, f"""
        SELECT date_trunc('month', received), COALESCE(lender_id, '~' || lender_name), count(*)
        FROM complaints WHERE {where} GROUP BY ALL""")
    assert rows(con, f"SELECT source, country, sum(n) FROM daily_lender_counts WHERE {where} GROUP BY ALL") == \
        rows(con, f"SELECT source, country, count(*) FROM complaints WHERE {where} GROUP BY ALL")


@pytest.mark.parametrize("where", ["true", "received >= DATE '2024-07-01'", "country = 'US'"])
def test_daily_tactic_counts_match_distinct_complaints(con, where):
    assert rows(con, f"""SELECT tactic_id, lender_key, sum(n) FROM daily_lender_tactic_counts
                         WHERE {where} GROUP BY ALL""") == rows(con, f"""
        SELECT t.tactic_id, COALESCE(c.lender_id, '~' || c.lender_name), count(DISTINCT c.complaint_id)
        FROM complaints AS c JOIN complaint_tactics AS t USING (complaint_id) WHERE {where} GROUP BY ALL""")


def test_build_is_repeatable(con):
    first = aggregates.build(con)
    assert aggregates.build(con) == first and first["complaint_tactic_set"] > 0
