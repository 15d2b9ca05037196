"""AppTest for issue 7: the Leads page lists a planted surge with its sentence and a link that opens the
lender's view; event markers sit on the overview's volume chart; the citation carries the absolute
share link, and opening that link restores the view."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from complaints.events import load_events
from tests.conftest_app import open_expanders, write_test_store

ROOT = Path(__file__).resolve().parent.parent
ENTRY = str(ROOT / "dashboard.py")

# Invented lenders; the first one's complaints triple in October 2025 (the latest complete month:
# the data run to 2025-11-14).
LENDERS = [("demo-lead-a", "甲乙贷", "Alpha Lending", "CN", 60), ("demo-lead-b", "丙丁金融", "Beta Finance", "CN", 50),
           ("demo-lead-c", "Gamma Recovery", "Gamma Recovery", "US", 55)]
SURGE = ("demo-lead-a", "2025-10", 3.0)
FIRST, LAST = date(2024, 1, 1), date(2025, 11, 14)
TACTICS = ("excessive_contact", "abusive_language", "third_party_contact")
TEXTS = {"excessive_contact": "每天打几十个电话", "abusive_language": "电话里辱骂我",
         "third_party_contact": "打电话给我的亲戚朋友"}


def build_leads_store(path: str | Path, seed: int = 3) -> Path:
    """A small demo-flagged store with one planted lender-wide surge (SURGE)."""
    rng = random.Random(seed)
    complaints, tactics = [], []
    day, i = FIRST, 0
    while day <= LAST:
        month = f"{day.year:04d}-{day.month:02d}"
        for lender_id, name_zh, name_en, country, monthly in LENDERS:
            rate = monthly / 30 * (SURGE[2] if (lender_id, month) == SURGE[:2] else 1)
            for _ in range(sum(rng.random() < rate / 4 for _ in range(4 * 3)) if rate > 2.5 else
                           sum(rng.random() < rate for _ in range(1))):
                i += 1
                tactic = rng.choice(TACTICS)
                cn = country == "CN"
                text = TEXTS[tactic] if cn else "they called me every day about the debt"
                complaints.append({
                    "complaint_id": 5_000_000 + i, "source": "tousu" if cn else "cfpb", "source_key": f"l{i}",
                    "received": day, "country": country, "region": None, "zip3": None, "lender_id": lender_id,
                    "lender_name": name_zh if cn else name_en, "product": None, "sub_product": None,
                    "issue": None, "sub_issue": None, "channel": None, "status": None, "public_response": None,
                    "timely_response": None, "consumer_disputed": None, "tags": None,
                    "title": "投诉催收" if cn else None, "demand": None, "amount": None, "narrative": text,
                    "has_narrative": True, "language": "zh-Hans" if cn else "en", "run_id": "leads-test"})
                tactics.append({"complaint_id": 5_000_000 + i, "tactic_id": tactic, "label_source": "text",
                                "field": "narrative", "evidence_start": 0, "evidence_end": 2,
                                "evidence": text[:2], "taxonomy_version": "test"})
        day += timedelta(days=1)
    lenders = pd.DataFrame([{"lender_id": lid, "name_zh": zh, "name_en": en, "country": c, "kind": "online_lender",
                             "aliases": [], "demo": True} for lid, zh, en, c, _ in LENDERS])
    return write_test_store(path, pd.DataFrame(complaints), pd.DataFrame(tactics), lenders, run_id="leads-test",
                            file_name="leads.csv", day="2025-11-15")


@pytest.fixture(scope="session")
def leads_store(tmp_path_factory) -> Path:
    return build_leads_store(tmp_path_factory.mktemp("leads") / "complaints.duckdb")


@pytest.fixture
def app_env(leads_store, monkeypatch):
    monkeypatch.setenv("COMPLAINTS_STORE", str(leads_store))
    return leads_store


def open_app(params: dict | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=90)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        keys = ("lang", "period", "dates", "country", "source", "lender", "tactic", "events", "ev")
        state = {k: at.session_state[k] for k in keys if k in at.session_state}
        for key, value in (params or {}).items():
            at.query_params[key] = value
        at.switch_page(page).run()
        for key, value in state.items():
            at.session_state[key] = value
        at.run()
    return at


def _texts(at: AppTest) -> str:
    parts = [str(e.value) for kind in ("title", "caption", "markdown", "info", "warning") for e in getattr(at, kind)]
    parts += [str(h.proto.body) for h in at.get("html")]   # page headers drawn as HTML
    return "\n".join(parts)


def _lead_links(at: AppTest) -> list[str]:
    return [m.value.split("](", 1)[1].rstrip(")") for m in at.markdown if m.value.startswith("[Open the view")
            or m.value.startswith("[打开视图")]


def test_leads_page_shows_the_planted_surge_with_sentence_and_link(app_env):
    at = open_app({"period": "All time"}, "pages/leads.py")
    assert not at.exception, [e.value for e in at.exception]
    text = _texts(at)
    assert "Complaints about Alpha Lending rose to" in text and "in October 2025" in text
    links = _lead_links(at)
    assert links and links[0].startswith("lenders?")
    query = parse_qs(urlsplit(links[0]).query)
    assert query["lender_profile"] == ["demo-lead-a"]
    assert query["dates"] == ["2025-04-01", "2025-10-31"] and query["period"] == ["Custom dates"]
    sparks = [h.proto.body for h in at.get("html") if "data:image/svg+xml;base64," in h.proto.body]
    assert sparks and "2025-10 " in sparks[0]   # the sparkline, its values in the alt text


def test_leads_page_in_chinese(app_env):
    at = open_app({"period": "All time", "lang": "中文"}, "pages/leads.py")
    assert not at.exception
    assert "2025年10月，针对甲乙贷的投诉升至" in _texts(at)
    assert _lead_links(at)


def test_leads_respect_the_country_filter(app_env):
    at = open_app({"period": "All time", "country": "United States"}, "pages/leads.py")
    assert not at.exception
    assert "Alpha Lending" not in _texts(at)


def test_a_lead_link_opens_the_view_that_shows_the_surge(app_env):
    at = open_app({"period": "All time"}, "pages/leads.py")
    query = parse_qs(urlsplit(_lead_links(at)[0]).query)
    view = open_app({k: v if len(v) > 1 else v[0] for k, v in query.items()}, "pages/lenders.py")
    assert not view.exception, [e.value for e in view.exception]
    assert "Alpha Lending" in _texts(view)
    trend = next(_spec(c) for c in view.get("echarts_chart")
                 if "Alpha Lending" in _spec(c)["title"]["text"] and _spec(c)["xAxis"]["type"] == "time")
    bars = trend["series"][0]["data"]
    months = [day[:7] for day, _ in bars]
    assert months == ["2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10"]
    counts = [n for _, n in bars]
    assert counts[-1] > 2 * max(counts[:-1])   # the surge is what the view shows


def _spec(chart) -> dict:
    import json
    return json.loads(chart.proto.spec)


def _event_days(chart) -> list[str]:
    """The dates of the event lines drawn on a chart's first series."""
    marks = _spec(chart)["series"][0].get("markLine", {}).get("data", [])
    return sorted(m["xAxis"] for m in marks)


