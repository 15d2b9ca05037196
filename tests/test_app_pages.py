"""AppTest: every page renders in both languages, a link restores its view, hostile links are ignored
with a note, embed mode renders one chart. Streamlit's AppTest drops the entry script's sidebar
elements from the tree after the first run of an st.navigation app, so each scenario starts a fresh
AppTest with its query parameters and checks the page content."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from complaints import store as store_module
from tests.conftest_app import app_store, demo_store, open_expanders  # noqa: F401 - session fixtures
from ui import figures

ROOT = Path(__file__).resolve().parent.parent
ENTRY = str(ROOT / "dashboard.py")
PAGES = {"overview": None, "tactics": "pages/tactics.py", "lenders": "pages/lenders.py",
         "records": "pages/records.py", "methodology": "pages/methodology.py"}
TITLES = {"en": {"overview": "Overview", "tactics": "Tactics", "lenders": "Lenders", "records": "Records",
                 "methodology": "Methodology"},
          "zh": {"overview": "总览", "tactics": "催收手段", "lenders": "机构", "records": "数据",
                 "methodology": "方法"}}


@pytest.fixture
def store(app_store, monkeypatch):  # noqa: F811
    """The synthetic store, for assertions about known lenders and texts."""
    monkeypatch.setenv("COMPLAINTS_STORE", str(app_store))
    return app_store


@pytest.fixture
def demo(demo_store, monkeypatch):  # noqa: F811
    """A small demo build, for pages on realistic data."""
    monkeypatch.setenv("COMPLAINTS_STORE", str(demo_store))
    return demo_store


# The entry's widgets: AppTest forgets their values on a page switch (their elements are missing from
# its tree), while a browser keeps them in the URL. We carry them over by hand.
ENTRY_KEYS = ("lang", "period", "dates", "country", "source", "lender", "xlender", "tactic", "match", "region",
              "product", "status", "narr", "q", "events", "ev")


def open_app(params: dict | None = None, page: str | None = None, embedded: bool = False) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=60)
    if embedded:
        at.context["is_embedded"] = True
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        state = {k: at.session_state[k] for k in ENTRY_KEYS if k in at.session_state}
        at.switch_page(page).run()   # a page switch run resets them; the next run takes them
        for key, value in state.items():
            at.session_state[key] = value
        at.run()
    return at


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "caption", "markdown", "warning", "info", "text", "subheader")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def sql_count(store: Path, where: str = "true", params: list | None = None) -> int:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute(f"SELECT count(*) FROM complaints AS c WHERE {where}", params or []).fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_in_both_languages(demo, name, lang):
    at = open_app({"lang": "中文" if lang == "zh" else "EN"}, PAGES[name])
    assert not at.exception, [e.value for e in at.exception]
    assert any(TITLES[lang][name] in t.value for t in at.title)
    assert "Demo data" in texts(at) or "演示数据" in texts(at)   # the test store is flagged demo


def test_overview_numbers_restored_from_a_link(store):
    at = open_app({"period": "Custom dates", "dates": ["2024-01-01", "2024-12-31"], "country": "China"})
    assert not at.exception
    complaints = next(m for m in at.metric if m.label == "Complaints")
    expected = sql_count(store, "received BETWEEN '2024-01-01' AND '2024-12-31' AND country = 'CN'")
    assert complaints.value == f"{expected:,}"
    assert not at.warning


def test_tactic_filter_all_versus_any(store):
    base = {"period": "All time", "tactic": ["Obscene, profane or abusive language", "Contacting the employer or co-workers"]}
    any_n = open_app(base).metric[0].value
    all_n = open_app({**base, "match": "all"}).metric[0].value
    assert int(all_n.replace(",", "")) < int(any_n.replace(",", ""))


def test_text_search_finds_chinese_without_word_breaks(store):
    at = open_app({"period": "All time", "q": "通讯录"}, "pages/records.py")
    expected = sql_count(store, "contains(narrative, '通讯录') OR contains(title, '通讯录')")
    assert f"{expected:,} complaints match" in texts(at)


@pytest.mark.parametrize("params, note", [
    ({"lender": "<script>alert(1)</script>"}, "Lender"),
    ({"period": "Custom dates", "dates": ["2024-13-45", "not a date"]}, "From – to"),
    ({"tactic": "'; DROP TABLE complaints; --"}, "Tactic"),
    ({"country": "Atlantis"}, "Country"),
    ({"narr": "x" * 10_000}, "Narrative"),
])
def test_hostile_filter_values_are_ignored_with_a_note(store, params, note):
    at = open_app(params)
    assert not at.exception
    assert any(note in w.value for w in at.warning), [w.value for w in at.warning]
    clean = {k: v for k, v in params.items() if k not in ("lender", "dates", "tactic", "country", "narr")}
    assert at.metric[0].value == open_app(clean).metric[0].value   # same numbers as without the junk


def test_english_search_ignores_case_and_says_what_it_matches(store):
    at = open_app({"period": "All time", "q": "CALLED"}, "pages/records.py")
    expected = sql_count(store, "contains(lower(narrative), 'called') OR contains(lower(title), 'called')")
    assert expected > 0 and f"{expected:,} complaints match" in texts(at)
    assert "ignoring upper and lower case" in at.text_input(key="q").help
    zh = open_app({"lang": "中文", "q": "CALLED"}, "pages/records.py")
    assert "不区分英文大小写" in zh.text_input(key="q").help


def test_overlong_search_is_ignored(store):
    at = open_app({"q": "爆" * 10_000})
    assert not at.exception
    assert any("too long" in w.value for w in at.warning)


def test_sql_in_search_is_just_text(store):
    at = open_app({"q": "' OR 1=1 --"}, "pages/records.py")
    assert not at.exception
    assert "0 complaints match" in texts(at)
    assert sql_count(store) > 0   # nothing was executed against the store


def test_unknown_lender_profile_and_record_are_refused(store):
    at = open_app({"lender_profile": "' OR 1=1 --"}, "pages/lenders.py")
    assert not at.exception and any("Unknown lender" in w.value for w in at.warning)
    at = open_app({"record": "<script>"}, "pages/records.py")
    assert not at.exception and any("Unknown complaint" in w.value for w in at.warning)
    for junk in ("99999999999999", "99999999999999999999999", "-5"):
        at = open_app({"record": junk}, "pages/records.py")
        assert not at.exception and any("Unknown complaint" in w.value for w in at.warning)


def test_lender_profile_deep_link(store):
    at = open_app({"lender_profile": "demo-quickcash", "period": "All time"}, "pages/lenders.py")
    assert not at.exception
    assert any("闪电借 · QuickCash" in str(h.proto.body) for h in at.get("html"))
    assert len(at.get("echarts_chart")) >= 3
    assert any("Kind: Online lender" in t.value for t in at.text)   # the registry's kind, in words
    zh = open_app({"lang": "中文", "lender_profile": "demo-quickcash", "period": "全部时间"}, "pages/lenders.py")
    assert any("网络贷款机构" in t.value for t in zh.text)


def test_unmatched_lender_is_flagged_in_the_ranking(store):
    at = open_app({}, "pages/lenders.py")
    ranking = at.dataframe[0].value
    assert any("⚑" in str(name) for name in ranking["lender"])
    below = ranking[ranking["note"] != ""]
    assert set(below["rank"]) == {"–"}   # Glimmer Lending is under the default 30


def test_record_detail_highlights_escaped_evidence(store):
    con = duckdb.connect(str(store), read_only=True)
    complaint_id, source = con.execute("SELECT t.complaint_id, c.source FROM complaint_tactics AS t JOIN complaints "
                                       "AS c USING (complaint_id) ORDER BY t.complaint_id LIMIT 1").fetchone()
    con.close()
    at = open_app({"record": str(complaint_id), "period": "All time"}, "pages/records.py")
    assert not at.exception
    assert any("<mark" in str(h.proto.body) for h in at.get("html"))
    from ui.i18n import SOURCE_NAMES
    facts = next(x.value for x in at.text if x.value.startswith("Date:"))
    assert f"Source: {SOURCE_NAMES[source][0]}" in facts   # the source's name, not its code


def test_a_saved_chart_image_carries_its_caption_and_the_stores_numbers(store):
    """The PNG a journalist saves is drawn from the option: title, filters, n, source and data version
    are in it, under a file name that says which chart it is; the bars are the store's counts."""
    import json

    at = open_app({"period": "All time"})
    assert not at.exception
    option = json.loads(at.get("echarts_chart")[0].proto.spec)   # the volume chart
    title, caption = option["title"]["text"], option["title"]["subtext"].replace("\n", " ")
    assert title.startswith("Complaints per")
    con = duckdb.connect(str(store), read_only=True)
    version = store_module.get_meta(con)["store_version"]
    total = con.execute("SELECT count(*) FROM complaints").fetchone()[0]
    con.close()
    assert "Source: Collection Watch" in caption and f"data {version}" in caption and f"n = {total:,}" in caption
    save = option["toolbox"]["feature"]["saveAsImage"]
    assert save["name"] == "collection-watch-overview-volume" and save["pixelRatio"] == 2
    assert sum(n for _, n in option["series"][0]["data"]) == total
    # on a phone the same caption comes in shorter lines, so it is not cut off at the screen's edge
    (narrow,) = option["media"]
    assert narrow["query"] == {"maxWidth": 520}
    phone = narrow["option"]["title"]["subtext"]
    assert phone.replace("\n", " ") == caption and max(len(line) for line in phone.split("\n")) <= 42
    assert max(len(line) for line in option["title"]["subtext"].split("\n")) > 42


