"""The text search index (complaints/search.py): the same matches as the filter macro's own scan,
built with every publish, replaced with the store, and never used when it does not fit the store."""

from __future__ import annotations

import ctypes
import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pytest

from complaints import QUERIES_DIR, search, store
from tests.conftest_app import demo_store  # noqa: F401 - session fixture
from tests.test_filter_macro import TEXTS

FILTERED_SQL = (QUERIES_DIR / "_filtered.sql").read_text(encoding="utf-8")
# Like the browser tests without chromium: the index needs the C helper, compiled with the machine's
# C compiler. CI machines have one (.ci/run installs it), so there these tests always run.
needs_compiler = pytest.mark.skipif(search.native_scanner() is None,
                                    reason="no C compiler (cc): the text search index is not used here")
TITLES = {1: "Calls at WORK", 3: "暴力催收", 5: "", 6: None, 8: "Loan fees", 9: "tail"}
EXTRA_NARRATIVES = {8: None, 9: "head"}  # "tail" + "head" must not match "tailhead"
SEARCH = ("SELECT complaint_id FROM filtered('2000-01-01', '2100-01-01', [], [], [], [], [], false, "
          "[], [], [], NULL, $q) ORDER BY 1")


def _texts(field: str) -> dict[int, str | None]:
    narratives = {**TEXTS, **EXTRA_NARRATIVES}
    return {cid: (TITLES.get(cid) if field == "title" else narratives.get(cid)) for cid in narratives}


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("search") / "complaints.duckdb"
    with store.writer(path, fresh=True) as con:
        for cid in _texts("narrative"):
            con.execute("INSERT INTO complaints (complaint_id, source, source_key, received, title, narrative, "
                        "has_narrative, run_id) VALUES (?, 'test', ?, ?, ?, ?, true, 'r')",
                        [cid, str(cid), date(2024, 1, cid), _texts("title")[cid], _texts("narrative")[cid]])
    return path


def _connect(path: Path, *, indexed: bool):
    con = store.connect_readonly(path)
    con.execute(FILTERED_SQL)
    index = search.attach(con, path) if indexed else None
    return con, index


def _search(con, index, term: str) -> list[int]:
    search.select(con, index, term, cached=False)
    return [r[0] for r in con.execute(SEARCH, {"q": term}).fetchall()]


TERMS = ["called my mother", "CALLED MY MOTHER", "$5.00 (late)", "$5x00", "100%", "night_time", "night-time",
         "通讯录", "骚扰我", "stop calling", "Stop Calling My kids", "KIDS", "\\S IS", "smoking GUN",
         "calls at work", "暴力", "loan FEES", "tail", "head", "tailhead", "ſtop", "\u212aids", "zzz", ""]


@needs_compiler
@pytest.mark.parametrize("term", TERMS)
def test_index_matches_the_scan(small_store, term):
    indexed_con, index = _connect(small_store, indexed=True)
    scan_con, _ = _connect(small_store, indexed=False)
    assert index is not None
    assert _search(indexed_con, index, term) == _search(scan_con, None, term)


@needs_compiler
def test_index_matches_titles_and_narratives_but_not_across_them(small_store):
    con, index = _connect(small_store, indexed=True)
    assert _search(con, index, "Calls at work") == [1]          # title only
    assert _search(con, index, "暴力催收") == [3]
    assert _search(con, index, "tail") == [9] and _search(con, index, "head") == [9]
    assert _search(con, index, "tailhead") == []
    assert _search(con, index, "") == list(range(1, 10))       # no term: every complaint


@needs_compiler
def test_search_rows_are_per_term_and_other_filters_still_apply(small_store):
    con, index = _connect(small_store, indexed=True)
    assert _search(con, index, "kids") == [6, 7]
    assert _search(con, index, "通讯录") == [3]                  # a new term replaces the old rows
    search.select(con, index, "kids")
    rows = con.execute("SELECT complaint_id FROM filtered('2024-01-07', '2100-01-01', [], [], [], [], [], false, "
                       "[], [], [], NULL, 'kids')").fetchall()
    assert rows == [(7,)]


