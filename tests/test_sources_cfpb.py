"""CFPB adapter: every layout, with small hand-written fixtures."""

import datetime as dt
import gzip
import shutil
import zipfile
from pathlib import Path

import pytest

from complaints.record import Record, RecordBatch, Rejected, SourceError
from complaints.sources import ADAPTERS, cfpb, read
from complaints.sources._common import csv_rows, open_text, sniff

FIX = Path(__file__).parent / "fixtures" / "sources"


def load(name, path=None):
    return list(cfpb.read(path or FIX / name))


def records(name, path=None):
    out = load(name, path)
    assert all(isinstance(o, Record) for o in out), [o for o in out if isinstance(o, Rejected)]
    return [o.fields for o in out]


def test_dispatch_and_adapters():
    assert set(ADAPTERS) == {"cfpb", "tousu", "generic"}
    assert len(list(read("cfpb", FIX / "cfpb_18col.csv"))) == 3
    with pytest.raises(SourceError, match="unknown source"):
        read("nope", FIX / "cfpb_18col.csv")


def test_18_columns_iso_dates_and_embedded_newline():
    out = load("cfpb_18col.csv")
    assert [o.row_number for o in out] == [1, 2, 3]
    assert [o.line for o in out] == [2, 4, 5]  # the first narrative spans two lines
    first, second, third = (o.fields for o in out)
    assert first["received"] == dt.date(2020, 3, 18)
    assert first["narrative"] == "The collector called me six times a day.\nThey also called my sister at work."
    assert first["lender_name"] == "MIDLAND CREDIT MANAGEMENT, INC."
    assert (first["country"], first["region"], first["zip"]) == ("US", "CA", "917XX")
    assert first["timely_response"] is True and first["consumer_disputed"] is None
    assert first["sub_issue"] == "Frequent or repeated calls" and first["channel"] == "Web"
    assert first["source_id"] == "9000001" and first["tags"] == "Older American"
    assert second["timely_response"] is False and second["consumer_disputed"] is False
    assert third["consumer_disputed"] is True and third["region"] is None and third["zip"] is None
    assert third["public_response"].startswith("Company has responded")
    assert "Consumer consent provided?" not in first and "Date sent to company" not in first


def test_16_columns_current_export():
    a, b = records("cfpb_16col.csv")
    assert a["received"] == dt.date(2026, 9, 1) and "consumer_disputed" not in a
    assert a["status"] == "In progress" and b["timely_response"] is False


def test_website_export_none_strings_and_mmddyy():
    a, b = records("cfpb_web_export.csv")
    assert a["received"] == dt.date(2023, 3, 22) and b["received"] == dt.date(2022, 12, 31)
    assert a["sub_issue"] is None and a["public_response"] is None and a["region"] is None
    assert a["tags"] is None and a["zip"] == "XXXXX"
    assert a["product"] == "Payday loan, title loan, or personal loan"


def test_spreadsheet_round_trip_pads_zip_and_reads_m_d_yy():
    a, b = records("cfpb_roundtrip_mdyy.csv")
    assert a["received"] == dt.date(2020, 3, 18) and b["received"] == dt.date(2019, 11, 5)
    assert a["zip"] == "02127" and b["zip"] == "07030"


def test_legacy_13_columns_with_unnamed_index():
    a, b = records("cfpb_legacy_13col.csv")
    assert a["source_id"] == "9400001" and a["received"] == dt.date(2015, 3, 19)
    assert "lender_name" not in a and a["status"] == "In progress"
    assert b["issue"] == "Cont'd attempts collect debt not owed" and b["zip"] == "00601"
    assert b["consumer_disputed"] is False


def test_legacy_14_columns_malformed_last_row_is_rejected():
    out = load("cfpb_legacy_14col_malformed.csv")
    assert [type(o) for o in out] == [Record, Record, Rejected]
    assert out[1].fields["lender_name"] == "Expert Global Solutions, Inc."
    assert out[1].fields["status"] == "Closed with explanation"
    bad = out[2]
    assert bad.row_number == 3 and bad.line == 4
    assert bad.reason == "malformed row: 13 fields, expected 14"
    assert bad.raw["Complaint ID"] == "9500003"


def test_snake_case_headers_true_false_and_na():
    a, b = records("cfpb_snake_case.csv")
    assert a["timely_response"] is True and a["consumer_disputed"] is False
    assert a["sub_issue"] == "Used obscene/profane/abusive language"
    assert b["timely_response"] is False and b["consumer_disputed"] is True
    assert b["region"] is None and b["zip"] is None
    assert "afinn" not in a


def test_underscore_headers_day_first_dates_detected():
    a, b = records("cfpb_underscore_ddmmyyyy.csv")
    assert a["received"] == dt.date(2023, 4, 3)  # 03-04-2023 is day-first because 27-04-2023 is
    assert b["received"] == dt.date(2023, 4, 27)
    assert a["source_id"] == "9700001" and a["zip"] == "19145"


def test_api_json_with_hits_wrapper():
    a, b = records("cfpb_api_hits.json")
    assert a["received"] == dt.date(2021, 6, 1) and a["source_id"] == "9800001"
    assert a["narrative"] == "They kept calling after I asked them to stop."
    assert a["status"] == "Closed with explanation" and a["timely_response"] is True
    assert a["lender_name"] == "I.C. System, Inc."
    assert b["source_id"] == "9800002"  # from _id when _source has no complaint_id
    assert b["narrative"] is None and b["tags"] == "Older American, Servicemember"
    assert b["timely_response"] is False


