"""The store a load produces is pinned: every source fixture plus a synthetic CFPB export with
duplicates, malformed rows and bad dates, against tests/data/pipeline_snapshot.json (written by the
per-row pipeline before the columnar fast path replaced it). Inline and worker-pool loads must both
match it, so a speed-up that changes a stored value fails here.

Tactic labels are not in the snapshot (the classifier evolves on its own): they are checked against
tactics.classify / sub_issue_tactics run on the stored, scrubbed texts. The lender registry and the
scrubber are pinned stand-ins for the same reason.

Regenerate (only when a stored value is meant to change): UPDATE_PIPELINE_SNAPSHOT=1 pytest this file.
The committed snapshot was written by the per-row pipeline of c090a52 (this test run against that
commit's code).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
from pathlib import Path

import pytest

from complaints import anonymize, pipeline, store, tactics

FIX = Path(__file__).parent / "fixtures" / "sources"
SNAPSHOT = Path(__file__).parent / "data" / "pipeline_snapshot.json"

CFPB_FILES = ["cfpb_16col.csv", "cfpb_18col.csv", "cfpb_api_hits.json", "cfpb_api_plain.json",
              "cfpb_csv_headers.json", "cfpb_legacy_13col.csv", "cfpb_legacy_14col_malformed.csv",
              "cfpb_one_bad_date.csv", "cfpb_product_only.csv", "cfpb_roundtrip_mdyy.csv",
              "cfpb_snake_case.csv", "cfpb_underscore_ddmmyyyy.csv", "cfpb_web_export.csv"]
TOUSU_FILES = ["tousu_blob.json", "tousu_heimao.json", "tousu_lines.jsonl", "tousu_malformed.csv",
               "tousu_traditional.csv", "tousu_wrapped.json"]
GENERIC_FILES = [("generic_lines.jsonl", "generic_lines.toml"), ("generic_survey.csv", "generic_survey.toml")]

HEADER = ["Date received", "Product", "Sub-product", "Issue", "Sub-issue", "Consumer complaint narrative",
          "Company public response", "Company", "State", "ZIP code", "Tags", "Consumer consent provided?",
          "Submitted via", "Date sent to company", "Company response to consumer", "Timely response?",
          "Consumer disputed?", "Complaint ID"]
NARRATIVES = [
    "",
    "They called me 8 times a day at 555-201-8877 and at work.",
    "The collector, Mr. John Smith, threatened to have me arrested.\nI asked them to stop.",
    "Email me at jane.doe@example.com. They told my neighbor about the debt.",
    "Account 4111 1111 1111 1111 was sold to a debt buyer; not mine. XXXX XXXX",
    "催收员每天打电话给我的家人，还说要上门，我的电话13812345678。",
    "  They said they would sue me and garnish my wages.  ",
    "None",
]
COMPANIES = ["MIDLAND CREDIT MANAGEMENT, INC.", "Encore Capital Group", "PORTFOLIO RECOVERY ASSOCIATES INC",
             "Unknown Collections LLC", "  TRANSWORLD SYSTEMS INC  ", "N/A"]
SUB_ISSUES = [("Communication tactics", "Frequent or repeated calls"),
              ("Attempts to collect debt not owed", "Debt is not yours"),
              ("Took or threatened to take negative or legal action", "Threatened to sue you for very old debt"),
              ("Written notification about debt", ""), ("Incorrect information on your report", "None")]


def synthetic_csv(path: Path, rows: int = 400) -> Path:
    """A CFPB-style export exercising the per-row edge cases, deterministic."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\r\n" if rows % 2 else "\n")
        out.writerow(HEADER)
        for n in range(rows):
            day = dt.date(2015, 1, 1) + dt.timedelta(days=(n * 37) % 3000)
            issue, sub_issue = SUB_ISSUES[n % len(SUB_ISSUES)]
            received = day.isoformat()
            if n % 53 == 7:
                received = "1999-12-31"
            elif n % 61 == 3:
                received = ""
            elif n % 67 == 5:
                received = "2020-13-45"
            row = [received, "Debt collection" if n % 3 else "Credit reporting", "I do not know" if n % 4 else "",
                   issue, sub_issue, NARRATIVES[n % len(NARRATIVES)],
                   "Company believes it acted appropriately as authorized by contract or law" if n % 5 == 0 else "",
                   COMPANIES[n % len(COMPANIES)], ["ca", "NY", "", "None", " tx "][n % 5],
                   ["90210", "2127", "330XX", "", "1234", "00501-1234"][n % 6],
                   ["", "Older American", "Servicemember"][n % 3], "Consent provided", ["Web", "Phone"][n % 2],
                   received, "Closed with explanation", ["Yes", "No", "yes", ""][n % 4],
                   ["N/A", "No", "Yes"][n % 3], str(70_000_000 + (n if n % 29 else n - 1))]
            if n % 71 == 11:
                row = row[:-3]  # malformed: too few fields
            if n % 83 == 13:
                row[0] = "04/05/2021"  # another format in an ISO file: unparseable here
            out.writerow(row)
    return path