def _copy_store(small_store: Path, tmp_path: Path) -> tuple[Path, str]:
    """A copy of the store (without its index) and its store_version."""
    path = tmp_path / "complaints.duckdb"
    shutil.copyfile(small_store, path)
    with duckdb.connect(str(path), read_only=True) as con:
        return path, store.get_meta(con)["store_version"]


@needs_compiler
def test_publish_builds_the_index_and_removes_the_replaced_one(small_store, tmp_path):
    path, old = _copy_store(small_store, tmp_path)
    search.build(duckdb.connect(str(path), read_only=True), path, old)
    assert search.index_dir(path, old).is_dir()
    (tmp_path / "complaints.duckdb.search-dead.tmp").mkdir()   # left by a writer that was killed
    with store.writer(path) as con:
        con.execute("DELETE FROM complaints WHERE complaint_id = 3")
    with duckdb.connect(str(path), read_only=True) as con:
        new = store.get_meta(con)["store_version"]
    assert new != old
    assert sorted(p.name for p in tmp_path.glob("complaints.duckdb.search-*")) == [f"complaints.duckdb.search-{new}"]
    con, index = _connect(path, indexed=True)
    assert index is not None and index.rows == 8
    assert index.rowids is not None                  # a deleted row leaves a gap in the row ids
    assert _search(con, index, "暴力") == [] and _search(con, index, "kids") == [6, 7]
    # the matches' rows in lender_facts, read after the deletion, name the same complaints
    assert index.serves_facts
    assert [r[0] for r in con.execute(
        "SELECT complaint_id FROM searched_facts('kids', '2000-01-01', '2100-01-01', [], [], [], [], NULL, false, "
        "[], [], [], NULL) ORDER BY 1").fetchall()] == [6, 7]
    scan_con, _ = _connect(path, indexed=False)
    for term in TERMS:
        assert _search(con, index, term) == _search(scan_con, None, term), term


def test_failed_publish_leaves_no_index_behind(small_store, tmp_path):
    path = tmp_path / "complaints.duckdb"
    shutil.copyfile(small_store, path)
    with pytest.raises(RuntimeError), store.writer(path) as con:
        con.execute("DELETE FROM complaints")
        raise RuntimeError("load failed")
    assert list(tmp_path.glob("complaints.duckdb.search-*")) == []
    con, index = _connect(path, indexed=True)
    assert index is None                                        # no index: the scan still answers
    assert _search(con, None, "kids") == [6, 7]


@needs_compiler
def test_an_index_that_does_not_fit_the_store_is_not_used(small_store, tmp_path):
    path, version = _copy_store(small_store, tmp_path)
    assert search.attach(duckdb.connect(str(path), read_only=True), path) is None  # copied without it
    folder = search.build(duckdb.connect(str(path), read_only=True), path, version)
    (folder / "index.json").write_text(json.dumps({"format": search.FORMAT, "store_version": version,
                                                   "rows": 99, "dense_rowids": True}))  # not this store's count
    con, index = _connect(path, indexed=True)
    assert index is None
    assert _search(con, None, "通讯录") == [3]
    folder = search.build(duckdb.connect(str(path), read_only=True), path, version)
    (folder / "narrative.bytes").write_bytes(b"short")         # truncated file
    assert search.attach(duckdb.connect(str(path), read_only=True), path) is None


def test_without_a_c_compiler_searches_scan_the_store(small_store, monkeypatch):
    monkeypatch.setattr(search, "_native_fn", None)
    monkeypatch.setenv("CC", "/nonexistent/cc")
    monkeypatch.setenv("XDG_CACHE_HOME", str(small_store.parent / "empty-cache"))
    monkeypatch.setattr(search.tempfile, "gettempdir", lambda: str(small_store.parent / "empty-tmp"))
    con, index = _connect(small_store, indexed=True)
    assert index is None
    assert _search(con, None, "KIDS") == [6, 7]
    monkeypatch.setattr(search, "_native_fn", None)              # later tests compile again


# --- the C helper itself ---------------------------------------------------------------------

