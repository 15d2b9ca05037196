"""Scrub the free text of every real file in ../shared/data/real: nothing identifying survives,
and CFPB's own masks and amounts are left alone. The files are read in place, never copied."""

import json
import re

import pandas as pd
import pytest

from complaints.anonymize import cn_id_checksum_ok, luhn_ok, scrub

pytestmark = pytest.mark.real_data

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
ID18 = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
CARD = re.compile(r"(?<![\d\-])(?:\d[ \-]?){12,18}\d(?![\d\-])")
TEXT_NAME = re.compile(r"narrative|^text$|title|summary|demand|详情|标题|要求|content", re.I)


def _leaks(text: str) -> list[str]:
    flat = text.translate(_FULLWIDTH)
    found = MOBILE.findall(flat) + EMAIL.findall(flat)
    found += [m for m in ID18.findall(flat) if cn_id_checksum_ok(m.upper())]
    for m in CARD.findall(flat):
        digits = re.sub(r"\D", "", m)
        if 13 <= len(digits) <= 19 and luhn_ok(digits):
            found.append(m)
    return found


def _strings(obj):
    """Free-text values of a JSON record: strings longer than a code or a label."""
    if isinstance(obj, str):
        if len(obj) > 20:
            yield obj
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from _strings(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _strings(value)


def _texts(path):
    name = path.name
    if name.endswith((".csv", ".csv.gz")):
        frame = pd.read_csv(path, dtype=str, on_bad_lines="skip", encoding_errors="replace")
        columns = [c for c in frame.columns if TEXT_NAME.search(str(c))]
        if not columns and any(len(str(c)) > 30 for c in frame.columns):
            # header-less files (text,label): the "header" is a complaint; read again without one
            frame = pd.read_csv(path, dtype=str, header=None, on_bad_lines="skip", encoding_errors="replace")
            columns = [c for c in frame.columns if frame[c].dropna().str.len().mean() > 20]
        for column in columns:
            yield from frame[column].dropna()
    elif name.endswith(".jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield from _strings(json.loads(line))
    elif name.endswith(".json"):
        yield from _strings(json.loads(path.read_text(encoding="utf-8")))


def _data_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name.endswith((".csv", ".csv.gz", ".json", ".jsonl"))
                  and "reference" not in p.parts)


def test_no_contact_data_survives_in_real_files(real_data):
    files = _data_files(real_data)
    assert files
    leaks, scrubbed = [], 0
    for path in files:
        for text in _texts(path):
            out = scrub(text)
            scrubbed += 1
            for leak in _leaks(out):
                leaks.append(f"{path.name}: {leak}")
    assert scrubbed > 10_000
    assert leaks == []


def test_cfpb_masks_amounts_and_dates_stay(real_data):
    frame = pd.read_csv(real_data / "cfpb" / "debt_collection" / "cfpb_debt_collection_narratives_labeled.csv.gz",
                        dtype=str)
    narratives = frame["consumer_complaint_narrative"].dropna().tolist()
    amount = re.compile(r"\{\$[\d,]+\.\d\d\}|\$[\d,]+(?:\.\d\d)?")
    date = re.compile(r"XX/XX/(?:XXXX|\d{4})|\d{1,2}/\d{1,2}/\d{2,4}")
    changed = 0
    for text in narratives:
        out = scrub(text)
        changed += out != text
        assert amount.findall(out) == amount.findall(text)
        assert date.findall(out) == date.findall(text)
        assert out.count("XXXX") == text.count("XXXX")
    # CFPB already scrubbed these narratives: ours should touch almost none of them
    assert changed / len(narratives) < 0.03


def test_chinese_platform_masks_stay(real_data):
    frame = pd.read_csv(real_data / "chinese" / "celine_heimao_finance" / "category_all_labeled.csv", dtype=str)
    texts = frame["text"].dropna().tolist()
    mask = re.compile(r"\d{2,4}\*{4,}\d*")
    changed = 0
    for text in texts:
        out = scrub(text)
        changed += out != text
        assert len(mask.findall(out)) == len(mask.findall(text)), text[:80]
    assert changed / len(texts) < 0.03
