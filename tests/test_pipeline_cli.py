"""`python -m complaints ingest|stats|reclassify` as a user runs them: bad files, killed loads, reports."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from complaints import store
from complaints.cli import main

ROOT = Path(__file__).resolve().parent.parent
CFPB_HEADER = ("Date received,Product,Sub-product,Issue,Sub-issue,Consumer complaint narrative,"
               "Company public response,Company,State,ZIP code,Tags,Consumer consent provided?,Submitted via,"
               "Date sent to company,Company response to consumer,Timely response?,Consumer disputed?,Complaint ID\n")


def cfpb_csv(path: Path, n: int, *, first_id: int = 1, date: str = "2021-03-04") -> Path:
    """n invented CFPB-format rows (every third with a narrative)."""
    lines = [CFPB_HEADER]
    for i in range(first_id, first_id + n):
        narrative = (f'"The collector called me {i % 9 + 2} times a day and told my employer about the debt. '
                     f'Reach me at 415-555-{i % 10000:04d}."') if i % 3 == 0 else ""
        lines.append(f"{date},Debt collection,I do not know,Communication tactics,Frequent or repeated calls,"
                     f"{narrative},,ACME COLLECTIONS LLC,CA,941XX,,Consent provided,Web,{date},"
                     f"Closed with explanation,Yes,N/A,{i}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def cli(*args, env_extra=None, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "complaints", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120, **kwargs)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli_inline(capsys, *args) -> tuple[int, str, str]:
    """The CLI in this process (fast); returns (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def loaded_store(tmp_path, capsys):
    db = tmp_path / "store.duckdb"
    code, _, err = cli_inline(capsys, "ingest", "--source", "cfpb", "--store", db,
                              cfpb_csv(tmp_path / "small.csv", 30))
    assert code == 0, err
    return db


def test_ingest_prints_report_and_reingest_adds_nothing(loaded_store, tmp_path, capsys):
    code, out, err = cli_inline(capsys, "ingest", "--source", "cfpb", "--store", loaded_store,
                                tmp_path / "small.csv")
    assert code == 0, err
    assert "small.csv" in out and "duplicate" in out
    code, out, _ = cli_inline(capsys, "stats", "--json", "--store", loaded_store)
    stats = json.loads(out)
    assert stats["complaints"] == 30 and stats["demo"] is False
    assert [(r["file"], r["rows_read"], r["rows_loaded"], r["rows_duplicate"], r["rows_quarantined"])
            for r in stats["runs"]] == [("small.csv", 30, 30, 0, 0), ("small.csv", 30, 0, 30, 0)]
    assert stats["by_source"] == {"cfpb": 30} and stats["date_range"] == ["2021-03-04", "2021-03-04"]
    code, out, _ = cli_inline(capsys, "stats", "--store", loaded_store)
    assert code == 0 and "30" in out


def test_stats_and_reclassify_without_store_say_so(tmp_path, capsys):
    for command in ("stats", "reclassify"):
        code, _, err = cli_inline(capsys, command, "--store", tmp_path / "none.duckdb")
        assert code != 0
        assert "none.duckdb" in err and len(err.strip().splitlines()) == 1


def test_reclassify_cli(loaded_store, capsys):
    code, out, err = cli_inline(capsys, "reclassify", "--store", loaded_store)
    assert code == 0, err
    assert "30" in out


def _bad_files(tmp_path: Path) -> dict:
    dates = CFPB_HEADER + "".join(
        f"31/31/2020,Debt collection,,Communication tactics,,,,ACME,CA,941XX,,,Web,,Closed,Yes,N/A,{i}\n"
        for i in range(30))
    encoding = ('{"投诉标题":"催收","发布时间":"2025-01-01"}\n'.encode() + b'{"t":"\xff\xff\x80\x80"}\n')
    return {
        "empty": ("cfpb", "empty.csv", b""),
        "binary": ("cfpb", "binary.csv", bytes(range(256)) * 20),
        "unknown columns": ("cfpb", "columns.csv", b"foo,bar\n1,2\n"),
        "undetectable encoding": ("tousu", "encoding.jsonl", encoding),
        "unparseable dates": ("cfpb", "dates.csv", dates.encode()),
    }


@pytest.mark.parametrize("case", ["empty", "binary", "unknown columns", "undetectable encoding",
                                  "unparseable dates"])
def test_bad_file_is_one_line_exit_2_store_unchanged(case, loaded_store, tmp_path, capsys):
    source, name, content = _bad_files(tmp_path)[case]
    bad = tmp_path / name
    bad.write_bytes(content)
    good = cfpb_csv(tmp_path / "good.csv", 5, first_id=1000)
    before = sha(loaded_store)
    args = ("ingest", "--source", source, "--store", loaded_store, *((good,) if source == "cfpb" else ()), bad)
    code, _, err = cli_inline(capsys, *args)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert name in lines[0] and "line" in lines[0]
    assert sha(loaded_store) == before          # not even the good file of the same command
    assert not list(tmp_path.glob("store.duckdb.building-*"))


def test_killed_load_leaves_published_store_readable_and_unchanged(loaded_store, tmp_path):
    big = cfpb_csv(tmp_path / "big.csv", 120_000, first_id=10_000)
    before = sha(loaded_store)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "complaints", "ingest", "--source", "cfpb",
                             "--store", str(loaded_store), str(big)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob("store.duckdb.building-*")) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.5)                    # well into the load
        assert proc.poll() is None, "the load finished before it could be killed: use a bigger file"
        con = store.connect_readonly(loaded_store)   # a reader during the load sees the last good version
        try:
            assert con.execute("SELECT count(*) FROM complaints").fetchall() == [(30,)]
        finally:
            con.close()
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert sha(loaded_store) == before
    # the next load works and clears the dead writer's private copy
    result = cli("ingest", "--source", "cfpb", "--store", loaded_store,
                 cfpb_csv(tmp_path / "next.csv", 3, first_id=500))
    assert result.returncode == 0, result.stderr
    assert not list(tmp_path.glob("store.duckdb.building-*"))
    assert json.loads(cli("stats", "--json", "--store", loaded_store).stdout)["complaints"] == 33