def _find(texts: list[bytes], needle: bytes, first: int = 0, last: int | None = None, pivot: int = 0):
    scan = search.native_scanner()
    last = len(texts) if last is None else last
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(t) for t in texts])
    data = ctypes.create_string_buffer(b"".join(texts) or b"\0")
    hits = np.zeros(len(texts), dtype=np.uint8)
    count = scan(ctypes.addressof(data), offsets.ctypes.data, first, last, needle, len(needle), pivot,
                 hits.ctypes.data)
    assert count == int(hits.sum())
    return [i for i in range(len(texts)) if hits[i]]


@needs_compiler
def test_native_finds_each_text_once_and_never_across_texts():
    texts = [b"abcabc", b"", b"xab", b"cx", b"abc", b"", b"ab", b"c", b"zzabc"]
    for pivot in range(3):
        assert _find(texts, b"abc", pivot=pivot) == [0, 4, 8]
    assert _find(texts, b"abc", first=1, last=8) == [4]
    assert _find(texts, b"x") == [2, 3]
    assert _find(texts, b"q") == []
    assert _find([b"", b""], b"a") == []


@needs_compiler
def test_native_on_many_texts_agrees_with_python():
    rng = np.random.default_rng(7)
    alphabet = list("ab催收") + [" "]
    texts = ["".join(rng.choice(alphabet, size=rng.integers(0, 12))) for _ in range(3000)]
    encoded = [t.encode() for t in texts]
    for needle in ["ab", "催收", "a催", "b b", "收a"]:
        raw = needle.encode()
        expected = [i for i, t in enumerate(texts) if needle in t]
        for pivot in range(len(raw)):
            assert _find(encoded, raw, pivot=pivot) == expected


@needs_compiler
def test_a_closed_index_refuses_to_search(small_store):
    con, index = _connect(small_store, indexed=True)
    assert index.matches(b"kids").sum() == 2
    index.close()
    with pytest.raises(RuntimeError, match="closed"):
        index.matches(b"kids")


# --- every question, on the demo corpus ----------------------------------------------------------

@needs_compiler
def test_every_search_question_answers_the_same_with_and_without_the_index(demo_store):  # noqa: F811
    """Each question that takes a search term gives identical rows through the index and through
    the scan, for a Chinese term, an English one in mixed case, a rare one and one with no match."""
    from bench import run as bench_run
    from bench.common import discover_queries, query_params

    indexed_con, index = _connect(demo_store, indexed=True)
    scan_con, _ = _connect(demo_store, indexed=False)
    assert index is not None
    base = bench_run.base_params(scan_con)
    compared = 0
    for name, sql in discover_queries(QUERIES_DIR).items():
        if "$search" not in sql:
            continue
        for term in ["爆通讯录", "Collector", "律师函", "no such phrase"]:
            params = {**base, **bench_run.QUERY_DEFAULTS.get(name, {}), "search": term}
            used = {k: params[k] for k in query_params(sql)}
            search.select(indexed_con, index, term)
            got, want = (bench_run.normalize(bench_run.df_rows(
                c.execute(sql, used).df())) for c in (indexed_con, scan_con))
            assert got == want, (name, term)
            compared += bool(want)
    assert compared >= 20  # most pairs returned rows, so the comparison means something


@needs_compiler
def test_an_empty_store_has_an_index_that_finds_nothing(tmp_path):
    path = tmp_path / "empty.duckdb"
    with store.writer(path, fresh=True):
        pass
    con, index = _connect(path, indexed=True)
    assert index is not None and index.rows == 0
    assert _search(con, index, "催收") == [] and _search(con, index, "") == []


INDEXED_QUESTIONS = sorted(p.stem for p in (QUERIES_DIR / "indexed").glob("*.sql"))


def _filter_cases(con, base) -> dict[str, dict]:
    """Every filter the base questions take, alone and combined (see tests/test_aggregates.py)."""
    from tests.test_aggregates import covered_cases, filter_cases

    cases = dict(filter_cases(con, base))
    cases.update({name: overrides for _, name, overrides in covered_cases(con, base)})
    return cases


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory) -> Path:
    """Lenders the registry does not know, and many tactic combinations (tests/conftest_app.py)."""
    from tests.conftest_app import build_test_store
    return build_test_store(tmp_path_factory.mktemp("synthetic") / "s.duckdb", rows=800, seed=5)


