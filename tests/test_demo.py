"""The demo corpus: plan shape, planted surges, generated files, and stores built through the pipeline."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pytest

from complaints import demo, lenders, store
from complaints.tactics import TACTIC_IDS

ROOT = Path(__file__).resolve().parent.parent
UNTIL = "2026-06"
LATEST = "2026-05"          # the latest complete month for UNTIL
SMALL = 5000

# Real lenders, collectors and platforms an invented demo name must not equal or resemble.
REAL_NAMES_ZH = ("招联", "捷信", "马上消费", "安逸花", "360借条", "奇富", "分期乐", "乐信", "拍拍贷", "信也", "宜人贷",
                 "还呗", "数禾", "有钱花", "度小满", "微粒贷", "微众", "京东", "金条", "白条", "美团", "花呗", "借呗",
                 "蚂蚁", "洋钱罐", "小赢", "你我贷", "嘉银", "玖富", "人人贷", "信而富", "桔子", "省呗", "平安",
                 "宜信", "恒易贷", "中原消费", "兴业消费", "中银消费", "北银消费", "苏宁", "星图", "众安", "携程",
                 "小米", "滴滴", "趣店", "来分期", "51信用卡", "榕树", "维信", "卡卡贷", "小花钱包", "易鑫", "2345",
                 "信用飞", "羊小咩", "松果", "人品贷", "闪银", "中邮消费", "尚诚", "湖北消费", "哈银", "晋商",
                 "锦程", "长银", "海尔", "杭银", "蒙商", "阳光消费", "金美信", "南银", "盛银", "唯品")
REAL_NAMES_EN = ("midland", "encore", "portfolio recovery", "pra group", "lvnv", "resurgent", "cavalry",
                 "jefferson capital", "convergent", "transworld", "ic system", "enhanced recovery", "credit acceptance",
                 "onemain", "enova", "tmx", "affirm", "navient", "synchrony", "capital one", "credence",
                 "diversified consultants", "radius global", "national credit systems", "allied interstate",
                 "receivables performance", "professional finance", "credit collection services", "caine",
                 "harris & harris", "hunter warfield", "sequium", "i.c. system", "asset acceptance", "sherman",
                 "pinnacle", "unifin", "nationwide credit", "alltran", "phoenix financial", "afni", "americollect",
                 "bluestem", "opploans", "elevate", "curo", "speedy cash", "advance america", "ace cash",
                 "check into cash", "lendup", "avant", "lendingclub", "upstart", "discover", "citibank", "wells fargo",
                 "bank of america", "jpmorgan", "chase", "barclays", "comenity", "td bank", "goldman")


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Two builds with the same seed and one plan; the tests share them (each build takes seconds)."""
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COMPLAINTS_SECRET_FILE", str(tmp_path_factory.getbasetemp() / "secret.key"))
        first = folder / "a.duckdb"
        second = folder / "b.duckdb"
        demo.build(first, rows=SMALL, seed=11, until=UNTIL, progress=False, workers=0)
        demo.build(second, rows=SMALL, seed=11, until=UNTIL, progress=False, workers=0)
    return first, second


def test_plan_is_deterministic_and_about_the_requested_size():
    a = demo.plan(5, 200_000, UNTIL)
    b = demo.plan(5, 200_000, UNTIL)
    assert np.array_equal(a.counts, b.counts) and a.surges == b.surges
    assert abs(a.total - 200_000) / 200_000 < 0.03
    assert not np.array_equal(a.counts, demo.plan(6, 200_000, UNTIL).counts)
    assert a.months[0] == (2019, 1) and a.months[-1] == (2026, 6)
    cn = sum(1 for lender in a.lenders if lender.country == "CN")
    assert cn >= 55 and len(a.lenders) - cn >= 35


def test_lender_sizes_are_heavy_tailed():
    p = demo.plan(5, 200_000, UNTIL)
    sizes = np.sort(p.counts.sum(axis=1))[::-1]
    assert sizes[:10].sum() > 0.4 * sizes.sum()     # a few big lenders, a long tail of small ones
    assert sizes[-20:].sum() < 0.05 * sizes.sum()