def test_embed_renders_only_the_requested_chart(demo):
    at = open_app({"embed": "true", "chart": "overview-volume"}, embedded=True)
    assert not at.exception
    assert len(at.get("echarts_chart")) == 1
    assert not at.title and not at.metric
    at = open_app({"embed": "true", "chart": "<img src=x>"}, embedded=True)
    assert not at.exception and any("Unknown chart" in w.value for w in at.warning)


def test_link_from_an_older_data_version_says_so(store):
    at = open_app({"v": "19990101T000000Z-abcdef"})
    assert any("19990101T000000Z-abcdef" in i.value for i in at.info)


def test_share_link_has_absolute_dates_and_version(store):
    at = open_app({"period": "Last 3 months"})
    assert not [c for c in at.code if "v=" in c.value]   # drawn only once its expander is opened
    open_expanders(at, "share-open", "cite-open")
    share = next(c.value for c in at.code if "v=" in c.value and "dates=" in c.value)
    assert "period=Custom+dates" in share and share.count("dates=") == 2
    assert any("Collection Watch" in c.value and share in c.value for c in at.code)   # the citation


def test_language_switch_keeps_the_filters(demo):
    at = open_app({"tactic": "Obscene, profane or abusive language", "period": "All time"})
    before = at.metric[0].value
    at.radio(key="lang").set_value("zh").run()
    assert at.metric[0].label == "投诉数" and at.metric[0].value == before
    assert at.session_state["tactic"] == ["abusive_language"]