def test_generic_source_is_named_by_its_mapping(tmp_path, capsys):
    mapping = tmp_path / "hotline.toml"
    mapping.write_text('[source]\nname = "ngo_hotline"\ncountry = "GB"\n\n[columns]\nsource_id = "ref"\n'
                       'received = "opened"\nlender_name = "firm"\nnarrative = "story"\n', encoding="utf-8")
    data = tmp_path / "hotline.csv"
    data.write_text("ref,opened,firm,story,caller_phone\n"
                    "A1,2024-02-01,Quick Loans Ltd,They rang my work every day,07700900123\n"
                    "A2,2024-02-03,Quick Loans Ltd,Threatened to tell my neighbours,07700900456\n", encoding="utf-8")
    db = tmp_path / "g.duckdb"
    code, out, err = cli_inline(capsys, "ingest", "--source", "generic", "--mapping", mapping, "--store", db, data)
    assert code == 0, err
    con = store.connect_readonly(db)
    try:
        assert con.execute("SELECT source, country, count(*) FROM complaints GROUP BY ALL").fetchall() == \
            [("ngo_hotline", "GB", 2)]
    finally:
        con.close()
    code, _, err = cli_inline(capsys, "ingest", "--source", "generic", "--store", db, data)
    assert code == 2 and "--mapping" in err


def test_missing_input_file_is_one_line(tmp_path, capsys):
    code, _, err = cli_inline(capsys, "ingest", "--source", "cfpb", "--store", tmp_path / "s.duckdb",
                              tmp_path / "nope.csv")
    assert code == 2 and "nope.csv" in err and len(err.strip().splitlines()) == 1