@pytest.mark.parametrize("seed", [2019, 1, 77])
def test_planted_surges_are_clear_at_the_default_size(seed):
    p = demo.plan(seed, demo.DEFAULT_ROWS, UNTIL)
    assert len(p.surges) >= 8
    latest = [s for s in p.surges if s.month == LATEST]
    assert len(latest) >= 5
    assert {s.direction for s in latest} == {"up", "down"}
    assert any(s.tactic_id for s in latest) and any(s.tactic_id is None for s in latest)
    assert len({s.lender_id for s in latest}) == len(latest)          # one latest-month surge per lender
    months = [demo.month_key(m) for m in p.months]
    ids = [lender.lender_id for lender in p.lenders]
    for s in p.surges:
        assert s.direction in ("up", "down") and s.factor >= 3
        assert s.tactic_id is None or s.tactic_id in TACTIC_IDS
        assert s.baseline >= 10, s
        if s.tactic_id is None:
            li, mi = ids.index(s.lender_id), months.index(s.month)
            before = p.counts[li, mi - 6:mi].mean()
            ratio = p.counts[li, mi] / before
            assert (ratio > 2.2) if s.direction == "up" else (ratio < 0.5), (s, ratio)
    assert json.loads(p.surges_json())[0].keys() >= {"lender_id", "tactic_id", "month", "direction", "factor"}


def test_seasonality_spring_festival_and_us_summer():
    p = demo.plan(3, 400_000, "2026-01")
    cn = np.array([lender.country == "CN" for lender in p.lenders])
    months = [demo.month_key(m) for m in p.months]
    cn_total = p.counts[cn].sum(axis=0)
    us_total = p.counts[~cn].sum(axis=0)
    for year, after, quiet in ((2023, "2023-02", "2022-11"), (2024, "2024-03", "2023-11"), (2025, "2025-02", "2024-11")):
        assert cn_total[months.index(after)] > 1.15 * cn_total[months.index(quiet)], year
    for year in (2022, 2023, 2024):
        assert us_total[months.index(f"{year}-07")] > 1.05 * us_total[months.index(f"{year}-05")]


def test_until_is_validated():
    with pytest.raises(ValueError, match="YYYY-MM"):
        demo.plan(1, 1000, "2026/05")
    with pytest.raises(ValueError, match="2019-08"):
        demo.plan(1, 1000, "2019-03")


def test_demo_lenders_are_invented_and_registered():
    rows = demo.read_demo_lenders()
    assert len(rows) >= 100
    for row in rows:
        assert row["lender_id"].startswith("demo-")
        assert row["kind"] in lenders.KINDS
        # shown names say they are invented, in both languages (a chart image can leave the dashboard)
        assert row["name_zh"].endswith("（演示）") and row["name_en"].endswith("(demo)"), row["lender_id"]
        names = [row["name_zh"], row["name_en"], *row["aliases"].split("|")]
        text = " ".join(names).lower()
        for real in REAL_NAMES_ZH + REAL_NAMES_EN:
            assert real not in text, (row["lender_id"], real)
    registry = lenders.Registry.load(include_demo=True)   # no name collides with a real lender's
    for row in rows:
        lender = registry.lenders[row["lender_id"]]
        assert lender.demo
        for name in [row["name_zh"], row["name_en"], *row["aliases"].split("|")]:
            assert registry.match(name) == row["lender_id"]
    real = lenders.Registry.load(include_demo=False)
    for row in rows:
        for name in [row["name_zh"], row["name_en"], *row["aliases"].split("|")]:
            assert real.match(name) is None, name


def _id_ok(number: str) -> bool:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(d) * w for d, w in zip(number[:17], weights, strict=True)) % 11] == number[17]


def test_generated_files_look_like_the_real_formats(tmp_path):
    p = demo.plan(4, 20_000, UNTIL)
    files = demo.write_files(p, tmp_path, chunk_rows=4000)
    assert len(files["tousu"]) >= 2 and len(files["cfpb"]) >= 2          # chunked
    cn_rows = [json.loads(line) for path in files["tousu"] for line in path.open(encoding="utf-8")]
    with files["cfpb"][0].open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        us_rows = list(reader)
    assert header == list(demo.CFPB_HEADERS) and len(header) == 18
    assert {"投诉编号", "投诉对象", "投诉问题", "投诉要求", "投诉进度", "投诉标题", "发布时间", "地区"} <= cn_rows[0].keys()
    narratives = [r["投诉内容"] for r in cn_rows if "投诉内容" in r]
    assert max(len(t) for t in narratives) <= 600
    assert len(set(narratives)) > 0.95 * len(narratives)              # thousands of distinct texts
    traditional = sum(1 for t in narratives if re.search("[們說這裡還與來錢貸話]", t)) / len(narratives)
    assert 0.10 < traditional < 0.20
    ids = [m for t in narratives for m in re.findall(r"(?<!\d)\d{17}[\dX](?!\d)", t)]
    assert ids and all(_id_ok(i) for i in ids)
    assert any(re.search(r"1[3-9]\d \d{4} \d{4}", t) for t in narratives)
    assert any("QQ" in t for t in narratives) and any("我叫" in t for t in narratives)
    assert any("没有威胁我" in t or "沒有威脅我" in t for t in narratives)
    with_narrative = sum(1 for r in us_rows if r[5]) / len(us_rows)
    assert 0.33 < with_narrative < 0.47
    products = [r[1] for r in us_rows]
    assert products.count("Debt collection") > 0.6 * len(products) and len(set(products)) >= 3
    assert ("Communication tactics", "Frequent or repeated calls") in {(r[3], r[4]) for r in us_rows}
    assert any("My name is" in r[5] for r in us_rows)


