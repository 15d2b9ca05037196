"""Generic adapter: CSV / JSON lines / Parquet plus a TOML mapping file."""

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from complaints.record import Record, Rejected, SourceError
from complaints.sources import generic, read

FIX = Path(__file__).parent / "fixtures" / "sources"


def test_csv_with_mapping_drops_unmapped_contact_columns():
    a, b, c = read("generic", FIX / "generic_survey.csv", mapping=FIX / "generic_survey.toml")
    assert isinstance(a, Record) and isinstance(b, Record)
    assert a.fields == {
        "source_id": "GB-001", "received": dt.date(2024, 3, 14), "lender_name": "Lowell Financial Ltd",
        "narrative": "They phoned my workplace and told my manager about the debt.", "amount": 250.0,
        "timely_response": True, "region": "Yorkshire", "country": "GB"}
    assert b.fields["amount"] is None and b.fields["timely_response"] is False
    assert isinstance(c, Rejected) and c.reason == "unparseable date '31/13/2024' in opened" and c.line == 4
    assert "complainant_phone" not in c.raw and "complainant_name" not in c.raw


def test_source_name_comes_from_the_mapping():
    assert generic.source_name(FIX / "generic_survey.toml") == "uk_survey"
    assert generic.source_name(FIX / "generic_lines.toml") == "ngo_hotline"


def test_json_lines_without_date_format():
    a, b = generic.read(FIX / "generic_lines.jsonl", mapping=FIX / "generic_lines.toml")
    assert a.fields["received"] == dt.date(2024, 5, 6) and "country" not in a.fields
    assert "email" not in a.fields and b.fields["narrative"] == "Called my neighbour."


def test_parquet(tmp_path):
    table = pa.table({"ref": ["P1", "P2"], "when": [dt.date(2024, 1, 2), None],
                      "who": ["Example Lending", "Other Lender"], "what": ["Calls at night.", "Threats."]})
    path = tmp_path / "hotline.parquet"
    pq.write_table(table, path)
    a, b = generic.read(path, mapping=FIX / "generic_lines.toml")
    assert a.fields["received"] == dt.date(2024, 1, 2) and a.fields["source_id"] == "P1"
    assert isinstance(b, Rejected) and b.reason == "no date in column 'when'"


def test_unknown_canonical_fields_are_named():
    with pytest.raises(SourceError, match=r"generic_bad_field\.toml: unknown canonical fields in \[columns\]: "
                                          r"favourite, phone"):
        list(generic.read(FIX / "generic_survey.csv", mapping=FIX / "generic_bad_field.toml"))


def test_missing_columns_are_named():
    with pytest.raises(SourceError, match=r"generic_survey\.csv: line 1: columns named in generic_missing_column"
                                          r"\.toml are missing from the file: lender_name -> 'company_name', "
                                          r"narrative -> 'complaint_text'"):
        list(generic.read(FIX / "generic_survey.csv", mapping=FIX / "generic_missing_column.toml"))


@pytest.mark.parametrize("toml, message", [
    ("[columns]\nreceived = 'd'\n", "needs a \\[source\\] table"),
    ("[source]\nname = 'Has Spaces'\n[columns]\nreceived = 'd'\n", "lower-case slug"),
    ("[source]\nname = 'cfpb'\n[columns]\nreceived = 'd'\n", "reserved"),
    ("[source]\nname = 'x'\n[columns]\nnarrative = 'd'\n", "must map `received`"),
    ("[source]\nname = 'x'\ncolour = 'red'\n[columns]\nreceived = 'd'\n", "unknown \\[source\\] keys: colour"),
    ("not toml at all = = =", "not a valid TOML mapping"),
])
def test_bad_mappings(tmp_path, toml, message):
    mapping = tmp_path / "m.toml"
    mapping.write_text(toml, encoding="utf-8")
    with pytest.raises(SourceError, match=message):
        list(generic.read(FIX / "generic_survey.csv", mapping=mapping))


def test_unparseable_dates_with_format(tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text("[source]\nname = 'x'\ndate_format = '%Y-%m-%d'\n[columns]\nreceived = 'opened'\n")
    with pytest.raises(SourceError, match=r"generic_survey\.csv: line 2: unparseable dates in column 'opened'"):
        list(generic.read(FIX / "generic_survey.csv", mapping=mapping))


def test_generic_needs_a_mapping():
    with pytest.raises(SourceError, match="needs a mapping"):
        read("generic", FIX / "generic_survey.csv")


def test_wrong_encoding_is_a_file_error(tmp_path):
    path = tmp_path / "survey_gbk.csv"
    path.write_bytes("case_ref,opened,firm,story\nCN-1,2024-01-02,某某金融,每天打电话\n".encode("gb18030"))
    mapping = tmp_path / "m.toml"
    mapping.write_text("[source]\nname = 'x'\n[columns]\nreceived = 'opened'\nlender_name = 'firm'\n")
    with pytest.raises(SourceError, match=r"survey_gbk\.csv: line 2: undetectable encoding"):
        list(generic.read(path, mapping=mapping))
    mapping.write_text("[source]\nname = 'x'\nencoding = 'gb18030'\n[columns]\nreceived = 'opened'\nlender_name = 'firm'\n")
    (rec,) = generic.read(path, mapping=mapping)
    assert rec.fields["lender_name"] == "某某金融"
