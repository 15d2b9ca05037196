"""Citations: plain, APA and valid BibTeX carrying the view's absolute share link."""

import re
from datetime import date

from complaints.cite import bibtex_key, citation

URL = "https://collection.watch/lenders?lender_profile=demo-yinhe&start=2026-04-01&end=2026-10-31"


def _parse_bibtex(text):
    """A strict little parser: @type{key, name = {balanced}, ...}. Returns (type, key, fields)."""
    m = re.match(r"@(\w+)\{([^,\s{}]+),", text)
    assert m, text
    fields, i = {}, m.end()
    while True:
        m2 = re.compile(r"\s*(\w+)\s*=\s*\{").match(text, i)
        if not m2:
            break
        depth, j = 1, m2.end()
        while depth:
            ch = text[j]
            if ch == "\\":
                j += 2
                continue
            depth += {"{": 1, "}": -1}.get(ch, 0)
            j += 1
        fields[m2.group(1)] = text[m2.end():j - 1]
        i = j
        m3 = re.compile(r"\s*,").match(text, i)
        if m3:
            i = m3.end()
    assert text[i:].strip() == "}", text[i:]
    return m.group(1), m.group(2), fields


def _unescaped(value, char):
    return re.search(r"(?<!\\)" + re.escape(char), value) is not None


def test_apa_plain_and_share_link():
    c = citation("Lenders · 放贷机构", "20261129T101500Z-3fa2c1", date(2026, 11, 29), URL)
    assert c["apa"] == ("Collection Watch. (2026). Lenders · 放贷机构 [Data set, version "
                        "20261129T101500Z-3fa2c1]. Retrieved November 29, 2026, from " + URL)
    assert URL in c["plain"] and "2026-11-29" in c["plain"] and "20261129T101500Z-3fa2c1" in c["plain"]
    assert "start=2026-04-01" in c["apa"] and "end=2026-10-31" in c["apa"]


def test_bibtex_is_valid_and_escaped():
    title = "Leads {draft} 100% & #1 in_scope $x"
    url = URL + "&q=%E5%82%AC"
    c = citation(title, "20261129T101500Z-3fa2c1", date(2026, 11, 29), url)
    kind, key, fields = _parse_bibtex(c["bibtex"])
    assert kind == "misc"
    assert key == "collectionwatch_20261129_20261129T101500Z3fa2c1" == bibtex_key(
        "20261129T101500Z-3fa2c1", date(2026, 11, 29))
    assert {"author", "title", "year", "url", "urldate", "note"} <= fields.keys()
    assert fields["year"] == "2026" and fields["urldate"] == "2026-11-29"
    for char in "%&#$_":
        assert not _unescaped(fields["title"], char), char
    assert r"\{draft\}" in fields["title"]
    assert not _unescaped(fields["url"], "%") and fields["url"].replace("\\", "") == url


def test_year_falls_back_to_access_date_and_braces_in_url_stay_balanced():
    c = citation("Overview", "dev", date(2027, 1, 5), "https://x.org/?a={b}")
    assert "(2027)" in c["apa"] and "Retrieved January 5, 2027" in c["apa"]
    _, key, fields = _parse_bibtex(c["bibtex"])
    assert key == "collectionwatch_20270105_dev"
    assert "{" not in fields["url"]
