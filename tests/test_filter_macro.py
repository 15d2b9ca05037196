"""The shared filter macro's text search: case-insensitive for cased terms, literal for everything
(regex metacharacters, % and _ are plain characters), substring matching for Chinese."""

from datetime import date

import duckdb
import pytest

from complaints import QUERIES_DIR
from complaints.store import create_schema

TEXTS = {
    1: "They CALLED my Mother at work",
    2: "fee of $5.00 (late) was added",
    3: "催收员爆通讯录，骚扰我的家人",
    4: "100% of calls were at night_time",
    5: "nothing relevant here",
    6: "STOP calling my Kids, said the collector: \\s is not a Smoking gun",
    7: "the long s: ſtop calling; the Kelvin sign: \u212aids",
}


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    create_schema(con)
    for cid, text in TEXTS.items():
        con.execute("INSERT INTO complaints (complaint_id, source, source_key, received, narrative, has_narrative, run_id) "
                    "VALUES (?, 'test', ?, ?, ?, true, 'r')", [cid, str(cid), date(2024, 1, 1), text])
    con.execute((QUERIES_DIR / "_filtered.sql").read_text(encoding="utf-8"))
    return con


def _search(con, term: str) -> list[int]:
    rows = con.execute("SELECT complaint_id FROM filtered('2000-01-01', '2100-01-01', [], [], [], [], [], false, "
                       "[], [], [], NULL, $q) ORDER BY 1", {"q": term}).fetchall()
    return [r[0] for r in rows]


@pytest.mark.parametrize("term, expected", [
    ("called my mother", [1]),
    ("CALLED MY MOTHER", [1]),
    ("$5.00 (late)", [2]),        # regex metacharacters are literal
    ("5.00 (", [2]),
    ("$5x00", []),               # '.' does not match any character
    ("100%", [4]),               # % is literal, not a wildcard
    ("night_time", [4]),
    ("night-time", []),          # _ is literal too
    ("通讯录", [3]),              # Chinese without word breaks
    ("骚扰我", [3]),
    # matches are those of lower() on both sides: the long s (ſ) stays itself, the Kelvin sign
    # lower-cases to k (RE2's own case folding would treat both differently)
    ("stop calling", [6]),
    ("Stop Calling My kids", [6]),
    ("KIDS", [6, 7]),
    ("\u212aids", [6, 7]),          # the Kelvin sign, then "ids"
    ("ſtop", [7]),
    ("STOP", [6]),
    ("\\S IS", [6]),               # a backslash before an s stays a literal backslash
    ("smoking GUN", [6]),
    ("", [1, 2, 3, 4, 5, 6, 7]),
])
def test_search_terms(con, term, expected):
    assert _search(con, term) == expected
