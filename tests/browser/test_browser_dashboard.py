"""The dashboard in a real browser: every page (English on a desktop, Chinese on a 390-px phone with no sideways scroll), a shared link reproduces the view in a
fresh browser, a chart's data download matches the store."""

from __future__ import annotations

import csv
import io

import duckdb
import pandas as pd
import pytest

from tests.browser.conftest import wait_ready

pytestmark = pytest.mark.browser

PAGES = ("overview", "tactics", "lenders", "records", "methodology")
TITLES = {"en": ("Overview", "Tactics", "Lenders", "Records", "Methodology"),
          "zh": ("总览", "催收手段", "机构", "数据", "方法")}


def metrics(page) -> list[str]:
    return page.locator('[data-testid="stMetricValue"]').all_inner_texts()


def test_every_page_in_english_on_a_desktop(server, browser):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    # No request leaves the machine: no CDN, no web font, no icon from elsewhere (a visit to a page
    # must not be told to a third party).
    elsewhere = []
    page.on("request", lambda r: None if r.url.startswith((server, "data:", "blob:")) else elsewhere.append(r.url))
    for name, title in zip(PAGES, TITLES["en"], strict=True):
        page.goto(f"{server}/{name}")
        wait_ready(page)
        assert title in page.locator("h1").first.inner_text()
        assert page.locator('[data-testid="stException"]').count() == 0, name
    assert elsewhere == []
    context.close()


def test_every_page_in_chinese_on_a_phone_without_sideways_scroll(server, browser, tmp_path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    for name, title in zip(PAGES, TITLES["zh"], strict=True):
        page.goto(f"{server}/{name}?lang=中文")
        wait_ready(page)
        assert title in page.locator("h1").first.inner_text()
        assert page.locator('[data-testid="stException"]').count() == 0, name
        width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(tmp_path / f"{name}-390.png"))
        assert width <= 392, f"{name}: page is {width}px wide on a 390px phone"
    context.close()


def test_shared_link_reproduces_the_view_in_a_fresh_browser(server, browser):
    first = browser.new_context(viewport={"width": 1300, "height": 900})
    page = first.new_page()
    page.goto(f"{server}/overview?lang=中文&tactic=辱骂侮辱&country=中国")
    wait_ready(page)
    numbers = metrics(page)
    page.get_by_text("分享此视图").click()
    share = page.locator("code").filter(has_text="v=").first.inner_text().strip()
    assert "dates=" in share and "v=" in share
    first.close()

    fresh = browser.new_context(viewport={"width": 1300, "height": 900})
    again = fresh.new_page()
    again.goto(share)
    wait_ready(again)
    assert metrics(again) == numbers
    sidebar = again.locator('[data-testid="stSidebar"]').inner_text()
    assert "辱骂侮辱" in sidebar and "中国" in sidebar and "起止日期" in sidebar   # custom dates shown
    fresh.close()


def test_language_switch_keeps_the_selected_filters(server, browser):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.goto(f"{server}/overview?tactic=Obscene%2C+profane+or+abusive+language")
    wait_ready(page)
    before = metrics(page)[0]
    page.locator('[data-testid="stSidebar"]').get_by_text("中文", exact=True).click()
    page.wait_for_function("document.querySelector('h1') && document.querySelector('h1').innerText.includes('总览')")
    wait_ready(page)
    assert metrics(page)[0] == before
    assert "辱骂侮辱" in page.locator('[data-testid="stSidebar"]').inner_text()
    context.close()


def test_chart_data_download_matches_the_store(server, browser, browser_store):
    context = browser.new_context(viewport={"width": 1300, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{server}/overview?period=All+time&interval=Year")
    wait_ready(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Get the data (CSV)").first.click()
    rows = list(csv.DictReader(io.StringIO(info.value.path().read_text(encoding="utf-8-sig"))))
    con = duckdb.connect(str(browser_store), read_only=True)
    expected = dict(con.execute("SELECT CAST(CAST(date_trunc('year', received) AS DATE) AS VARCHAR), count(*) "
                                "FROM complaints GROUP BY 1").fetchall())
    con.close()
    assert {r["Date"][:10]: int(r["Complaints"]) for r in rows} == expected
    context.close()


def test_records_download_holds_the_newest_complaints_of_the_view(server, browser, browser_store):
    """The records page's CSV and Parquet downloads (read through Arrow, complaints/frames.py): the
    filtered complaints, newest first, with the columns a researcher needs."""
    context = browser.new_context(viewport={"width": 1300, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{server}/records?period=All+time&country=China")
    wait_ready(page)
    con = duckdb.connect(str(browser_store), read_only=True)
    expected = [str(r[0]) for r in con.execute("SELECT complaint_id FROM complaints WHERE country = 'CN' "
                                               "ORDER BY received DESC, complaint_id DESC LIMIT 50000").fetchall()]
    con.close()
    with page.expect_download() as info:
        page.get_by_role("button", name="CSV", exact=True).click()
    rows = list(csv.DictReader(io.StringIO(info.value.path().read_text(encoding="utf-8-sig"))))
    assert [r["complaint_id"] for r in rows] == expected
    assert {"received", "lender_name", "tactics", "narrative"} <= set(rows[0])
    assert all(len(r["received"]) == 10 for r in rows)  # a date, not a timestamp
    with page.expect_download() as info:
        page.get_by_role("button", name="Parquet", exact=True).click()
    parquet = pd.read_parquet(info.value.path())
    assert [str(i) for i in parquet["complaint_id"]] == expected
    context.close()