def test_overview_volume_chart_has_event_markers(app_env):
    at = open_app({"period": "All time"})
    assert not at.exception
    volume = at.get("echarts_chart")[0]
    in_range = [e for e in load_events() if FIRST <= e.date <= LAST]
    assert in_range   # 2024-05-15 and 2025-02-28 (CN)
    assert _event_days(volume) == sorted(e.date.isoformat() for e in in_range)
    off = open_app({"period": "All time", "events": "false"})
    assert _event_days(off.get("echarts_chart")[0]) == []
    for label, code in (("US", "US"), ("China", "CN")):
        only = open_app({"period": "All time", "ev": label})
        assert _event_days(only.get("echarts_chart")[0]) == sorted(
            e.date.isoformat() for e in in_range if e.jurisdiction == code)


def test_citation_carries_the_share_link_and_the_link_restores_the_view(app_env):
    at = open_app({"period": "Last 3 months", "country": "China"})
    assert not at.exception
    open_expanders(at, "share-open", "cite-open")
    share = next(c.value for c in at.code if "v=" in c.value and "dates=" in c.value)
    citations = [c.value for c in at.code if "Collection Watch" in c.value]
    assert any(c.startswith("@misc{collectionwatch_") and share.replace("%", "\\%") in c for c in citations)
    assert any("Retrieved" in c and c.endswith(share) for c in citations)   # APA
    query = parse_qs(urlsplit(share).query)
    assert len(query["dates"]) == 2 and all(len(d) == 10 for d in query["dates"])
    before = next(m.value for m in at.metric if m.label == "Complaints")
    restored = open_app({k: v if len(v) > 1 else v[0] for k, v in query.items()})
    assert not restored.exception
    assert next(m.value for m in restored.metric if m.label == "Complaints") == before
    assert restored.session_state["country"] == ["CN"]
    assert [str(d) for d in restored.session_state["dates"]] == query["dates"]
