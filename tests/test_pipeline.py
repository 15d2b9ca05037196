"""Pipeline with a stand-in adapter: counts reconcile, dedupe, quarantine, labels, demo/real guard."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

import pytest

from complaints import anonymize, pipeline, store, tactics
from complaints.record import Record, Rejected, SourceError

PHONE = "13812345678"


class FakeRegistry:
    def match(self, name):
        return {"ACME LENDING": "acme", "捷X金融": "jiex"}.get(name)

    def rows(self):
        return [{"lender_id": "acme", "name_en": "Acme Lending", "name_zh": None, "country": "US",
                 "kind": "online_lender", "aliases": ["ACME LENDING"], "demo": False},
                {"lender_id": "jiex", "name_en": None, "name_zh": "捷X金融", "country": "CN",
                 "kind": "consumer_finance", "aliases": [], "demo": False}]


def make_rows(n: int, *, id_offset: int = 0, bad_every: int = 0, dup_every: int = 0):
    """n adapter items: Records with ids, some Rejected, some repeating an earlier id."""
    items = []
    for i in range(n):
        row = i + 1
        if bad_every and i % bad_every == bad_every - 1:
            items.append(Rejected(row, f"unparseable date 'x{i}' in Date received",
                                  {"Date received": f"x{i}", "Phone": PHONE, "Narrative": f"call {PHONE}"}, row + 1))
            continue
        sid = i - 1 if dup_every and i % dup_every == dup_every - 1 else i
        narrative = f"They called my mother and 爆通讯录, my number {PHONE}" if i % 2 == 0 else None
        items.append(Record(row, {
            "source_id": str(sid + id_offset), "received": dt.date(2021, 1, 1) + dt.timedelta(days=sid % 300),
            "country": "US", "region": "CA", "zip": "94110", "lender_name": "ACME LENDING" if i % 3 else "Other Co",
            "product": "Debt collection", "issue": "Communication tactics",
            "sub_issue": "Frequent or repeated calls" if i % 4 == 0 else None, "narrative": narrative,
            "title": None, "timely_response": True, "amount": 12.5,
        }, row + 1))
    return items


@pytest.fixture
def fake_source(monkeypatch, tmp_path):
    """Files whose content is a Python list of adapter items, keyed by path."""
    contents: dict[str, list] = {}

    def read_source(source, path, mapping=None):
        items = contents[str(path)]
        for item in items:
            if isinstance(item, Exception):
                raise item
            yield item

    monkeypatch.setattr(pipeline, "read_source", read_source)
    monkeypatch.setattr(pipeline, "load_registry", lambda include_demo: FakeRegistry())

    def add(name: str, items: list):
        path = tmp_path / name
        path.write_text(name)  # the pipeline hashes the file; content here is irrelevant
        contents[str(path)] = items
        return path

    return add


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(db, sql):
    con = store.connect_readonly(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_complaint_id_is_stable_and_63_bit():
    a = pipeline.complaint_id("cfpb", "abc")
    assert a == pipeline.complaint_id("cfpb", "abc")
    assert a != pipeline.complaint_id("tousu", "abc")
    assert 0 <= a < 2**63
    expected = int.from_bytes(hashlib.sha256(b"cfpbabc").digest()[:8], "big") & (2**63 - 1)
    assert a == expected


def test_source_key_hashes_id_or_content():
    with_id = pipeline.source_key("cfpb", {"source_id": "123"})
    # A keyed digest of the id, never the id itself. (Not `"123" not in with_id`: the key is secret and
    # differs per install, and about 1 in 66 of them puts "123" somewhere in the hex digest.)
    assert with_id == anonymize.keyed_hash("cfpb:123") and re.fullmatch("[0-9a-f]{64}", with_id)
    assert with_id != pipeline.source_key("cfpb", {"source_id": "124"})
    assert with_id == pipeline.source_key("cfpb", {"source_id": " 123 "})
    content = {"received": dt.date(2020, 1, 1), "lender_name": "A", "narrative": "n"}
    assert pipeline.source_key("tousu", content) == pipeline.source_key("tousu", dict(content))
    assert pipeline.source_key("tousu", content) != pipeline.source_key("tousu", {**content, "narrative": "m"})


def test_region_stops_at_province_or_state():
    assert pipeline.province_region("广东省深圳市南山区") == "广东"
    assert pipeline.province_region("内蒙古自治区呼和浩特市") == "内蒙古"
    assert pipeline.province_region("深圳市") is None
    assert pipeline.province_region("CA") == "CA"
    assert pipeline.province_region("12 Main Street") is None
    assert pipeline.province_region(None) is None


def test_received_validation():
    tomorrow = dt.date(2026, 1, 2)
    assert pipeline.received_problem(dt.date(2026, 1, 1), tomorrow) is None
    assert "missing" in pipeline.received_problem(None, tomorrow)
    assert "before 2000" in pipeline.received_problem(dt.date(1999, 12, 31), tomorrow)
    assert "future" in pipeline.received_problem(dt.date(2026, 1, 3), tomorrow)
    assert "not a date" in pipeline.received_problem("2020-01-01", tomorrow)


def test_quarantine_json_drops_contacts_and_scrubs():
    raw = {"姓名": "张三", "手机号": PHONE, "Email address": "a@b.com", "Consumer name": "X",
           "ID number": "1", "Company": "ACME", "Narrative": f"call me {PHONE}", "source_id": "99",
           "received": dt.date(2020, 1, 1), "amount": 3.0}
    data = json.loads(pipeline.quarantine_json(raw))
    assert set(data) == {"Company", "Narrative", "received", "amount"}
    assert PHONE not in data["Narrative"]
    assert data["received"] == "2020-01-01"


def test_ingest_counts_reconcile_and_reingest_adds_nothing(fake_source, tmp_path):
    db = tmp_path / "s.duckdb"
    path = fake_source("a.csv", make_rows(500, bad_every=50, dup_every=25))
    [first] = pipeline.ingest([path], "cfpb", store=db, progress=False)
    assert first.rows_read == 500
    assert first.rows_quarantined == 10
    assert first.rows_duplicate == 10   # every 25th row repeats the previous id (half of them are rejected)
    assert first.rows_loaded == 480
    assert first.reconciles()
    [again] = pipeline.ingest([path], "cfpb", store=db, progress=False)
    assert (again.rows_loaded, again.rows_duplicate, again.rows_quarantined) == (0, 490, 10)
    assert query(db, "SELECT count(*), count(DISTINCT complaint_id) FROM complaints") == [(480, 480)]
    runs = query(db, "SELECT file_name, rows_read, rows_loaded, rows_duplicate, rows_quarantined, demo, "
                     "code_version, length(sha256) FROM ingest_runs ORDER BY started_at")
    assert runs[0][:6] == ("a.csv", 500, 480, 10, 10, False)
    assert runs[1][:6] == ("a.csv", 500, 0, 490, 10, False)
    assert runs[0][6].startswith("0.") and runs[0][7] == 64


def test_overlapping_export_loads_only_new_rows(fake_source, tmp_path):
    db = tmp_path / "s.duckdb"
    a = fake_source("a.csv", make_rows(300))
    b = fake_source("b.csv", make_rows(300, id_offset=200))  # ids 200..499: 100 overlap
    reports = pipeline.ingest([a, b], "cfpb", store=db, progress=False)
    assert [(r.rows_loaded, r.rows_duplicate) for r in reports] == [(300, 0), (200, 100)]


def test_duplicates_across_batches_of_one_file(fake_source, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_ROWS", 7)
    db = tmp_path / "s.duckdb"
    items = make_rows(40) + make_rows(40)[::-1]
    for i, item in enumerate(items):
        item.row_number = i + 1
    [report] = pipeline.ingest([fake_source("a.csv", items)], "cfpb", store=db, progress=False)
    assert (report.rows_loaded, report.rows_duplicate) == (40, 40)


def test_stored_rows_are_scrubbed_labelled_and_matched(fake_source, tmp_path):
    db = tmp_path / "s.duckdb"
    pipeline.ingest([fake_source("a.csv", make_rows(40, bad_every=10))], "cfpb", store=db, progress=False)
    rows = query(db, "SELECT narrative, zip3, region, lender_id, lender_name, language, has_narrative "
                     "FROM complaints")
    assert not any(PHONE in (r[0] or "") for r in rows)
    assert {r[1] for r in rows} == {"941"}
    assert {r[3] for r in rows} == {"acme", None}
    assert all(r[3] == ("acme" if r[4] == "ACME LENDING" else None) for r in rows)
    assert {(r[5], r[6]) for r in rows} == {("zh-Hans", True), (None, False)}
    labels = query(db, "SELECT t.label_source, t.field, t.evidence_start, t.evidence_end, t.evidence, "
                       "t.taxonomy_version, c.narrative, c.sub_issue FROM complaint_tactics t "
                       "JOIN complaints c USING (complaint_id)")
    assert {r[0] for r in labels} == {"text", "sub_issue"}
    for source, field, start, end, evidence, version, narrative, sub_issue in labels:
        assert version == tactics.taxonomy_version()
        if source == "text":
            assert field == "narrative" and narrative[start:end] == evidence
        else:
            assert field == "sub_issue" and evidence == sub_issue
    quarantined = query(db, "SELECT row_number, line, reason, row_json FROM quarantine")
    assert len(quarantined) == 4
    assert all(PHONE not in q[3] and "Phone" not in q[3] for q in quarantined)
    assert query(db, "SELECT lender_id FROM lenders ORDER BY 1") == [("acme",), ("jiex",)]
    meta = dict(query(db, "SELECT key, value FROM meta"))
    assert meta["demo"] == "false" and meta["taxonomy_version"] == tactics.taxonomy_version()


def test_bad_dates_are_quarantined(fake_source, tmp_path):
    db = tmp_path / "s.duckdb"
    items = make_rows(3)
    items[0].fields["received"] = dt.date(1999, 5, 1)
    items[1].fields["received"] = dt.date.today() + dt.timedelta(days=30)
    items[2].fields["received"] = None
    [report] = pipeline.ingest([fake_source("a.csv", items)], "cfpb", store=db, progress=False)
    assert (report.rows_loaded, report.rows_quarantined) == (0, 3)
    reasons = [r[0] for r in query(db, "SELECT reason FROM quarantine ORDER BY row_number")]
    assert "before 2000" in reasons[0] and "future" in reasons[1] and "missing" in reasons[2]


def test_failure_mid_load_leaves_store_unchanged(fake_source, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_ROWS", 50)
    db = tmp_path / "s.duckdb"
    pipeline.ingest([fake_source("a.csv", make_rows(100))], "cfpb", store=db, progress=False)
    before = sha(db)
    broken = make_rows(300, id_offset=1000)
    broken.insert(200, RuntimeError("disk on fire"))
    with pytest.raises(RuntimeError):
        pipeline.ingest([fake_source("ok.csv", make_rows(100, id_offset=5000)), fake_source("b.csv", broken)],
                        "cfpb", store=db, progress=False)
    assert sha(db) == before
    assert not list(tmp_path.glob("s.duckdb.building-*"))
    assert query(db, "SELECT count(*) FROM complaints") == [(100,)]


def test_failure_after_an_intermediate_commit_leaves_store_unchanged(fake_source, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_ROWS", 20)
    monkeypatch.setattr(pipeline, "COMMIT_ROWS", 40)  # commits inside the private copy, then a failure
    db = tmp_path / "s.duckdb"
    pipeline.ingest([fake_source("a.csv", make_rows(30))], "cfpb", store=db, progress=False)
    before = sha(db)
    broken = make_rows(200, id_offset=1000)
    broken.insert(150, RuntimeError("disk on fire"))
    with pytest.raises(RuntimeError):
        pipeline.ingest([fake_source("b.csv", broken)], "cfpb", store=db, progress=False)
    assert sha(db) == before
    assert query(db, "SELECT count(*) FROM complaints") == [(30,)]


def test_source_error_in_second_file_publishes_nothing(fake_source, tmp_path):
    db = tmp_path / "s.duckdb"
    pipeline.ingest([fake_source("a.csv", make_rows(10))], "cfpb", store=db, progress=False)
    before = sha(db)
    bad = fake_source("bad.csv", [SourceError("bad.csv: line 1: unknown columns: foo")])
    with pytest.raises(SourceError):
        pipeline.ingest([fake_source("c.csv", make_rows(10, id_offset=50)), bad], "cfpb", store=db,
                        progress=False)
    assert sha(db) == before


def test_demo_and_real_data_never_mix(fake_source, tmp_path):
    db = tmp_path / "s.duckdb"
    pipeline.ingest([fake_source("demo.csv", make_rows(10))], "cfpb", store=db, demo=True, fresh=True,
                    progress=False, meta={"demo_seed": "7"})
    meta = dict(query(db, "SELECT key, value FROM meta"))
    assert meta["demo"] == "true" and meta["demo_seed"] == "7"
    assert query(db, "SELECT bool_and(demo) FROM ingest_runs") == [(True,)]
    before = sha(db)
    with pytest.raises(pipeline.IngestError, match="--store"):
        pipeline.ingest([fake_source("real.csv", make_rows(10, id_offset=99))], "cfpb", store=db, progress=False)
    assert sha(db) == before
    # fresh=True replaces the demo store with a real one
    pipeline.ingest([fake_source("real2.csv", make_rows(5))], "cfpb", store=db, fresh=True, progress=False)
    assert dict(query(db, "SELECT key, value FROM meta"))["demo"] == "false"
    with pytest.raises(pipeline.IngestError, match="--store"):
        pipeline.ingest([fake_source("demo2.csv", make_rows(3))], "cfpb", store=db, demo=True, progress=False)


def test_worker_pool_gives_the_same_store_as_inline(fake_source, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_ROWS", 100)
    items = make_rows(1000, bad_every=70, dup_every=30)
    inline, pooled = tmp_path / "inline.duckdb", tmp_path / "pooled.duckdb"
    [a] = pipeline.ingest([fake_source("a.csv", items)], "cfpb", store=inline, progress=False, workers=0)
    [b] = pipeline.ingest([fake_source("a.csv", items)], "cfpb", store=pooled, progress=False, workers=2)
    assert (a.rows_loaded, a.rows_duplicate, a.rows_quarantined) == \
        (b.rows_loaded, b.rows_duplicate, b.rows_quarantined)
    sql = "SELECT complaint_id, narrative, language, lender_id FROM complaints ORDER BY 1"
    assert query(inline, sql) == query(pooled, sql)
    sql = "SELECT complaint_id, tactic_id, label_source, evidence_start FROM complaint_tactics ORDER BY ALL"
    assert query(inline, sql) == query(pooled, sql)
    # re-ingest through the pool: workers skip rows the published store holds
    [c] = pipeline.ingest([fake_source("a.csv", items)], "cfpb", store=pooled, progress=False, workers=2)
    assert (c.rows_loaded, c.rows_duplicate, c.rows_quarantined) == \
        (0, b.rows_loaded + b.rows_duplicate, b.rows_quarantined)


def test_reclassify_rebuilds_labels(fake_source, tmp_path):
    db = tmp_path / "s.duckdb"
    pipeline.ingest([fake_source("a.csv", make_rows(60))], "cfpb", store=db, progress=False)
    sql = "SELECT complaint_id, tactic_id, label_source, field, evidence_start, evidence FROM complaint_tactics ORDER BY ALL"
    before = query(db, sql)
    assert before
    con = store.connect_readonly(db)
    con.close()
    with store.writer(db) as con:
        con.execute("DELETE FROM complaint_tactics")
    assert query(db, sql) == []
    counts = pipeline.reclassify(db, progress=False)
    assert counts["complaints"] == 60
    assert query(db, sql) == before


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(pipeline.IngestError, match="nope.csv"):
        pipeline.ingest([tmp_path / "nope.csv"], "cfpb", store=tmp_path / "s.duckdb", progress=False)


def test_keyed_hashes_match_keyed_hash_one_by_one():
    from complaints import anonymize

    values = ["cfpb:1", "cfpb:2", "tousu:content:abc", "x" * 500, "和信贷:9"]
    assert anonymize.keyed_hashes(values) == [anonymize.keyed_hash(v) for v in values]


def test_source_keys_of_a_batch_match_source_key_row_by_row():
    rows = [{"source_id": " 7 "}, {"source_id": 8}, {"source_id": "  "}, {"source_id": None},
            {"received": dt.date(2020, 1, 2), "lender_name": "A", "narrative": "n", "product": None}]
    names = ["source_id", "received", "lender_name", "product", "issue", "narrative"]
    columns = {k: [r.get(k) for r in rows] for k in names}
    assert pipeline._source_keys("cfpb", columns, len(rows)) == [pipeline.source_key("cfpb", r) for r in rows]


def test_keyed_hash_is_rfc_2104_hmac_sha256(tmp_path, monkeypatch):
    import hmac

    from complaints import anonymize

    for key in ("ab" * 32, "short", "k" * 100):
        secret = tmp_path / f"{len(key)}.key"
        secret.write_text(key)
        monkeypatch.setenv("COMPLAINTS_SECRET_FILE", str(secret))
        for value in ("cfpb:123", "", "和信贷:9"):
            expected = hmac.new(key.encode(), value.encode(), "sha256").hexdigest()
            assert anonymize.keyed_hash(value) == expected