def _jsonable(value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _rows(con, sql):
    return [[_jsonable(v) for v in row] for row in con.execute(sql).fetchall()]


def store_content(db: Path) -> dict:
    """Everything a load stores except run ids, times and labels, in a stable order."""
    con = store.connect_readonly(db)
    try:
        columns = [c for c, _ in pipeline.COMPLAINT_COLUMNS if c != "run_id"]
        complaints = _rows(con, f"SELECT r.file_name, {', '.join('c.' + c for c in columns)} FROM complaints c "
                                "JOIN ingest_runs r USING (run_id) ORDER BY c.complaint_id")
        quarantine = _rows(con, "SELECT r.file_name, q.row_number, q.line, q.reason, q.row_json FROM quarantine q "
                                "JOIN ingest_runs r USING (run_id) ORDER BY ALL")
        runs = _rows(con, "SELECT source, file_name, sha256, rows_read, rows_loaded, rows_duplicate, "
                          "rows_quarantined, demo FROM ingest_runs ORDER BY ALL")
        labels = _rows(con, "SELECT complaint_id, tactic_id, label_source, field, evidence_start, evidence_end, "
                            "evidence, taxonomy_version FROM complaint_tactics ORDER BY ALL")
        texts = con.execute("SELECT complaint_id, narrative, title, issue, sub_issue FROM complaints").fetchall()
    finally:
        con.close()
    return {"complaints": complaints, "quarantine": quarantine, "runs": runs, "labels": labels, "texts": texts}


def expected_labels(texts) -> list:
    version = tactics.taxonomy_version()
    out = []
    for cid, narrative, title, issue, sub_issue in texts:
        for field, text in (("narrative", narrative), ("title", title)):
            for ev in tactics.classify(text) if text else []:
                out.append([cid, ev.tactic, "text", field, ev.start, ev.end, ev.text, version])
        for tactic_id in tactics.sub_issue_tactics(issue, sub_issue) if sub_issue else []:
            out.append([cid, tactic_id, "sub_issue", "sub_issue", None, None, sub_issue, version])
    return sorted(out, key=lambda r: [(v is None, v if v is not None else 0) for v in r])


def _digest(rows) -> str:
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def load_everything(tmp_path: Path, workers: int, name: str) -> dict:
    db = tmp_path / f"{name}.duckdb"
    synthetic = synthetic_csv(tmp_path / "synthetic_cfpb.csv")
    pipeline.ingest([FIX / f for f in CFPB_FILES] + [synthetic], "cfpb", store=db, progress=False,
                    workers=workers)
    pipeline.ingest([FIX / f for f in TOUSU_FILES], "tousu", store=db, progress=False, workers=workers)
    for data, mapping in GENERIC_FILES:
        pipeline.ingest([FIX / data], "generic", mapping=FIX / mapping, store=db, progress=False, workers=workers)
    # the same files again: every row a duplicate or quarantined again
    pipeline.ingest([synthetic, FIX / "cfpb_18col.csv"], "cfpb", store=db, progress=False, workers=workers)
    content = store_content(db)
    synthetic_ids = {r[1] for r in content["complaints"] if r[0] == "synthetic_cfpb.csv"}
    return {
        "complaints": [r for r in content["complaints"] if r[0] != "synthetic_cfpb.csv"],
        "quarantine": [r for r in content["quarantine"] if r[0] != "synthetic_cfpb.csv"],
        "runs": content["runs"],
        "synthetic": {
            "complaints": _digest([r for r in content["complaints"] if r[0] == "synthetic_cfpb.csv"]),
            "complaint_count": len(synthetic_ids),
            "quarantine": _digest([r for r in content["quarantine"] if r[0] == "synthetic_cfpb.csv"]),
        },
        "_labels": (content["labels"], expected_labels(content["texts"])),
    }


class PinnedRegistry:
    """Stand-in for the lender registry, which grows on its own: the snapshot is about the pipeline."""

    def match(self, name):
        name = name or ""
        for needle, lender_id in (("MIDLAND", "midland"), ("ENCORE", "encore"), ("和信", "hexin")):
            if needle in name.upper():
                return lender_id
        return None

    def rows(self):
        return [{"lender_id": "midland", "name_en": "Midland", "name_zh": None, "country": "US",
                 "kind": "debt_buyer", "aliases": [], "demo": False}]


def pinned_scrub(text):
    """Stand-in for anonymize.scrub, which has its own tests and evolves on its own: the snapshot
    pins which fields are scrubbed and where the result goes, not the anonymizer's rules."""
    if not text:
        return text
    return re.sub(r"[0-9@]", "#", text if isinstance(text, str) else str(text))


@pytest.fixture
def fixed_secret(tmp_path, monkeypatch):
    """A known HMAC key (source keys and complaint ids are then the same on every machine), a pinned
    registry and scrubber."""
    secret = tmp_path / "fixed_secret.key"
    secret.write_text("5eed" * 16)
    monkeypatch.setenv("COMPLAINTS_SECRET_FILE", str(secret))
    monkeypatch.setattr(pipeline, "load_registry", lambda include_demo: PinnedRegistry())
    monkeypatch.setattr(anonymize, "scrub", pinned_scrub)
    # small batches: duplicates and rejects fall across batch boundaries (and commits)
    monkeypatch.setattr(pipeline, "BATCH_ROWS", 64)
    monkeypatch.setattr(pipeline, "COMMIT_ROWS", 150, raising=False)


@pytest.mark.parametrize("workers", [0, 2])
def test_store_content_matches_the_snapshot(fixed_secret, tmp_path, workers):
    got = load_everything(tmp_path, workers, f"w{workers}")
    labels, expected = got.pop("_labels")
    assert labels == expected
    if os.environ.get("UPDATE_PIPELINE_SNAPSHOT") and workers == 0:
        SNAPSHOT.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert got["runs"] == snapshot["runs"]
    assert got["quarantine"] == snapshot["quarantine"]
    for mine, theirs in zip(got["complaints"], snapshot["complaints"], strict=True):
        assert mine == theirs
    assert got["synthetic"] == snapshot["synthetic"]
