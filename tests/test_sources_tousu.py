"""Chinese complaint-platform adapter (黑猫-style): layouts, encodings, blobs, dates, amounts.
All texts here are invented for the tests."""

import datetime as dt
from pathlib import Path

import pytest

from complaints.record import Record, Rejected, SourceError
from complaints.sources import tousu
from complaints.sources._common import parse_amount

FIX = Path(__file__).parent / "fixtures" / "sources"


def load(path):
    return list(tousu.read(path))


def test_json_array_with_all_fields_and_date_problems():
    a, b, c, d = load(FIX / "tousu_heimao.json")
    assert isinstance(a, Record) and isinstance(b, Record)
    f = a.fields
    assert f["received"] == dt.date(2025, 11, 3) and f["country"] == "CN" and f["region"] == "上海"
    assert f["source_id"] == "17000000001" and f["lender_name"] == "和信贷"
    assert f["issue"] == "暴力催收,骚扰通讯录" and f["demand"] == "停止骚扰,道歉"
    assert f["amount"] == 5000.0 and f["status"] == "已完成"
    assert f["title"] == "催收员每天给我同事打电话" and f["narrative"].startswith("我只逾期了三天")
    assert not {"投诉人", "手机号"} & set(f) and "138****0000" not in str(f)
    assert b.fields["received"] == dt.date(2025, 11, 4) and b.fields["amount"] == 1200.5
    assert isinstance(c, Rejected) and c.reason == "date without a year '11月5日'"
    assert isinstance(d, Rejected) and d.reason.startswith("relative date '3小时前'")
    assert "手机号" not in d.raw  # contact columns never reach quarantine either


def test_wrapped_json_english_keys_timestamp_and_amount_number():
    a, b = load(FIX / "tousu_wrapped.json")
    assert a.fields["received"] == dt.date(2024, 6, 1) and a.fields["amount"] == 3000.0
    assert a.fields["lender_name"] == "360借條" and a.fields["region"] == "四川"
    assert a.fields["narrative"].startswith("催收人员在电话里辱骂我") and a.fields["source_id"] == "17100000001"
    assert b.fields["received"] == dt.date(2024, 6, 2)  # Unix seconds, Beijing time


def test_json_lines():
    a, b = load(FIX / "tousu_lines.jsonl")
    assert (a.line, b.line) == (1, 2)
    assert a.fields["received"] == dt.date(2023, 8, 15) and a.fields["narrative"].startswith("逾期第二天")
    assert b.fields["lender_name"] == "玖富万卡"


def test_traditional_script_is_kept_and_headers_match():
    a, b = load(FIX / "tousu_traditional.csv")
    assert a.fields["source_id"] == "17300000001" and a.fields["lender_name"] == "和信貸"
    assert a.fields["narrative"] == "催收人員每天打電話給我父母，威脅要告他們。"
    assert a.fields["region"] == "台灣" and b.fields["region"] is None


def test_scraper_blob_is_split_into_fields():
    a, b = load(FIX / "tousu_blob.json")
    f = a.fields
    assert f["received"] == dt.date(2025, 10, 9) and f["lender_name"] == "某*贷App"
    assert f["demand"] == "停止骚扰,道歉赔偿" and f["title"] == "某*贷"
    assert f["narrative"].startswith("借款逾期后") and "[投诉对象]" not in f["narrative"]
    assert f["source_id"] == "17400000001"
    g = b.fields  # fields on one line, empty content: the blob body becomes the narrative
    assert g["lender_name"] == "还呗" and g["demand"] == "协商还款,停止催收"
    assert g["narrative"] == "要求协商还款被拒绝，催收说要联系我老家村委会。"


def test_gb18030_and_utf8_bom_are_detected(tmp_path):
    text = (FIX / "tousu_traditional.csv").read_text(encoding="utf-8")
    for enc in ("gb18030", "utf-8-sig"):
        path = tmp_path / f"export_{enc}.csv"
        path.write_bytes(text.encode(enc))
        assert [o.fields for o in load(path)] == [o.fields for o in load(FIX / "tousu_traditional.csv")]


def test_mojibake_is_repaired(tmp_path):
    text = (FIX / "tousu_lines.jsonl").read_text(encoding="utf-8")
    garbled = text.encode("utf-8").decode("latin-1")  # what a Latin-1 reader made of it
    path = tmp_path / "garbled.jsonl"
    path.write_text(garbled, encoding="utf-8")
    assert [o.fields for o in load(path)] == [o.fields for o in load(FIX / "tousu_lines.jsonl")]


def test_malformed_row_rejected():
    a, b = load(FIX / "tousu_malformed.csv")
    assert isinstance(a, Record)
    assert isinstance(b, Rejected) and b.reason == "malformed row: 3 fields, expected 4" and b.line == 3


@pytest.mark.parametrize("name, content, message", [
    ("empty.json", b"", r"empty\.json: line 1: empty file"),
    ("zip.json", b"PK\x03\x04\x14\x00\x00\x00\x08\x00", r"zip\.json: line 1: binary file"),
    ("labels.csv", "文本,标签\n你好,1\n".encode(), r"labels\.csv: line 1: unknown columns: 文本, 标签"),
    ("latin.csv", "投诉对象,发布时间\n".encode() + b"\xff\xfe\xfd\x80\x81\n",
     r"latin\.csv: line 2: undetectable encoding"),
])
def test_whole_file_problems(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError, match=message):
        load(path)


def test_no_date_column_raises():
    with pytest.raises(SourceError, match=r"tousu_no_date\.jsonl: line 1: no date column"):
        load(FIX / "tousu_no_date.jsonl")


def test_no_parseable_date_raises():
    with pytest.raises(SourceError, match=r"tousu_bad_dates\.csv: line 2: unparseable dates"):
        load(FIX / "tousu_bad_dates.csv")


@pytest.mark.parametrize("value, expected", [
    ("5000元", 5000.0), ("¥1,200.50", 1200.5), ("1.2万", 12000.0), ("3千元", 3000.0), (800, 800.0),
    ("人民币 2.5万元", 25000.0), ("不详", None), (None, None),
])
def test_amounts(value, expected):
    assert parse_amount(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("2025-11-03 12:01", dt.date(2025, 11, 3)), ("2025年11月3日", dt.date(2025, 11, 3)),
    ("2025/11/3", dt.date(2025, 11, 3)), ("2025-02-30", None), ("11月3日", None), ("3小时前", None),
])
def test_dates(value, expected):
    assert tousu.parse_cn_date(value) == expected