def test_every_chart_offers_data_sql_and_table(demo):
    at = open_app({"period": "All time"}, "pages/tactics.py")
    charts = at.get("echarts_chart")
    labels = [e.label for e in at.expander]
    assert len(charts) == 3
    assert labels.count("Show SQL") == 3 and labels.count("Table of this chart") == 3
    assert not at.dataframe and not at.code   # tables and SQL are drawn once their expander opens
    ids = ("tactics-share", "tactics-trend", "tactics-cooccurrence")
    open_expanders(at, *[f"sql-{i}" for i in ids], *[f"table-{i}" for i in ids])
    assert len(at.get("echarts_chart")) == 3 and len(at.dataframe) == 3
    sql = "\n".join(c.value for c in at.code)
    # The shown SQL is the file that ran: the base-table question (filtered macro) or, with no filter
    # the pre-built tables cannot answer, its version over those tables (scoped_* macros).
    assert ("FROM filtered($start_date" in sql or "scoped_" in sql) and '"start_date"' in sql


def test_a_newly_published_store_is_picked_up(tmp_path, monkeypatch):
    from tests.conftest_app import build_test_store

    path = build_test_store(tmp_path / "complaints.duckdb", rows=300)
    monkeypatch.setenv("COMPLAINTS_STORE", str(path))
    before = open_app({"period": "All time"}).metric[0].value
    build_test_store(path, rows=450)   # published atomically over the old file: new inode, new version
    after = open_app({"period": "All time"}).metric[0].value
    assert (before, after) == ("300", "450")


