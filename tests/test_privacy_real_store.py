"""Issue 3: a store built from every real file in ../shared/data/real holds no phone number, e-mail,
18-digit resident ID or Luhn-valid card number in any text column.

Files that are not complaint exports (the 黑猫 classifier corpora and the CFPB rule-making comments
carry texts but no dates) are wrapped, in a temp folder, into 黑猫-style JSON lines or a generic
source with a fixed date, so their texts go through the same pipeline. SQL finds the candidates;
the checksums (ID, Luhn) are verified in Python, as RE2 cannot compute them.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import duckdb
import pytest

from complaints import pipeline
from tests.conftest import REAL_DATA

FIXED_DATE = "2025-01-01"

MOBILE_SQL = r"(^|[^0-9])(\+?86[- ]?)?1[3-9][0-9][- ]?[0-9]{4}[- ]?[0-9]{4}([^0-9]|$)"
EMAIL_SQL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
ID_SQL = r"(^|[^0-9])[1-9][0-9]{16}[0-9Xx]([^0-9]|$)"
CARD_SQL = r"(^|[^0-9])[0-9](?:[ -]?[0-9]){12,18}([^0-9]|$)"


def _id_checksum_ok(number: str) -> bool:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(number[:17], weights, strict=True))
    return "10X98765432"[total % 11] == number[17].upper()


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _texts_of_csv(path: Path, column: str | None, index: int | None) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        if column:
            return [row[column] for row in csv.DictReader(fh)]
        return [row[index] for row in csv.reader(fh) if row]


def _wrap_chinese(real: Path, folder: Path) -> list[Path]:
    """Every Chinese text file as 黑猫-style JSON lines with a fixed date (the adapter needs one)."""
    out = []
    chinese = real / "chinese"
    corpora = {p: _texts_of_csv(p, "text", None) for p in chinese.glob("celine_heimao_finance/category_all_labeled.csv")}
    corpora.update({p: _texts_of_csv(p, None, 0) for p in chinese.glob("celine_heimao_finance/mechanism_*.csv")})
    for path, texts in corpora.items():
        target = folder / f"{path.stem}.jsonl"
        with target.open("w", encoding="utf-8") as fh:
            for i, text in enumerate(texts):
                fh.write(json.dumps({"投诉编号": f"{path.stem}-{i}", "发布时间": FIXED_DATE, "投诉对象": "某平台",
                                     "投诉内容": text}, ensure_ascii=False) + "\n")
        out.append(target)
    for path in chinese.glob("heimao_misc/*.jsonl"):
        target = folder / f"{path.stem}.jsonl"
        with path.open(encoding="utf-8") as src, target.open("w", encoding="utf-8") as fh:
            for i, line in enumerate(src):
                if line.strip():
                    fh.write(json.dumps({**json.loads(line), "投诉编号": f"{path.stem}-{i}", "发布时间": FIXED_DATE},
                                        ensure_ascii=False) + "\n")
        out.append(target)
    return out


def _wrap_comments(real: Path, folder: Path) -> tuple[Path, Path] | None:
    comments = real / "other" / "cdcp_cfpb_debt_collection_anprm_comments.jsonl"
    if not comments.exists():
        return None
    target = folder / "comments.jsonl"
    with comments.open(encoding="utf-8") as src, target.open("w", encoding="utf-8") as fh:
        for line in src:
            if line.strip():
                row = json.loads(line)
                fh.write(json.dumps({"ref": row["id"], "day": FIXED_DATE, "story": row["text"]}) + "\n")
    mapping = folder / "comments.toml"
    mapping.write_text('[source]\nname = "cdcp_comments"\ncountry = "US"\n'
                       '[columns]\nsource_id = "ref"\nreceived = "day"\nnarrative = "story"\n', encoding="utf-8")
    return target, mapping


@pytest.fixture(scope="module")
def real_store(tmp_path_factory):
    if not REAL_DATA.is_dir():
        pytest.skip(f"real data folder {REAL_DATA} is absent")
    real = REAL_DATA
    folder = tmp_path_factory.mktemp("real-store")
    with pytest.MonkeyPatch.context() as mp:   # module-scoped: set our own secret, never the user's
        mp.setenv("COMPLAINTS_SECRET_FILE", str(folder / "secret.key"))
        con = _build(real, folder)
    yield con
    con.close()


def _build(real: Path, folder: Path):
    store = folder / "complaints.duckdb"
    cfpb_files = sorted(p for p in (real / "cfpb").rglob("*")
                        if p.is_file() and p.suffix in (".csv", ".gz", ".json", ".zip") and "reference" not in p.parts)
    pipeline.ingest(cfpb_files, "cfpb", store=store, progress=False)
    pipeline.ingest(sorted((real / "chinese" / "heimao_misc").glob("*.json")), "tousu", store=store, progress=False)
    pipeline.ingest(_wrap_chinese(real, folder), "tousu", store=store, progress=False)
    wrapped = _wrap_comments(real, folder)
    if wrapped:
        pipeline.ingest([wrapped[0]], "generic", mapping=wrapped[1], store=store, progress=False)
    return duckdb.connect(str(store), read_only=True)


def _text_columns(con) -> list[tuple[str, str]]:
    rows = con.execute("SELECT table_name, column_name FROM information_schema.columns "
                       "WHERE data_type = 'VARCHAR' AND table_name IN ('complaints', 'complaint_tactics', 'quarantine') "
                       "AND column_name NOT IN ('source_key', 'run_id')").fetchall()
    return [(t, c) for t, c in rows]


def _matches(con, pattern: str) -> list[str]:
    found = []
    for table, column in _text_columns(con):
        found += [v for (v,) in con.execute(
            f'SELECT DISTINCT regexp_extract("{column}", ?) FROM "{table}" WHERE regexp_matches("{column}", ?)',
            [pattern, pattern]).fetchall()]
    return found


def test_the_real_store_holds_texts_from_every_kind_of_file(real_store):
    by_source = dict(real_store.execute("SELECT source, count(*) FROM complaints GROUP BY 1").fetchall())
    assert by_source.get("cfpb", 0) > 50_000
    assert by_source.get("tousu", 0) > 5_000
    assert by_source.get("cdcp_comments", 0) > 500
    assert real_store.execute("SELECT count(*) FROM complaints WHERE has_narrative").fetchone()[0] > 10_000


def test_no_phone_number_or_email_in_any_text_column(real_store):
    assert _matches(real_store, MOBILE_SQL) == []
    assert _matches(real_store, EMAIL_SQL) == []


def test_no_resident_id_with_a_valid_checksum(real_store):
    candidates = [c for m in _matches(real_store, ID_SQL) for c in re.findall(r"[1-9]\d{16}[\dXx]", m)]
    leaked = [c for c in candidates if _id_checksum_ok(c)]
    assert leaked == []


def test_no_luhn_valid_card_number(real_store):
    digits = [re.sub(r"\D", "", m) for m in _matches(real_store, CARD_SQL)]
    leaked = [d for d in digits if 13 <= len(d) <= 19 and _luhn_ok(d)]
    assert leaked == []


def test_checksum_helpers_recognise_real_shapes():
    assert _luhn_ok("4111111111111111") and not _luhn_ok("4111111111111112")
    assert _id_checksum_ok("11010519491231002X") and not _id_checksum_ok("110105194912310021")