@needs_compiler
@pytest.mark.parametrize("dense", [False, True], ids=["row-ids", "mask"])
@pytest.mark.parametrize("corpus, terms", [
    ("demo_store", ["爆通讯录", "Collector", "律师函", "no such phrase"]),
    ("synthetic_store", ["暴力催收", "MY MOTHER", "坐牢"]),
])
def test_indexed_versions_equal_the_base_tables_under_every_filter(request, corpus, terms, dense):
    """queries/indexed/ (the matches' rows of lender_facts, tactic masks instead of labels) gives the
    base question's rows through the scan, for each term under every filter combination, whether the
    matches are picked by row id or (many matches) by a mask joined by position."""
    from bench import run as bench_run
    from bench.common import discover_queries, query_params
    from complaints import aggregates

    path = request.getfixturevalue(corpus)
    indexed_con, index = _connect(path, indexed=True)
    scan_con, _ = _connect(path, indexed=False)
    assert index.serves_facts and index.facts_positional
    index.dense_share = -1.0 if dense else 2.0  # every term's matches count as many, or none do
    info = aggregates.store_info(scan_con)
    base = bench_run.base_params(scan_con)
    questions = discover_queries(QUERIES_DIR)
    assert len(INDEXED_QUESTIONS) >= 15
    compared = 0
    for name in INDEXED_QUESTIONS:
        for case, overrides in _filter_cases(scan_con, base).items():
            for term in terms:
                params = {**base, **bench_run.QUERY_DEFAULTS.get(name, {}), **overrides, "search": term}
                routed, sql, used = bench_run.routed_question(name, params, info, indexed=True)
                assert routed == f"indexed/{name}"
                base_sql = questions[name]
                found = search.select(indexed_con, index, term)
                assert (found.mask is not None) == dense
                got = bench_run.normalize(bench_run.df_rows(
                    indexed_con.execute(sql, used).df()))
                want = bench_run.normalize(bench_run.df_rows(scan_con.execute(
                    base_sql, {k: params[k] for k in query_params(base_sql)}).df()))
                assert sorted(got, key=repr) == sorted(want, key=repr), (name, case, term)
                assert got == want or name == "lender_ranking", (name, case, term)  # same order too
                compared += bool(want)
    assert compared >= 100  # most combinations returned rows, so the comparison means something


@needs_compiler
@pytest.mark.parametrize("dense", [False, True], ids=["row-ids", "mask"])
def test_indexed_download_keeps_the_same_newest_rows_when_capped(demo_store, dense):  # noqa: F811
    """The search download through the index (queries/indexed/records_export.sql) cuts at the cap the
    very rows, in the very order, that the base question does: the newest first, ties by complaint id."""
    from bench import run as bench_run
    from bench.common import discover_queries, query_params
    from complaints import aggregates

    indexed_con, index = _connect(demo_store, indexed=True)
    scan_con, _ = _connect(demo_store, indexed=False)
    index.dense_share = -1.0 if dense else 2.0
    info = aggregates.store_info(scan_con)
    base = bench_run.base_params(scan_con)
    base_sql = discover_queries(QUERIES_DIR)["records_export"]

    def export(con, sql, params):
        search.select(con, index if con is indexed_con else None, params["search"])
        return con.execute(sql, params).df()

    def base_export(params):
        return export(scan_con, base_sql, {k: params[k] for k in query_params(base_sql)})

    for term in ("催收", "collector"):
        every = base_export({**base, "cap": 100_000, "search": term})
        # caps that cut between two complaints of one day, where only the complaint id decides
        days = list(every["received"])
        ties = [i for i in range(1, len(days)) if days[i] == days[i - 1]]
        assert ties, "the demo store should have days with two matches"
        for cap in (1, 7, ties[0], ties[-1]):
            params = {**base, "cap": cap, "search": term}
            routed, sql, used = bench_run.routed_question("records_export", params, info, indexed=True)
            assert routed == "indexed/records_export"
            got, want = export(indexed_con, sql, used), base_export(params)
            assert len(got) == cap
            assert bench_run.df_rows(got) == bench_run.df_rows(want) == bench_run.df_rows(every.head(cap)), (term, cap)


