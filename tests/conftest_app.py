"""A small synthetic store for the dashboard tests (AppTest and browser).

Every text here is invented for the tests. Rows are inserted with SQL through store.writer(), so the
fixture does not depend on the ingest pipeline. `python -m tests.conftest_app PATH [ROWS]` builds one
by hand (handy for screenshots).
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from complaints import store

START = date(2021, 1, 1)
END = date(2025, 6, 30)

LENDERS = [  # lender_id, name_zh, name_en, country, kind, aliases, weight
    ("demo-quickcash", "闪电借", "QuickCash", "CN", "online_lender", ["闪电借款", "QC Loans"], 30),
    ("demo-greenleaf", "青叶消费金融", "Greenleaf Consumer Finance", "CN", "consumer_finance", ["青叶消金"], 18),
    ("demo-harbor", "港湾小贷", "Harbor Microcredit", "CN", "online_lender", [], 12),
    ("demo-northstar", "Northstar Recovery", "Northstar Recovery", "US", "collection_agency", ["Northstar"], 20),
    ("demo-pinecrest", "Pinecrest Bank", "Pinecrest Bank", "US", "bank", [], 10),
    ("demo-tiny", "微光借贷", "Glimmer Lending", "CN", "online_lender", [], 1),
]
UNMATCHED = [("未登记小贷公司", "CN"), ("Acme Debt Buyers LLC", "US")]

ZH_EVIDENCE = {
    "excessive_contact": "一天打了几十个电话",
    "abusive_language": "在电话里辱骂我",
    "violence_threats_intimidation": "威胁要上门打断我的腿",
    "threat_arrest_criminal": "说要报警抓我坐牢",
    "third_party_contact": "爆通讯录给我的亲戚朋友",
    "impersonation_authority": "自称是法院工作人员",
    "fake_legal_documents": "发来伪造的律师函",
    "public_shaming_exposure": "把我的照片发到微信群里",
    "workplace_contact": "打电话到我单位",
    "misrepresent_debt_fees": "收取高额的服务费",
}
EN_EVIDENCE = {
    "excessive_contact": "called me eight times a day",
    "abusive_language": "cursed at me on the phone",
    "threat_arrest_criminal": "said I would be arrested",
    "third_party_contact": "called my mother about the debt",
    "contact_after_stop_request": "kept calling after I asked them to stop",
    "inconvenient_time_contact": "called me at 3am",
    "legal_credit_action": "threatened to sue me",
    "misrepresent_debt_fees": "added fees that were never in the contract",
    "workplace_contact": "called my employer",
}
ZH_REGIONS = ["广东", "浙江", "江苏", "四川", "河南", "山东"]
US_REGIONS = ["CA", "TX", "FL", "NY", "GA"]
ZH_STATUS = ["已回复", "已完成", "处理中"]
US_STATUS = ["Closed with explanation", "Closed with monetary relief", "In progress"]


def _narrative(rng: random.Random, country: str) -> tuple[str, list[tuple[str, int, int, str]]]:
    evidence = ZH_EVIDENCE if country == "CN" else EN_EVIDENCE
    tactics = rng.sample(sorted(evidence), k=rng.choice([0, 1, 1, 2, 2, 3]))
    if country == "CN":
        parts = ["我在该平台借款后逾期了几天，"]
        glue = "，"
        end = "。希望平台停止暴力催收。"
    else:
        parts = ["I fell behind on a loan and the collector "]
        glue = ", and "
        end = ". I want them to stop."
    text = parts[0]
    spans = []
    for i, tactic in enumerate(tactics):
        if i:
            text += glue
        start = len(text)
        text += evidence[tactic]
        spans.append((tactic, start, len(text), evidence[tactic]))
    return text + end, spans


def build_test_store(path: str | Path, rows: int = 3000, seed: int = 7) -> Path:
    """Write a synthetic, demo-flagged store at `path` (replacing it) and return the path."""
    rng = random.Random(seed)
    days = (END - START).days
    weights = [w for *_, w in LENDERS] + [3, 3]
    complaints, tactics = [], []
    for i in range(rows):
        k = rng.choices(range(len(weights)), weights=weights)[0]
        if k < len(LENDERS):
            lender_id, name_zh, name_en, country, *_ = LENDERS[k]
            lender_name = name_zh if country == "CN" else name_en
        else:
            lender_id, (lender_name, country) = None, UNMATCHED[k - len(LENDERS)]
        # volume grows over time so trends have a shape
        received = START + timedelta(days=int(days * (rng.random() ** 0.7)))
        has_text = rng.random() < 0.85
        narrative, spans = _narrative(rng, country) if has_text else (None, [])
        complaint_id = 1_000_000 + i
        cn = country == "CN"
        complaints.append({
            "complaint_id": complaint_id, "source": "tousu" if cn else "cfpb", "source_key": f"k{i}",
            "received": received, "country": country,
            "region": rng.choice(ZH_REGIONS if cn else US_REGIONS), "zip3": None if cn else "941",
            "lender_id": lender_id, "lender_name": lender_name,
            "product": rng.choice(["网络贷款", "信用卡"] if cn else ["Debt collection", "Payday loan"]),
            "sub_product": None, "issue": None, "sub_issue": None, "channel": "Web",
            "status": rng.choice(ZH_STATUS if cn else US_STATUS), "public_response": None,
            "timely_response": None, "consumer_disputed": None, "tags": None,
            "title": ("投诉" + lender_name + "暴力催收") if cn else None, "demand": None, "amount": None,
            "narrative": narrative, "has_narrative": has_text,
            "language": (("zh-Hans" if cn else "en") if has_text else None), "run_id": "test-run",
        })
        for tactic, start, end, text in spans:
            tactics.append({"complaint_id": complaint_id, "tactic_id": tactic, "label_source": "text",
                            "field": "narrative", "evidence_start": start, "evidence_end": end,
                            "evidence": text, "taxonomy_version": "test"})
    complaints_df = pd.DataFrame(complaints)
    tactics_df = pd.DataFrame(tactics)
    lenders_df = pd.DataFrame([{"lender_id": lid, "name_zh": zh, "name_en": en, "country": c, "kind": kind,
                                "aliases": aliases, "demo": True}
                               for lid, zh, en, c, kind, aliases, _ in LENDERS])
    return write_test_store(path, complaints_df, tactics_df, lenders_df, run_id="test-run",
                            file_name="synthetic.csv", day="2025-07-01")


def write_test_store(path: str | Path, complaints: pd.DataFrame, tactics: pd.DataFrame, lenders: pd.DataFrame,
                     *, run_id: str, file_name: str, day: str) -> Path:
    """Publish a synthetic store (tests only: the demo and real data go through the pipeline)."""
    path = Path(path)
    with store.writer(path, fresh=True) as con:
        con.register("complaints_df", complaints)
        con.register("tactics_df", tactics)
        con.register("lenders_df", lenders)
        con.execute("INSERT INTO complaints BY NAME SELECT * FROM complaints_df")
        con.execute("INSERT INTO complaint_tactics BY NAME SELECT * FROM tactics_df")
        con.execute("INSERT INTO lenders BY NAME SELECT * FROM lenders_df")
        con.execute("""INSERT INTO ingest_runs (run_id, source, file_name, sha256, started_at, finished_at,
                       rows_read, rows_loaded, code_version, demo)
                       VALUES (?, 'demo', ?, 'ab12', CAST(? AS TIMESTAMP) + INTERVAL 10 HOUR,
                               CAST(? AS TIMESTAMP) + INTERVAL 601 MINUTE, ?, ?, 'test', true)""",
                    [run_id, file_name, day, day, len(complaints), len(complaints)])
        store.set_meta(con, demo="true", taxonomy_version="test")
    return path


def build_demo_store(path: str | Path, rows: int = 5000, seed: int = 3) -> Path:
    """A small build of the real demo corpus (complaints.demo), or the synthetic store without it."""
    try:
        from complaints import demo
    except ImportError:
        return build_test_store(path, rows)
    demo.build(Path(path), rows=rows, seed=seed, until="2026-11", progress=False)
    return Path(path)


@pytest.fixture(scope="session")
def app_store(tmp_path_factory) -> Path:
    """Synthetic store with known lenders (QuickCash, an unmatched name, one below the threshold)."""
    return build_test_store(tmp_path_factory.mktemp("app") / "complaints.duckdb")


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory) -> Path:
    """A ~5,000-row demo build: realistic texts, tactics and lenders."""
    return build_demo_store(tmp_path_factory.mktemp("demo") / "complaints.duckdb")


def open_expanders(at, *keys: str):
    """Open expanders whose content is drawn only once opened (key=..., on_change="rerun"), as a
    click does: set their state and run the script again."""
    for key in keys:
        at.session_state[key] = True
    return at.run()


if __name__ == "__main__":
    print(build_test_store(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3000))
