"""Every real CFPB file and the 黑猫 structure samples: each row is a Record or a Rejected, and the
counts match a row count computed independently (pandas / json)."""

import json
from collections import Counter

import pandas as pd
import pytest

from complaints.record import Record, Rejected, SourceError
from complaints.sources import cfpb, tousu

pytestmark = pytest.mark.real_data

CFPB_DIRS = ("official_schema", "schema_variants", "product_only", "debt_collection")

# Expected outcomes, checked so that a regression that rejects good rows shows up.
EXPECTED = {
    "legacy_2014_octnov_14col_malformed_last_row.csv.gz": (8339, 1),
    "kaiburr_4class_narratives.csv.gz": (0, 2085),           # no dates: quarantined
    "product_narrative_pre2017.csv.gz": (0, 3947),
    "product_labeled_220_current_products.json": (0, 220),
}


def independent_count(path) -> int:
    if path.name.endswith(".json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        return len(data)
    return len(pd.read_csv(path, dtype=str, keep_default_na=False))


def cfpb_files(root):
    return sorted(p for d in CFPB_DIRS for p in (root / "cfpb" / d).iterdir() if p.is_file())


def test_every_cfpb_file_loads_or_quarantines_every_row(real_data):
    files = cfpb_files(real_data)
    assert len(files) >= 17
    for path in files:
        out = list(cfpb.read(path))
        assert all(isinstance(o, Record | Rejected) for o in out)
        assert [o.row_number for o in out] == list(range(1, len(out) + 1)), path.name
        assert len(out) == independent_count(path), path.name
        kinds = Counter(type(o).__name__ for o in out)
        loaded, rejected = kinds["Record"], kinds["Rejected"]
        if path.name in EXPECTED:
            assert (loaded, rejected) == EXPECTED[path.name], path.name
        else:
            assert rejected == 0, (path.name, [o.reason for o in out if isinstance(o, Rejected)][:3])
        for o in out:
            if isinstance(o, Record):
                assert o.fields["received"].year >= 2011 and o.fields["country"] == "US"


def test_cfpb_date_formats_agree(real_data):
    base = real_data / "cfpb" / "official_schema"
    iso = [o.fields for o in cfpb.read(base / "bdm_sample_2015-2020_isodates.csv.gz")]
    mdy = [o.fields for o in cfpb.read(base / "bdm_sample_2015-2020_mdyy_crlf.csv.gz")]
    assert iso == mdy  # dates parsed the same and lost ZIP zeros restored


def test_underscore_file_is_day_first(real_data):
    path = real_data / "cfpb" / "schema_variants" / "underscore_headers_ddmmyyyy_2012-2023.csv.gz"
    first = next(cfpb.read(path))
    assert str(first.fields["received"]) == "2023-04-27"


def test_heimao_examples_yield_lender_date_demand_and_text(real_data):
    misc = real_data / "chinese" / "heimao_misc"
    for name in ("wpandios_heimaodata_example.json", "wpandios_heimaodata_example_structured.csv"):
        out = list(tousu.read(misc / name))
        assert len(out) == 3 and all(isinstance(o, Record) for o in out), name
        for o in out:
            f = o.fields
            assert f["lender_name"] and f["received"].year == 2025 and f["demand"] and f["narrative"]
            assert f["source_id"] and f["country"] == "CN"
            assert "[投诉对象]" not in f["narrative"]


def test_heimao_files_without_dates_raise(real_data):
    # chitian has no date at all; the celine files are classifier data, not an ingest target
    with pytest.raises(SourceError, match="no date column"):
        list(tousu.read(real_data / "chinese" / "heimao_misc" / "chitian_black_cat_2020.jsonl"))
    with pytest.raises(SourceError, match="no date column"):
        list(tousu.read(real_data / "chinese" / "celine_heimao_finance" / "category_all_labeled.csv"))


def test_columnar_csv_path_matches_row_by_row_on_real_files(real_data):
    from tests.test_sources_cfpb import row_by_row, same_items

    for path in cfpb_files(real_data):
        if ".csv" in path.name:
            same_items(list(cfpb.read(path, batch_rows=997)), row_by_row(path))