@needs_compiler
def test_indexed_trends_count_every_interval_as_the_base_tables(demo_store):  # noqa: F811
    """The indexed trends count per day first and then put the days into periods: the same rows as
    the base questions, whatever the interval."""
    from bench import run as bench_run
    from bench.common import discover_queries, query_params
    from complaints import aggregates

    indexed_con, index = _connect(demo_store, indexed=True)
    scan_con, _ = _connect(demo_store, indexed=False)
    info = aggregates.store_info(scan_con)
    base = bench_run.base_params(scan_con)
    questions = discover_queries(QUERIES_DIR)
    for interval in ("day", "week", "month", "quarter", "year"):
        for name in ("volume_over_time", "lender_profile_trend"):
            params = {**base, **bench_run.QUERY_DEFAULTS.get(name, {}), "search": "催收", "interval": interval}
            _, sql, used = bench_run.routed_question(name, params, info, indexed=True)
            search.select(indexed_con, index, params["search"])
            got = bench_run.normalize(bench_run.df_rows(indexed_con.execute(sql, used).df()))
            base_sql = questions[name]
            want = bench_run.normalize(bench_run.df_rows(scan_con.execute(
                base_sql, {k: params[k] for k in query_params(base_sql)}).df()))
            assert got == want and len(want) > 1, (name, interval)
    index.close()


def test_searches_go_to_the_indexed_versions_only_through_the_index(demo_store):  # noqa: F811
    from bench import run as bench_run
    from complaints import aggregates

    con, _ = _connect(demo_store, indexed=False)
    info = aggregates.store_info(con)
    params = {**bench_run.base_params(con), "search": "催收"}
    assert aggregates.route("tactic_shares", params, info, indexed=True) == "indexed/tactic_shares"
    assert aggregates.route("tactic_shares", params, info) == "tactic_shares"  # scanning: the base tables
    assert aggregates.route("tactic_shares", params, {**info, "version": "0"}, indexed=True) == "tactic_shares"
    assert aggregates.route("lender_profile_info", params, info, indexed=True) == "lender_profile_info"  # none
    assert aggregates.route("tactic_shares", {**params, "search": ""}, info, indexed=True) == "agg/tactic_shares"


@needs_compiler
def test_a_store_without_lender_facts_searches_through_the_base_questions(small_store, tmp_path):
    """An index built beside a store that lacks the derived tables has no facts rows: searches still
    use the index, but the router keeps to the base questions."""
    path, version = _copy_store(small_store, tmp_path)
    with duckdb.connect(str(path)) as con:
        con.execute("DROP TABLE lender_facts")
        search.build(con, path, version)
    con, index = _connect(path, indexed=True)
    assert index is not None and index.facts_rows is None and not index.serves_facts
    assert _search(con, index, "kids") == [6, 7]


def _indexed_count(con, index, term: str) -> int:
    search.select(con, index, term)
    return con.execute("SELECT count(*) FROM searched_facts($s, '2000-01-01', '2100-01-01', [], [], [], [], NULL, "
                       "false, [], [], [], NULL)", {"s": term}).fetchall()[0][0]


@needs_compiler
def test_many_matches_go_by_mask_few_by_row_id_and_the_two_alternate(demo_store):  # noqa: F811
    """A term matching more than DENSE_SHARE of the store hands its matches over as a mask too, and
    search_dense() follows the latest term on the connection, back and forth."""
    con, index = _connect(demo_store, indexed=True)
    scan_con, _ = _connect(demo_store, indexed=False)
    assert index.facts_positional
    shares = {term: index.matches(term.lower().encode()).mean() for term in ("催收", "爆通讯录", "律师函")}
    rare, common = min(shares, key=shares.get), max(shares, key=shares.get)
    assert shares[common] > search.DENSE_SHARE > shares[rare]  # the defaults split these two
    for term in (common, rare, common, rare):
        index.forget()
        found = search.select(con, index, term)
        assert (found.mask is not None) == (term == common)
        assert con.execute("SELECT search_dense()").fetchall()[0][0] == (term == common)
        want = len(_search(scan_con, None, term))
        assert _indexed_count(con, index, term) == want > 0
    # a kept term brings its mask back from the cache
    assert search.select(con, index, common).mask is not None