@pytest.mark.parametrize("term", ["爆通讯录", "催收"])  # a few per cent of the complaints / a third (a mask)
def test_a_search_is_answered_and_shown_through_the_index(demo, term):
    """With the store's text index (and a C compiler), the tactics page answers a search from the
    matches' tactic masks, shows that SQL, and gives the base question's numbers."""
    from complaints import search

    if search.native_scanner() is None:
        pytest.skip("no C compiler (cc): the text search index is not used here")
    at = open_app({"period": "All time", "q": term}, "pages/tactics.py")
    open_expanders(at, "sql-tactics-share", "table-tactics-share")
    sql = "\n".join(c.value for c in at.code)
    assert "searched_facts($search" in sql and f'"search": "{term}"' in sql
    shown = at.dataframe[0].value
    con = duckdb.connect(str(demo), read_only=True)
    con.execute((Path(__file__).parents[1] / "queries" / "_filtered.sql").read_text(encoding="utf-8"))
    expected = dict(con.execute("""
        SELECT t.tactic_id, count(DISTINCT t.complaint_id) FROM complaint_tactics AS t
        WHERE t.complaint_id IN (SELECT complaint_id FROM filtered('1900-01-01', '2100-01-01', [], [], [], [], [],
                                 false, [], [], [], NULL, $term))
        GROUP BY ALL""", {"term": term}).fetchall())
    assert expected and dict(zip(shown["tactic_id"], shown["complaints"], strict=True)) == expected


def test_a_tactic_filter_runs_as_one_mask_and_shows_it(demo):
    """Under a tactic filter the derived tables' version runs with $tactic_bits, the selected tactics'
    bits; "show SQL" lists that value, and the chart's counts are the base tables' counts."""
    at = open_app({"period": "All time", "tactic": ["Obscene, profane or abusive language",
                                                    "Contacting the employer or co-workers"], "match": "all"},
                  "pages/tactics.py")
    open_expanders(at, "sql-tactics-share", "table-tactics-share")
    sql = "\n".join(c.value for c in at.code)
    con = duckdb.connect(str(demo), read_only=True)
    bits = dict(con.execute("SELECT tactic_id, bit FROM tactic_bits").fetchall())
    assert "scoped_tactic_counts(" in sql and "$tactic_bits" in sql
    assert f'"tactic_bits": {bits["abusive_language"] | bits["workplace_contact"]}' in sql
    con.execute((Path(__file__).parents[1] / "queries" / "_filtered.sql").read_text(encoding="utf-8"))
    expected = dict(con.execute("""
        SELECT t.tactic_id, count(DISTINCT t.complaint_id) FROM complaint_tactics AS t
        WHERE t.complaint_id IN (SELECT complaint_id FROM filtered('1900-01-01', '2100-01-01', [], [], [], [],
                                 ['abusive_language', 'workplace_contact'], true, [], [], [], NULL, NULL))
        GROUP BY ALL""").fetchall())
    shown = at.dataframe[0].value
    assert expected and dict(zip(shown["tactic_id"], shown["complaints"], strict=True)) == expected


