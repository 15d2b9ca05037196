"""The anonymizer's speed-ups for ingest change nothing: the rewritten address regex finds the
spans the original found, and each new gate only skips texts where its regex finds nothing."""

from __future__ import annotations

import random
import re

from complaints import anonymize

ORIGINAL_ADDRESS = re.compile(anonymize._EN_ADDRESS.pattern.replace("[0-9](?>[0-9]{0,5})", "(?>[0-9]{1,6})", 1))

VOCAB = ["my name is", "My name's", "his full name was", "I am called", "I\tam\ncalled", "Name:", "name:",
         "agent named", "collector\nnamed", "a woman named", "xman named", "John", "Smith", "Mary Ann", "O'Neil",
         "J.", "123", "4567", "12", "1234567", "Main", "Street", "St.", "Ave", "N.", "E", "5th", "22nd", "Apt",
         "#4B", "Suite", "100", ",", ".", "\n", " ", "\t", "named", "name", "Name", "called", "I am", "Credit",
         "Bank", "LLC", "P.O. Box 12", "Mr.", "Officer", "-12", "$", "Road", "Blvd", "XXXX", "XX/XX/XXXX",
         "WeChat", "wechat:", "vx", "VX:", "wx", "weixin", "微信", "威信号", "薇x", "abc_123", "lily_chen", "zhang88",
         "DOB", "D.O.B.", "birthday", "Birth date", "born on", "Born\non", "出生日期", "生日", "1990-01-02",
         "01/02/1990", "January 2, 1990", "3 March 1985", "b", "B"]


def texts(n: int = 4000) -> list[str]:
    rnd = random.Random(11)
    return ["".join(rnd.choice(VOCAB) + rnd.choice(["", " ", " ", "\n"]) for _ in range(rnd.randint(2, 25)))
            for _ in range(n)]


def test_address_regex_matches_the_original():
    found = 0
    for text in texts():
        spans = [m.span() for m in anonymize._EN_ADDRESS.finditer(text)]
        assert spans == [m.span() for m in ORIGINAL_ADDRESS.finditer(text)], text
        found += bool(spans)
    assert found > 50  # the generator does produce addresses


def test_cued_name_gate_skips_only_texts_without_a_cued_name():
    skipped = 0
    for text in texts():
        if not anonymize._may_have_cued_name(text):
            skipped += 1
            if "name" in text or "Name" in text:  # the original gate would have run the regex
                assert not anonymize._EN_CUED_NAME.search(text), text
    assert skipped > 500


def test_wechat_and_birth_date_gates_skip_only_texts_without_a_match():
    skipped = found = 0
    for text in texts():
        wechat, dob = list(anonymize._WECHAT_VALUE.finditer(text)), list(anonymize._DOB_VALUE.finditer(text))
        found += bool(wechat) + bool(dob)
        if not anonymize._may_have_wechat(text):
            skipped += 1
            assert not wechat, text
        if not anonymize._may_have_dob(text):
            skipped += 1
            assert not dob, text
    assert skipped > 500 and found > 500
