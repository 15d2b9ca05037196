"""Real-browser fixtures: a Streamlit server on a free port over a small test store, and Debian's
chromium driven by Playwright (skipped with a message when /usr/bin/chromium is absent)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest_app import build_demo_store

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser_store(tmp_path_factory) -> Path:
    return build_demo_store(tmp_path_factory.mktemp("browser") / "complaints.duckdb")


@contextlib.contextmanager
def streamlit_server(store: Path, log_dir: Path) -> Iterator[str]:
    """Run `streamlit run dashboard.py` over `store` on a free port; yield its base URL."""
    port = _free_port()
    env = {**os.environ, "COMPLAINTS_STORE": str(store)}
    log = open(log_dir / "streamlit.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("streamlit did not start within 30 s")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def skip_without_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)")


@pytest.fixture(scope="session")
def server(browser_store, tmp_path_factory) -> Iterator[str]:
    skip_without_chromium()
    with streamlit_server(browser_store, tmp_path_factory.mktemp("server")) as base:
        yield base


@pytest.fixture(scope="module")   # module, not session: other modules may start their own Playwright
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def wait_ready(page, timeout: float = 30.0) -> None:
    """Wait until the app has drawn its page and finished running."""
    page.wait_for_selector("h1", timeout=timeout * 1000)
    deadline = time.time() + timeout
    quiet = 0
    while time.time() < deadline:
        busy = page.locator('[data-testid="stStatusWidget"]').count() + page.locator(
            '[data-testid="stSkeleton"]').count()
        quiet = quiet + 1 if busy == 0 else 0
        if quiet >= 3:
            return
        time.sleep(0.3)