def test_same_seed_gives_an_identical_store(builds):
    first, second = builds
    hashes = []
    for path in builds:
        con = duckdb.connect(str(path), read_only=True)
        hashes.append(demo.content_hash(con))
        con.close()
    assert hashes[0] == hashes[1]
    assert first.read_bytes() != b"" and second.exists()


def test_store_is_labelled_and_complete(builds):
    con = store.connect_readonly(builds[0])
    meta = store.get_meta(con)
    assert meta["demo"] == "true" and meta["demo_seed"] == "11" and meta["demo_rows"] == str(SMALL)
    surges = json.loads(meta["demo_surges"])
    assert len(surges) >= 8 and all(s["month"] <= LATEST for s in surges)
    total, matched, sources = con.execute(
        "SELECT count(*), count(lender_id), count(DISTINCT source) FROM complaints").fetchone()
    assert abs(total - SMALL) < 0.05 * SMALL and matched == total and sources == 2
    demo_ids = {r[0] for r in con.execute("SELECT lender_id FROM lenders WHERE demo").fetchall()}
    used = {r[0] for r in con.execute("SELECT DISTINCT lender_id FROM complaints").fetchall()}
    assert used <= demo_ids              # invented numbers never attach to a real company
    untagged = con.execute("SELECT count(*) FROM complaints c WHERE NOT EXISTS "
                           "(SELECT 1 FROM complaint_tactics t WHERE t.complaint_id = c.complaint_id)").fetchone()[0]
    assert 0.2 < untagged / total < 0.5       # complaints with no tactic: fees, refunds, service
    con.close()


def test_no_planted_personal_data_survives(builds):
    con = store.connect_readonly(builds[0])
    for column in ("narrative", "title", "demand"):
        leaks = con.execute(
            f"SELECT {column} FROM complaints WHERE regexp_matches({column}, '1[3-9]\\d{{9}}') "
            f"OR regexp_matches({column}, '[\\w.+-]+@[\\w-]+\\.[\\w.-]+') "
            f"OR regexp_matches({column}, '\\d{{17}}[\\dXx]') "
            f"OR regexp_matches(regexp_replace({column}, '[\\s-]', '', 'g'), '1[3-9]\\d{{9}}') "
            f"OR regexp_matches({column}, '555-01\\d\\d|My name is [A-Z]')").fetchall()
        assert leaks == [], leaks[:3]
    assert con.execute("SELECT count(*) FROM complaints WHERE narrative LIKE '%[PHONE]%'").fetchone()[0] > 0
    con.close()


def test_stats_json_says_demo(builds):
    out = subprocess.run([sys.executable, "-m", "complaints", "stats", "--json", "--store", str(builds[0])],
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert json.loads(out)["demo"] is True


def test_cli_rejects_bad_input_and_real_stores(tmp_path):
    bad = subprocess.run([sys.executable, "-m", "complaints", "demo", "--until", "May 2026",
                          "--store", str(tmp_path / "x.duckdb")], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode != 0 and "YYYY-MM" in bad.stderr and "Traceback" not in bad.stderr
    real = tmp_path / "real.duckdb"
    with store.writer(real) as con:
        con.execute("INSERT INTO complaints (complaint_id, source, source_key, received, has_narrative, run_id) "
                    "VALUES (1, 'cfpb', 'k', DATE '2024-01-01', false, 'r')")
    refused = subprocess.run([sys.executable, "-m", "complaints", "demo", "--rows", "100", "--store", str(real)],
                             capture_output=True, text=True, cwd=ROOT)
    assert refused.returncode == 2 and "real complaints" in refused.stderr


def test_ensure_store_builds_only_when_missing(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(demo, "build", lambda path, **kw: calls.append(path) or Path(path).write_bytes(b"x"))
    target = tmp_path / "store.duckdb"
    assert demo.ensure_store(target) is True and calls == [target]
    assert demo.ensure_store(target) is False and len(calls) == 1
