"""Anonymizer: typed placeholders, what must go, what must stay, keyed hash, ZIP3, audit CLI."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from complaints.anonymize import cn_id_checksum_ok, keyed_hash, luhn_ok, scrub, secret_path, zip3
from complaints.commands.scrub import CORPUS, evaluate, leaked, load_corpus

ROOT = Path(__file__).resolve().parent.parent


def test_seed_case_hexin():
    text = "和信金融暴力催收，威胁爆通讯录，侮辱家人。联系方式：15070879527 3590931873@qq.com"
    out = scrub(text)
    assert "15070879527" not in out and "3590931873" not in out and "@qq.com" not in out
    assert "和信金融" in out and "爆通讯录" in out
    assert out.endswith("联系方式：[PHONE] [EMAIL]")


@pytest.mark.parametrize("phone", [
    "15070879527", "+86 150 7087 9527", "0086-15070879527", "150-7087-9527", "１５０７０８７９５２７",
    "+86-150-7087-9527", "010-62345678", "(0755)87654321", "０７５５－８７６５４３２１", "+852 9123 4567",
    "(852) 6123-4567", "0912-345-678", "+886 912 345 678", "(02)2345-6789", "(555) 234-5678", "555-234-5678",
    "555.234.5678", "+1 555 234 5678", "1-555-234-5678",
])
def test_phones_are_removed(phone):
    out = scrub(f"催收员用{phone}打给我。He called from {phone} again.")
    assert phone not in out
    assert out.count("[PHONE]") == 2


@pytest.mark.parametrize("line", ["400-820-8820", "4008208820", "95588", "95511", "1-800-633-2677", "(888) 555-1212"])
def test_company_service_lines_stay(line):
    assert scrub(f"我打了客服电话{line}没人接") == f"我打了客服电话{line}没人接"


@pytest.mark.parametrize("text, kind, value", [
    ("身份证号110101199003074514被泄露", "ID", "110101199003074514"),
    ("身份证：11010119900307451X", "ID", None),
    ("老身份证号110101900307451还在用", "ID", "110101900307451"),
    ("ID 110101 19900307 4514", "ID", "110101 19900307 4514"),
    ("卡号6222 0212 3456 7890 128被扣款", "CARD", None),
    ("my card 4111-1111-1111-1111 was charged", "CARD", "4111-1111-1111-1111"),
    ("SSN 123-45-6789 was used", "SSN", "123-45-6789"),
    ("护照号码E12345678", "PASSPORT", "E12345678"),
    ("passport number G00790593 was requested", "PASSPORT", "G00790593"),
    ("driver's license S530-4127-8123 was copied", "LICENSE", "S530-4127-8123"),
    ("合同编号HT20230512001", "ACCOUNT", "HT20230512001"),
    ("account number 4410-2298-7731", "ACCOUNT", "4410-2298-7731"),
    ("QQ：123456789", "QQ", "123456789"),
    ("加我扣扣 88776655", "QQ", "88776655"),
    ("微信号zhang_san88", "WECHAT", "zhang_san88"),
    ("VX：lily-chen2020", "WECHAT", "lily-chen2020"),
    ("wx 15070879527", "WECHAT", "15070879527"),
    ("车牌粤B12345被拍", "PLATE", "粤B12345"),
    ("車牌粵BD12345", "PLATE", "粵BD12345"),
    ("出生日期1990年3月7日", "DOB", "1990年3月7日"),
    ("date of birth 03/07/1990", "DOB", "03/07/1990"),
    ("台灣身分證A123456789", "ID", "A123456789"),
    ("香港身份證A123456(7)", "ID", "A123456(7)"),
    ("加我电话一三八一二三四五六七八", "PHONE", "一三八一二三四五六七八"),
    ("两个号码1507087952713812345678都是催收的", "ACCOUNT", "1507087952713812345678"),
])
def test_cued_and_shaped_data_are_removed(text, kind, value):
    out = scrub(text)
    assert f"[{kind}]" in out, out
    if value:
        assert value not in out


def test_checksums():
    assert cn_id_checksum_ok("110101199003074514")
    assert not cn_id_checksum_ok("110101199003074515")
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")


@pytest.mark.parametrize("text, gone, kept", [
    ("我叫张伟，在招联金融借了5000元", "张伟", "招联金融"),
    ("本人李明向捷信借款", "李明", "捷信"),
    ("借款人王秀英于2023年5月12日逾期", "王秀英", "2023年5月12日"),
    ("催收员自称是和信金融的王经理", "王经理", "和信金融"),
    ("陈静女士你好，请尽快还款", "陈静", "女士"),
    ("My name is John Smith and Midland Credit called", "John Smith", "Midland Credit"),
    ("Mr. Garcia from Capital One threatened me", "Garcia", "Capital One"),
    ("Please stop.\nSincerely,\nJane Doe", "Jane Doe", "Sincerely"),
    ("家住深圳市南山区科技园路123号5栋2单元1203室", "科技园路123号", "深圳"),
    ("住在北京建国路88号院3号楼", "建国路88号", "北京"),
    ("阳光花园5栋2单元301室", "5栋2单元301室", None),
    ("I live at 1234 Main Street, Apt 5B in Houston", "1234 Main Street", "Houston"),
])
def test_names_and_addresses(text, gone, kept):
    out = scrub(text)
    assert gone not in out, out
    if kept:
        assert kept in out


@pytest.mark.parametrize("text", [
    "2023年5月12日借款12,000元，2023-05-12到期，逾期费用￥2,380.50，年化利率36%。",
    "On 05/12/2023 Midland Credit Management demanded $1,250.00 and {$87.45} in fees on XX/XX/XXXX.",
    "XXXX called me at XXXX XXXX XXXX about account XXXX.",
    "手机号176********一直被催收，尾号5565的卡也被扣款",
    "本人查询征信，发现有一笔借款，本人任何信息都不同意泄露，本人向平台提出维权。",
    "In 2019, I paid 15000 dollars; the statute of limitations under the FDCPA is 3 years.",
    "欠款 100000 200000 300000 元分三期",
    "1 3 4 5 6 7 8 10 11 月都按时还了",
    "请拨打95588或400-820-8820，12 CFR 1006.10 1006.26 1006.42 规定",
    "Mr Cooper serviced the loan; a company named OneMain Financial bought it.",
])
def test_analysis_terms_stay(text):
    assert scrub(text) == text


def test_empty_and_none():
    assert scrub(None) is None
    assert scrub("") == ""
    assert scrub("没有任何个人信息的投诉") == "没有任何个人信息的投诉"


# ------------------------------------------------------------------------------------------ corpus

@pytest.fixture(scope="module")
def corpus_result():
    items = load_corpus(CORPUS)
    return items, evaluate(items)


def test_corpus_is_large_and_trilingual(corpus_result):
    items, result = corpus_result
    assert len(items) >= 300
    assert {"zh-Hans", "zh-Hant", "en"} <= set(result["languages"])
    assert all(result["languages"][lang] >= 50 for lang in ("zh-Hans", "zh-Hant", "en"))
    kinds = {e["kind"] for item in items for e in item["remove"]}
    assert {"PHONE", "EMAIL", "QQ", "WECHAT", "ID", "CARD", "SSN", "ACCOUNT", "PASSPORT", "LICENSE", "PLATE",
            "ADDRESS", "NAME", "DOB"} <= kinds


@pytest.mark.parametrize("kind", ["PHONE", "EMAIL", "ID", "CARD", "QQ", "WECHAT"])
def test_corpus_zero_leaks(corpus_result, kind):
    _, result = corpus_result
    leaks = [leak for leak in result["leaks"] if leak["kind"] == kind]
    assert leaks == []
    assert result["recall"][kind]["recall"] == 1.0


@pytest.mark.parametrize("kind", ["NAME", "ADDRESS"])
def test_corpus_names_and_addresses_recall(corpus_result, kind):
    _, result = corpus_result
    assert result["recall"][kind]["recall"] >= 0.95


@pytest.mark.parametrize("kind", ["lender", "amount"])
def test_corpus_lenders_and_amounts_kept(corpus_result, kind):
    _, result = corpus_result
    assert result["keep"][kind]["keep_rate"] >= 0.99


def test_corpus_keep_rate_overall(corpus_result):
    _, result = corpus_result
    assert result["overall"]["keep_rate"] >= 0.99


def test_leak_check_sees_reformatted_numbers():
    assert leaked("150 7087 9527", "电话15070879527")
    assert not leaked("150 7087 9527", "电话[PHONE]")


# ------------------------------------------------------------------------------------------ hash, zip

def test_keyed_hash_is_stable_secret_and_outside_repo():
    h1, h2 = keyed_hash("3590931"), keyed_hash("3590931")
    assert h1 == h2 and len(h1) == 64 and int(h1, 16) >= 0
    assert keyed_hash("3590932") != h1
    assert "3590931" not in h1
    path = secret_path()
    assert path.exists() and path == Path(os.environ["COMPLAINTS_SECRET_FILE"])
    assert ROOT not in path.resolve().parents
    assert path.stat().st_mode & 0o077 == 0


def test_keyed_hash_depends_on_key(tmp_path, monkeypatch):
    before = keyed_hash("12345")
    monkeypatch.setenv("COMPLAINTS_SECRET_FILE", str(tmp_path / "other" / "secret.key"))
    after = keyed_hash("12345")
    assert (tmp_path / "other" / "secret.key").exists()
    assert before != after


@pytest.mark.parametrize("raw, expected", [
    ("90210", "902"), ("02127", "021"), ("2127", "021"), ("021XX", "021"), ("90210-1234", "902"),
    ("XXXXX", None), ("", None), (None, None), ("NA", None), ("None", None), ("12", None),
])
def test_zip3(raw, expected):
    assert zip3(raw) == expected


# ------------------------------------------------------------------------------------------ CLI

def _cli(*args, stdin=""):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "complaints", "scrub", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=60)


def test_cli_scrubs_json_lines_in_order():
    lines = [{"id": 1, "text": "电话15070879527", "extra": "x"}, {"id": "b", "text": "Call (555) 234-5678"},
             {"id": 3, "text": None}]
    res = _cli(stdin="".join(json.dumps(obj, ensure_ascii=False) + "\n" for obj in lines))
    assert res.returncode == 0, res.stderr
    out = [json.loads(line) for line in res.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, "b", 3]
    assert out[0] == {"id": 1, "text": "电话[PHONE]", "extra": "x"}
    assert out[1]["text"] == "Call [PHONE]"
    assert out[2]["text"] is None


def test_cli_bad_json_names_the_line():
    res = _cli(stdin='{"id": 1, "text": "ok"}\n{"id": 2, "text": \n')
    assert res.returncode != 0
    assert "line 2" in res.stderr
    assert "Traceback" not in res.stderr
    assert res.stdout.count("\n") == 1


def test_cli_evaluate_writes_dated_table(tmp_path):
    out = tmp_path / "eval.json"
    res = _cli("--evaluate", "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert "PHONE" in res.stdout and "keep" in res.stdout.lower()
    table = json.loads(out.read_text(encoding="utf-8"))
    assert table["date"] and table["texts"] >= 300
    assert table["recall"]["PHONE"]["recall"] == 1.0
    assert "lender" in table["keep"]


def test_committed_eval_table_is_current():
    table = json.loads((ROOT / "data" / "anonymization_eval.json").read_text(encoding="utf-8"))
    assert table["texts"] == len(load_corpus(CORPUS))
    assert set(table["recall"]) >= {"PHONE", "EMAIL", "ID", "CARD", "NAME", "ADDRESS"}