def test_api_json_plain_objects():
    a, b = records("cfpb_api_plain.json")
    assert a["source_id"] == "9810001" and a["timely_response"] is True
    assert b["region"] is None and b["zip"] is None and b["timely_response"] is False


def test_json_keyed_by_csv_headers():
    (a,) = records("cfpb_csv_headers.json")
    assert a["received"] == dt.date(2015, 3, 24) and a["source_id"] == "9820001"
    assert a["narrative"].startswith("Calls every morning")


def test_product_only_rows_are_rejected_without_a_date():
    out = load("cfpb_product_only.csv")
    assert [o.reason for o in out] == ["no received date", "no received date"]
    assert out[0].raw["Product"] == "Debt collection"


def test_one_bad_date_is_rejected_with_reason():
    out = load("cfpb_one_bad_date.csv")
    assert isinstance(out[0], Record)
    assert out[1].reason == "unparseable date '31/31/2020' in Date received" and out[1].line == 3
    assert out[2].reason == "no received date"


def test_gzip_and_zip(tmp_path):
    gz = tmp_path / "complaints.csv.gz"
    with open(FIX / "cfpb_18col.csv", "rb") as src, gzip.open(gz, "wb") as dst:
        shutil.copyfileobj(src, dst)
    zp = tmp_path / "complaints.csv.zip"
    with zipfile.ZipFile(zp, "w") as zf:
        zf.writestr("README.txt", "not this one")
        zf.write(FIX / "cfpb_18col.csv", "complaints.csv")
    plain = records("cfpb_18col.csv")
    assert records(None, gz) == plain
    assert records(None, zp) == plain


@pytest.mark.parametrize("name, content, message", [
    ("empty.csv", b"", r"empty\.csv: line 1: empty file"),
    ("blank.csv", b"\n\n  \n", r"blank\.csv: line 1: empty file"),
    ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"image\.csv: line 1: binary file"),
    ("people.csv", (FIX / "cfpb_unknown_columns.csv").read_bytes(),
     r"people\.csv: line 1: unknown columns: name, phone, favourite_colour"),
    ("dates.csv", (FIX / "cfpb_bad_dates.csv").read_bytes(), r"dates\.csv: line 2: unparseable dates.*'soon'"),
    ("bad.json", b'[{"Product": "Debt collection", ', r"bad\.json: line 1: invalid JSON"),
])
def test_whole_file_problems(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError, match=message):
        list(cfpb.read(path))


def test_counts_reconcile_on_every_fixture():
    for path in sorted(FIX.glob("cfpb_*")):
        if path.stem in ("cfpb_unknown_columns", "cfpb_bad_dates"):
            continue
        out = list(cfpb.read(path))
        assert [o.row_number for o in out] == list(range(1, len(out) + 1)), path.name


def test_empty_lines_are_not_rows(tmp_path):
    text = (FIX / "cfpb_16col.csv").read_text(encoding="utf-8")
    head, first, second = text.splitlines()
    path = tmp_path / "gaps.csv"
    path.write_text(f"\ufeff{head}\n\n{first}\n\n\n{second}\n\n", encoding="utf-8")
    out = load(None, path)
    assert [(o.row_number, o.line) for o in out] == [(1, 3), (2, 6)]
    assert all(isinstance(o, Record) for o in out) and out[0].fields["source_id"] == "9100001"


def row_by_row(path):
    """The adapter's per-row CSV path (csv_rows + _finish on every row), as it was before the
    columnar fast path: the reference the fast path must reproduce exactly."""
    head = sniff(path)
    with open_text(path, cfpb._encoding(path, head), errors="replace") as text:
        rows = csv_rows(text)
        headers, _ = next(rows)
        fmap = cfpb._field_map(path, headers)
        date_col = fmap.get("received")
        rows = list(rows)
        parse_date = cfpb._date_parser(path, [r[date_col] for r, _ in rows[:cfpb.DETECT_ROWS] if len(r) > date_col]
                                       if date_col is not None else [])
        kept = [(headers[i], i) for i in fmap.values()]
        out = []
        for number, (row, line) in enumerate(rows, start=1):
            raw = {h: row[i] for h, i in kept if i < len(row)}
            if len(row) != len(headers):
                out.append(Rejected(number, f"malformed row: {len(row)} fields, expected {len(headers)}", raw, line))
                continue
            fields = {f: row[i] for f, i in fmap.items()}
            out.append(cfpb._finish(number, fields, line, parse_date, lambda raw=raw: raw))
    return out


def same_items(fast, slow):
    assert len(fast) == len(slow)
    for a, b in zip(fast, slow, strict=True):
        assert type(a) is type(b) and a == b
        if isinstance(a, Record):
            assert list(a.fields) == list(b.fields)  # same key order: quarantine JSON depends on it


def test_columnar_csv_path_gives_the_row_by_row_values(tmp_path):
    from tests.test_pipeline_snapshot import synthetic_csv

    paths = [p for p in sorted(FIX.glob("cfpb_*.csv")) if p.stem not in ("cfpb_unknown_columns", "cfpb_bad_dates")]
    paths.append(synthetic_csv(tmp_path / "synthetic.csv", rows=1000))
    for path in paths:
        same_items(list(cfpb.read(path, batch_rows=7)), row_by_row(path))
        same_items(list(cfpb.read(path)), row_by_row(path))
        batches = [b for b in cfpb.read_batches(path, batch_rows=100) if isinstance(b, RecordBatch)]
        assert all(len(values) == len(b) == len(b.lines) for b in batches for values in b.columns.values())
