"""complaints.frames.rows_frame: a download read through Arrow has the rows, column types and CSV that
DuckDB's .df() gives."""

from __future__ import annotations

import io

import duckdb
import pandas as pd
import pytest

from bench import run as bench_run
from bench.common import query_params
from complaints import aggregates
from complaints.frames import rows_frame
from tests.conftest_app import demo_store  # noqa: F401 - session fixture
from tests.test_records_export import AGG_EXPORT_SQL, EXPORT_SQL, con  # noqa: F401 - con: the same fixture
from ui.charts import csv_bytes, safe_frame

MIXED = """
SELECT * FROM (VALUES
    (1::BIGINT, true,  NULL::BOOLEAN, DATE '2020-01-31', 'a',  NULL::VARCHAR, 2::INTEGER, 1.5::DOUBLE, 7::BIGINT),
    (NULL,      false, true,          NULL,              NULL, NULL,          3,          NULL,        8)
) AS t(id, flag, maybe, day, text, nothing, small, share, whole)
"""


def test_types_and_values_are_those_of_df():
    memory = duckdb.connect()
    expected, got = memory.execute(MIXED).df(), rows_frame(memory, MIXED, {})
    # the one difference: a text column with no value at all stays text (.df() gives Python objects)
    assert str(got["nothing"].dtype) == str(got["text"].dtype) == str(expected["text"].dtype)
    assert got["nothing"].isna().all()
    pd.testing.assert_frame_equal(got.drop(columns="nothing"), expected.drop(columns="nothing"))
    assert {c: str(t) for c, t in got.dtypes.items() if c != "nothing"} == {
        "id": "Int64", "flag": "bool", "maybe": "boolean", "day": "datetime64[us]", "text": "str",
        "small": "int32", "share": "float64", "whole": "int64"}


def test_named_parameters_are_bound():
    memory = duckdb.connect()
    got = rows_frame(memory, "SELECT $n + 1 AS n, $s AS s", {"n": 41, "s": "催收"})
    assert got.to_dict("records") == [{"n": 42, "s": "催收"}]


@pytest.mark.parametrize("case", ["all", "lender", "tactic", "search"])
def test_a_download_is_the_same_file_through_arrow(con, case):  # noqa: F811
    base = bench_run.base_params(con)
    params = {**base, **bench_run.scenarios(con, base).get(case, {}), "cap": 500}
    if case == "search":
        params["search"] = "催收"
    sql = EXPORT_SQL if case == "search" else AGG_EXPORT_SQL  # the derived tables do not cover search
    used = bench_run.used_params(aggregates.with_tactic_bits(params, aggregates.store_info(con)), query_params(sql))
    aggregates.specialise(con, used)
    expected, got = con.execute(sql, used).df(), rows_frame(con, sql, used)
    assert len(got) == 500
    assert csv_bytes(got) == csv_bytes(expected)
    assert str(got["received"].dtype) == "datetime64[us]"
    # the Parquet file reads back to the same values (a column with no value at all is typed text now)
    files = []
    for frame in (got, expected):
        buffer = io.BytesIO()
        safe_frame(frame).to_parquet(buffer, index=False)
        files.append(pd.read_parquet(io.BytesIO(buffer.getvalue())).astype(object).where(lambda f: f.notna(), None))
    pd.testing.assert_frame_equal(files[0], files[1])


@pytest.mark.parametrize("search", ["", "催收"])
def test_the_dashboards_download_is_the_base_questions_rows(demo_store, con, monkeypatch, search):  # noqa: F811
    """ui.data.fetch, which the records page's download buttons call, through Arrow: the rows of the
    base question read with .df(), whichever version it routes to."""
    from ui import data

    monkeypatch.setenv("COMPLAINTS_STORE", str(demo_store))
    params = {**bench_run.base_params(con), "search": search, "cap": 300}
    got = data.fetch("records_export", params)
    expected = con.execute(EXPORT_SQL, {k: params[k] for k in query_params(EXPORT_SQL)}).df()
    assert len(got) == 300
    assert str(got["received"].dtype) == "datetime64[us]"
    assert csv_bytes(got) == csv_bytes(expected)