def test_ranking_and_download_show_their_parameters(demo):
    """The lender ranking's and the download's "show SQL" list the parameters they ran with, as the
    charts' do, so the SQL can be run again (the ranking's tactic filter as $tactic_bits)."""
    at = open_app({"period": "All time", "tactic": "Obscene, profane or abusive language"}, "pages/lenders.py")
    shown = "\n".join(c.value for c in at.code)
    con = duckdb.connect(str(demo), read_only=True)
    bit = con.execute("SELECT bit FROM tactic_bits WHERE tactic_id = 'abusive_language'").fetchone()[0]
    assert "scoped_counts(" in shown and f'"tactic_bits": {bit}' in shown and '"tactics": [' in shown
    at = open_app({"period": "All time"}, "pages/records.py")
    shown = "\n".join(c.value for c in at.code)
    assert "FROM filtered(" in shown and '"cap": ' in shown and '"start_date": ' in shown


def test_periods_cut_by_the_dates_are_shaded_and_named(store):
    """Dates that cut a month leave a short first and last bar: they are shaded and labelled "partial",
    a note under the chart gives their days, and the table says which rows they are. Whole months
    are not shaded."""
    import json

    at = open_app({"period": "Custom dates", "dates": ["2024-01-16", "2024-12-10"], "interval": "Month"})
    assert not at.exception, [e.value for e in at.exception]
    volume = json.loads(at.get("echarts_chart")[0].proto.spec)
    areas = volume["series"][0]["markArea"]["data"]
    assert len(areas) == 2 and {a[0]["name"] for a in areas} == {"partial"}
    assert areas[0][0]["xAxis"] < "2024-01-01" < areas[0][1]["xAxis"] < "2024-02-01"
    assert areas[1][1]["xAxis"] > "2024-12-01" and areas[1][0]["xAxis"] < "2024-12-01"
    notes = [h.proto.body for h in at.get("html") if "Shaded:" in h.proto.body]
    assert notes and "16 Jan 2024 – 31 Jan 2024, 16 of 31 days" in notes[0]
    assert "1 Dec 2024 – 10 Dec 2024, 10 of 31 days" in notes[0]

    whole = open_app({"period": "Custom dates", "dates": ["2024-01-01", "2024-12-31"], "interval": "Month"})
    assert "markArea" not in json.loads(whole.get("echarts_chart")[0].proto.spec)["series"][0]
    assert not [h for h in whole.get("html") if "Shaded:" in h.proto.body]

    zh = open_app({"lang": "中文", "period": "自定义日期", "dates": ["2024-01-16", "2024-12-10"], "interval": "月"})
    assert any("2024年1月16日至2024年1月31日，31天中的16天" in h.proto.body for h in zh.get("html"))


def test_the_tactic_trend_legend_names_every_line_in_the_saved_image(demo):
    """A scrolling legend showed a saved PNG's reader its first page only: the legend wraps, with room
    kept under the plot for all its rows, wider on a phone, and uses the tactics' short names. The
    co-occurrence matrix leaves its cell numbers out on a phone."""
    import json

    from ui.taxonomy import taxonomy

    at = open_app({"period": "All time"}, "pages/tactics.py")
    trend = json.loads(at.get("echarts_chart")[1].proto.spec)
    assert trend["legend"]["type"] == "plain" and trend["legend"]["show"] is True
    names = [s["name"] for s in trend["series"]]
    assert set(names) <= {i.short_en for i in taxonomy().values()} and len(names) > 8
    rows = figures.legend_rows(names, 760)
    assert rows >= 2 and trend["grid"]["bottom"] == 40 + 22 * rows
    (narrow,) = trend["media"]
    assert narrow["option"]["grid"]["bottom"] > trend["grid"]["bottom"]
    # the co-occurrence matrix writes its counts in its cells, except on a phone, where they overlapped
    heat = json.loads(at.get("echarts_chart")[2].proto.spec)
    (phone,) = heat["media"]
    assert heat["series"][0]["label"]["show"] is True and phone["option"]["series"][0]["label"]["show"] is False


