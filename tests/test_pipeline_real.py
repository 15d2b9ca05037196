"""Real public files (../shared/data/real): every row is loaded, a duplicate or quarantined."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest

from complaints import pipeline, store
from complaints.record import SourceError

pytestmark = pytest.mark.real_data


def independent_count(path: Path) -> int:
    """Data rows counted without the adapters: CSV records (header excluded) or JSON records."""
    raw = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
    text = raw.decode("utf-8-sig")
    if path.name.endswith((".json", ".json.gz")):
        data = json.loads(text)
        if isinstance(data, dict):   # {"key": [records...]} or {"key": {...}, ...}
            lists = [v for v in data.values() if isinstance(v, list)]
            return len(lists[0]) if len(lists) == 1 else len(data)
        return len(data)
    rows = [r for r in csv.reader(io.StringIO(text, newline="")) if r]
    return len(rows) - 1


def cfpb_files(real_data: Path) -> list[Path]:
    return sorted(p for p in (real_data / "cfpb").rglob("*") if p.is_file())


def test_every_cfpb_file_reconciles_and_reingest_loads_nothing(real_data, tmp_path, monkeypatch):
    # Counting is what this test is about; the tactic classifier has its own tests and is the slow part.
    monkeypatch.setattr(pipeline.tactics, "classify", lambda text: [])
    db = tmp_path / "real.duckdb"
    files = cfpb_files(real_data)
    loadable = []
    for path in files:   # a file the adapter refuses as a whole is a SourceError, never half-loaded
        try:
            next(iter(pipeline.read_source("cfpb", path)), None)
            loadable.append(path)
        except SourceError:
            continue
    assert len(loadable) >= 12
    first = pipeline.ingest(loadable, "cfpb", store=db, progress=False)
    for report, path in zip(first, loadable, strict=True):
        assert report.reconciles(), report
        assert report.rows_read == independent_count(path), path.name
    bdm = next(r for r in first if r.file == "bdm_sample_2015-2020_isodates.csv.gz")
    assert (bdm.rows_read, bdm.rows_quarantined) == (6623, 0)
    again = pipeline.ingest(loadable, "cfpb", store=db, progress=False)
    for before, after in zip(first, again, strict=True):
        assert after.rows_loaded == 0
        assert after.rows_quarantined == before.rows_quarantined
        assert after.rows_duplicate == after.rows_read - after.rows_quarantined
    con = store.connect_readonly(db)
    try:
        total = con.execute("SELECT count(*) FROM complaints").fetchall()[0][0]
        runs = con.execute("SELECT sum(rows_loaded), count(*) FROM ingest_runs").fetchall()[0]
        # no raw ids or unscrubbed ZIPs in the store
        assert con.execute("SELECT count(*) FROM complaints WHERE length(zip3) > 3").fetchall()[0][0] == 0
    finally:
        con.close()
    assert total == sum(r.rows_loaded for r in first) == runs[0]
    assert runs[1] == 2 * len(loadable)


def test_heimao_examples_load_with_lender_date_demand_and_text(real_data, tmp_path):
    db = tmp_path / "heimao.duckdb"
    folder = real_data / "chinese" / "heimao_misc"
    [report] = pipeline.ingest([folder / "wpandios_heimaodata_example.json"], "tousu", store=db, progress=False)
    assert (report.rows_read, report.rows_loaded) == (3, 3)
    con = store.connect_readonly(db)
    try:
        rows = con.execute("SELECT received, lender_name, demand, narrative, title, language, country "
                           "FROM complaints").fetchall()
    finally:
        con.close()
    for received, lender, demand, narrative, title, language, country in rows:
        assert received.year == 2025 and lender and demand and narrative and title
        assert language == "zh-Hans" and country == "CN"
