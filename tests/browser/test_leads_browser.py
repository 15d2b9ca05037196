"""Real browser (issue 7): a lead on the Leads page links to the view that shows it, and following the
link opens the lender's profile over the baseline and the surge month."""

from __future__ import annotations

from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    skip_without_chromium,
    streamlit_server,
    wait_ready,
)
from tests.test_leads_app import build_leads_store

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def leads_server(tmp_path_factory):
    skip_without_chromium()
    store = build_leads_store(tmp_path_factory.mktemp("leads-browser") / "complaints.duckdb")
    with streamlit_server(store, tmp_path_factory.mktemp("leads-server")) as base:
        yield base


def test_following_a_lead_opens_the_view_that_shows_it(leads_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = chromium.new_page(viewport={"width": 1280, "height": 1600})
            page.goto(f"{leads_server}/leads?period=All+time")
            wait_ready(page, timeout=60)
            page.get_by_text("Complaints about Alpha Lending rose to").first.wait_for(timeout=60_000)
            link = page.get_by_role("link", name="Open the view").first
            href = link.get_attribute("href")
            assert href.startswith("lenders?") or "/lenders?" in href
            if link.get_attribute("target") == "_blank":
                with page.context.expect_page() as opened:
                    link.click()
                view = opened.value
            else:
                link.click()
                view = page
            view.wait_for_url("**/lenders?**", timeout=30_000)
            wait_ready(view, timeout=60)
            query = parse_qs(urlsplit(view.url).query)
            assert query["lender_profile"] == ["demo-lead-a"]
            assert query["dates"] == ["2025-04-01", "2025-10-31"]
            # the chart is drawn on a canvas: its accessible name (the alt text) carries the title
            view.locator('[data-testid="stEChartsChart"][aria-label*="Complaints about Alpha Lending"]').first.wait_for(
                timeout=60_000)
            assert urljoin(f"{leads_server}/leads", href).split("?")[0] == view.url.split("?")[0]
        finally:
            chromium.close()