def test_ranking_sparklines_count_whole_months_with_zeros(demo):
    """The ranking's trend has one point per whole month of the period, 0 for a month without
    complaints, and leaves out the months the dates cut (its line ended on a half month, a false fall).
    Each point is the store's count for that lender and month."""
    at = open_app({"period": "Custom dates", "dates": ["2025-01-16", "2025-12-10"]}, "pages/lenders.py")
    assert not at.exception, [e.value for e in at.exception]
    ranking = at.dataframe[0].value
    con = duckdb.connect(str(demo), read_only=True)
    counts = dict(((key, month.month), n) for key, month, n in con.execute(
        "SELECT COALESCE(lender_id, '~' || lender_name), date_trunc('month', received), count(*) FROM complaints "
        "WHERE received BETWEEN DATE '2025-02-01' AND DATE '2025-11-30' GROUP BY ALL").fetchall())
    keys = con.execute("SELECT DISTINCT COALESCE(lender_id, '~' || lender_name) FROM complaints "
                       "WHERE received BETWEEN DATE '2025-01-16' AND DATE '2025-12-10'").fetchall()
    con.close()
    drawn = sorted(tuple(line) for line in ranking["sparkline"])
    expected = sorted(tuple(counts.get((key, m), 0) for m in range(2, 12)) for (key,) in keys)   # Feb to Nov
    assert drawn == expected
    assert any(0 in line for line in drawn)   # the demo has lenders with empty months: drawn as 0


def test_tactic_trend_views_draw_the_stores_counts(demo):
    """The trend's lines sum, per tactic, to the complaints with that tactic; the small multiples draw
    the same shares as the lines, one panel each, on one shared scale."""
    import json

    from ui.taxonomy import tactic_short

    def trend(params: dict) -> dict:
        at = open_app({"period": "All time", **params}, "pages/tactics.py")
        assert not at.exception, [e.value for e in at.exception]
        return json.loads(at.get("echarts_chart")[1].proto.spec)

    con = duckdb.connect(str(demo), read_only=True)
    expected = dict(con.execute(
        "SELECT tactic_id, count(DISTINCT complaint_id) FROM complaint_tactics GROUP BY ALL").fetchall())
    con.close()
    names = {tactic_short(tid, "en"): tid for tid in expected}
    lines = trend({})
    drawn = {names[s["name"]]: sum(v for _, v in s["data"]) for s in lines["series"]}
    assert drawn == expected
    shares = trend({"tmeasure": "Shares"})
    panels = trend({"tmeasure": "Shares", "tview": "Small multiples"})
    assert len(panels["grid"]) == len(panels["series"]) == len(expected)
    assert len({a["max"] for a in panels["yAxis"]}) == 1
    assert max(v for s in panels["series"] for _, v in s["data"]) <= panels["yAxis"][0]["max"] <= 100
    assert {s["name"]: s["data"] for s in panels["series"]} == {s["name"]: s["data"] for s in shares["series"]}


def test_the_methodology_page_shows_the_recorded_results_in_words(store):
    """The page reads data/classifier_eval.json: every check is a row with its result, and the
    CFPB recall, recorded below its target, reads "not met"."""
    import json

    from complaints import evaluate_tactics as ev
    from ui.i18n import S

    report = json.loads(ev.EVAL_FILE.read_text(encoding="utf-8"))
    at = open_app({"lang": "EN"}, "pages/methodology.py")
    assert not at.exception, [e.value for e in at.exception]
    table = next(m.value for m in at.markdown if "| Check |" in m.value)
    for row in ev.checks(report):
        line = next(x for x in table.splitlines() if x.startswith("| " + S["ev_" + row["check"]][0]))
        expected = {True: "✓\u00a0met", False: "✗\u00a0not\u00a0met", None: "not measured"}[row["met"]]
        assert expected in line
    cfpb = next(x for x in table.splitlines() if "CFPB narratives" in x)
    assert f"{report['cfpb_narratives']['recall']:.3f}" in cfpb and "not\u00a0met" in cfpb
    assert "phone numbers" in str([d.value for d in at.dataframe])