def test_lender_facts_with_a_gap_in_its_row_ids_is_not_joined_by_position():
    """A POSITIONAL JOIN needs row id i at position i. (A published store's lender_facts is written
    once and checkpointed before it is indexed, so it has no gap; this guards the assumption.)"""
    con = duckdb.connect()
    con.execute("CREATE TABLE lender_facts AS SELECT range AS x FROM range(10)")
    assert search._facts_rows_are_positions(con, 10)
    assert not search._facts_rows_are_positions(con, 11)
    con.execute("DELETE FROM lender_facts WHERE x = 3")
    con.execute("INSERT INTO lender_facts VALUES (3)")  # same rows, a gap at row id 3
    assert not search._facts_rows_are_positions(con, 10)


@needs_compiler
def test_without_positions_many_matches_still_go_by_row_id(small_store):
    con, index = _connect(small_store, indexed=True)
    index.facts_positional, index.dense_share = False, -1.0
    assert search.select(con, index, "kids").mask is None
    assert _indexed_count(con, index, "kids") == len(_search(con, index, "kids")) == 2


@needs_compiler
def test_a_chinese_term_skips_the_blocks_of_english_texts(tmp_path, monkeypatch):
    """Blocks of ASCII-only texts cannot hold a term with a non-ASCII byte: its scan skips them (the
    English narratives), with the same matches; an ASCII term, and an index without the flags, scan all."""
    monkeypatch.setattr(search, "ASCII_BLOCK", 4)
    chinese = ["催收打爆通讯录", "每天电话轰炸", "威胁上门", "催收说要起诉"]
    english = ["the collector called my mother", "they called at work", "threats of arrest", "calls at night"]
    mixed = ["collector 催收 called", "calls to my boss", "上门 visit", "plain text"]
    narratives = chinese * 2 + english * 2 + mixed  # blocks of 4: zh, zh, en, en, mixed
    path = tmp_path / "complaints.duckdb"
    with store.writer(path, fresh=True) as con:
        for i, text in enumerate(narratives, start=1):
            con.execute("INSERT INTO complaints (complaint_id, source, source_key, received, narrative, has_narrative, "
                        "run_id) VALUES (?, 'test', ?, ?, ?, true, 'r')", [i, str(i), date(2024, 1, i), text])
    folder = next(tmp_path.glob("complaints.duckdb.search-*"))
    assert np.fromfile(folder / "narrative.ascii_blocks", dtype=np.uint8).tolist() == [0, 0, 1, 1, 0]
    assert np.fromfile(folder / "title.ascii_blocks", dtype=np.uint8).tolist() == [1] * 5  # no titles

    def scanned_rows(con, index, term: str) -> tuple[list[int], set[int]]:
        calls = []
        real = index._scan

        def recording(address, offsets, first, last, *rest):
            calls.append((first, last))
            return real(address, offsets, first, last, *rest)

        index._scan = recording
        found = _search(con, index, term)
        index._scan = real
        return found, {row for first, last in calls for row in range(first, last)}

    plain, _ = _connect(path, indexed=False)
    con, index = _connect(path, indexed=True)
    try:
        for term in ("催收", "上门", "collector", "calls"):
            found, rows = scanned_rows(con, index, term)
            assert found == _search(plain, None, term), term
            english_rows = set(range(8, 16))  # rows 8-15: the two ASCII-only blocks
            assert (rows & english_rows == set()) == (term in ("催收", "上门")), term
        assert _search(con, index, "催收") == [1, 4, 5, 8, 17]
    finally:
        index.close()
        con.close()
    for field in search.FIELDS:  # an index built before the flags were kept: scans everything
        (folder / f"{field}.ascii_blocks").unlink()
    con, index = _connect(path, indexed=True)
    try:
        found, rows = scanned_rows(con, index, "催收")
        assert found == _search(plain, None, "催收") and rows >= set(range(20))
    finally:
        index.close()
        con.close()
        plain.close()
