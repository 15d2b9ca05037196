"""The regulatory timeline: every event is complete, dated, sourced and in CN or US."""

from datetime import date

import pytest

from complaints.events import EventsError, load_events


def test_every_event_is_complete():
    events = load_events()
    assert len(events) >= 6
    for e in events:
        assert isinstance(e.date, date)
        assert e.jurisdiction in {"CN", "US"}
        assert e.title_zh and any("\u4e00" <= ch <= "\u9fff" for ch in e.title_zh)
        assert e.title_en.strip()
        assert e.source.startswith("https://")
    assert events == sorted(events, key=lambda e: (e.date, e.jurisdiction))


def test_known_dates_match_the_research_notes():
    by_date = {(e.date, e.jurisdiction): e for e in load_events()}
    assert "软暴力" in by_date[(date(2019, 4, 9), "CN")].title_zh
    assert "催收非法债务罪" in by_date[(date(2021, 3, 1), "CN")].title_zh
    assert "Regulation F" in by_date[(date(2021, 11, 30), "US")].title_en
    assert "GB/T 45251" in by_date[(date(2025, 2, 28), "CN")].title_zh
    assert "银行业协会" in by_date[(date(2026, 1, 30), "CN")].title_zh
    assert "narratives" in by_date[(date(2026, 8, 14), "US")].title_en


def test_jurisdiction_filter():
    assert {e.jurisdiction for e in load_events(["US"])} == {"US"}
    assert {e.jurisdiction for e in load_events(["CN"])} == {"CN"}
    assert len(load_events(None)) == len(load_events([])) == len(load_events(["CN", "US"]))


def test_malformed_file_fails_loudly(tmp_path):
    bad = tmp_path / "events.toml"
    bad.write_text('[[event]]\ndate = 2020-01-01\njurisdiction = "UK"\ntitle_zh = "x"\n'
                   'title_en = "x"\nsource = "https://example.org"\n', encoding="utf-8")
    with pytest.raises(EventsError, match="jurisdiction"):
        load_events(path=bad)
    bad.write_text('[[event]]\ndate = 2020-01-01\njurisdiction = "US"\ntitle_zh = "x"\n',
                   encoding="utf-8")
    with pytest.raises(EventsError, match="title_en"):
        load_events(path=bad)
