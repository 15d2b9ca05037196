"""Page timings in headless Chromium and the dashboard server's peak memory.

Starts `streamlit run dashboard.py` on a free port with COMPLAINTS_STORE set, then for each page
opens its URL in a fresh browser context and waits until the app is done: Streamlit's script state
is `notRunning`, no running indicator shows, and the number of drawn charts
(`stEChartsChart` with its canvas inside) has reached the page's expected count, with no element still
loading (no `stSkeleton`: the chart bundle loads lazily, after the script has finished).
The expected count of a page is learnt on its first visit, which waits until nothing has changed for
`settle_s` and reports the time of the last change (first_ms: the page's query caches are cold).
Memory is the summed RSS of the streamlit process and its children, read from /proc every 50 ms.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from bench.common import ROOT, percentile

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
PAGES = ("overview", "tactics", "lenders", "records", "methodology", "leads")

# JavaScript run in the page: is the app idle, is anything still loading, how many charts are drawn?
# Streamlit draws a skeleton (stSkeleton) where an element is still loading (the chart bundle is loaded
# lazily), and shows its status widget while a script runs.
_STATE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const plots = Array.from(document.querySelectorAll('[data-testid="stEChartsChart"]'));
  return {
    state: app ? app.getAttribute('data-test-script-state') : null,
    running: document.querySelectorAll('[data-testid="stStatusWidget"]').length > 0,
    skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
    elements: document.querySelectorAll('[data-testid="stMain"] [data-testid="stElementContainer"]').length,
    heading: (document.querySelector('[data-testid="stMain"] h1') || {}).textContent || '',
    charts: plots.length,
    drawn: plots.filter(p => p.querySelector('canvas, svg')).length,
    exc: document.querySelectorAll('[data-testid="stException"]').length,
  };
}"""


# ---------------------------------------------------------------------------------------------
# Memory of a process tree from /proc (no psutil).

def _children(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                kids.append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    return kids


def tree_pids(root: int) -> list[int]:
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(_children(pid))
    return pids


def rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss_bytes(root: int) -> int:
    return sum(rss_bytes(p) for p in tree_pids(root))


class RssSampler:
    """Samples the summed RSS of a process tree in a background thread and keeps the peak."""

    def __init__(self, root_pid: int, interval_s: float = 0.05):
        self.root_pid, self.interval_s = root_pid, interval_s
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_bytes(self.root_pid))
            self._stop.wait(self.interval_s)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, tree_rss_bytes(self.root_pid))


# ---------------------------------------------------------------------------------------------
# The dashboard server

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DashboardServer:
    def __init__(self, store: Path, port: int | None = None, log_path: Path | None = None):
        self.store, self.port = store, port or free_port()
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> DashboardServer:
        env = dict(os.environ, COMPLAINTS_STORE=str(self.store), STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
        out = open(self.log_path, "w") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("streamlit did not become healthy within 60 s")

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # only the group this harness started
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


# ---------------------------------------------------------------------------------------------
# Browser timing

def _idle(state: dict) -> bool:
    return state["state"] == "notRunning" and not state["running"] and not state["skeletons"] and state["elements"] > 0


def _wait_drawn(page, expected: int | None, timeout_s: float, settle_s: float) -> tuple[float, dict]:
    """Poll until the page is idle with `expected` charts drawn; when expected is None (learning
    visit), until it is idle and nothing has changed for settle_s (the time of the last change is
    returned). Returns (seconds since the call, last state)."""
    started = time.perf_counter()
    last_sig, last_change = None, started
    state: dict = {}
    while True:
        now = time.perf_counter()
        state = page.evaluate(_STATE_JS)
        sig = (state["state"], state["elements"], state["drawn"], state["skeletons"])
        if sig != last_sig:
            last_sig, last_change = sig, now
        if _idle(state) and state["exc"]:
            return now - started, state  # an exception box: done, but flagged
        if expected is not None:
            if _idle(state) and state["drawn"] >= expected:
                return now - started, state
        elif _idle(state) and now - last_change >= settle_s:
            return last_change - started, state
        if now - started > timeout_s:
            state["timeout"] = True
            return now - started, state
        page.wait_for_timeout(20)


def measure_pages(store: Path, pages: tuple[str, ...] = PAGES, runs: int = 5, timeout_s: float = 60.0,
                  settle_s: float = 2.0, log=print, server_log: Path | None = None) -> dict:
    """Time each page (first visit and `runs` more), return {"pages": [...], "server_peak_rss_mb": ...}."""
    from playwright.sync_api import sync_playwright

    results = []
    expected_by_page: dict[str, tuple[int, str]] = {}   # charts and heading, learnt on the first visit
    with DashboardServer(store, log_path=server_log) as server, RssSampler(server.proc.pid) as rss, \
            sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            # Untimed: the server's first session pays Python imports and the store connection.
            _visit(browser, server.url + "/", None, timeout_s, settle_s)
            idle_rss = tree_rss_bytes(server.proc.pid)
            for name in pages:
                url = f"{server.url}/{name}"
                # The first (untimed) visit learns how many charts the page draws once settled;
                # its time is still reported as first_ms (caches of this page's queries cold).
                first_s, first_state = _visit(browser, url, None, timeout_s, settle_s)
                expected = first_state["drawn"]
                times = [first_s]
                problems = []
                if first_state.get("timeout"):
                    problems.append("timed out waiting for the page to settle")
                if first_state["exc"]:
                    problems.append(f"{first_state['exc']} exception box(es) on the page")
                for _ in range(runs):
                    seconds, state = _visit(browser, url, expected, timeout_s, settle_s)
                    times.append(seconds)
                    if state.get("timeout"):
                        problems.append(f"timed out at {state['drawn']}/{expected} charts")
                ms = [t * 1000 for t in times]
                row = {"name": name, "url_path": "/" + name, "charts": expected, "visits": len(ms),
                       "first_ms": round(ms[0], 1), "p50_ms": round(percentile(ms, 50), 1),
                       "p95_ms": round(percentile(ms, 95), 1), "max_ms": round(max(ms), 1),
                       "problems": sorted(set(problems))}
                expected_by_page[name] = (expected, first_state["heading"])
                log(f"  page {name:<12} charts={expected:<3} first={row['first_ms']:>8.1f} ms "
                    f"p50={row['p50_ms']:>8.1f} p95={row['p95_ms']:>8.1f}" + (f"  {problems[0]}" if problems else ""))
                results.append(row)
            switches = _switch_times(browser, server.url, expected_by_page, runs, timeout_s)
            for row in results:
                ms = [t * 1000 for t in switches.get(row["name"], [])]
                if ms:
                    row.update(switch_p50_ms=round(percentile(ms, 50), 1), switch_max_ms=round(max(ms), 1))
                    log(f"  switch to {row['name']:<8} p50={row['switch_p50_ms']:>8.1f} max={row['switch_max_ms']:>8.1f}")
        finally:
            browser.close()
    return {"pages": results, "server_peak_rss_mb": round(rss.peak / 2**20, 1),
            "server_idle_rss_mb": round(idle_rss / 2**20, 1)}


# Click the top navigation's link to a page (the overview is the home link, "/").
_CLICK_JS = """(name) => {
  const want = name === 'overview' ? '' : '/' + name;
  const link = Array.from(document.querySelectorAll('header a, [data-testid="stTopNavLink"], nav a'))
    .find(a => new URL(a.href).pathname.replace(/\\/$/, '') === want);
  if (!link) return false;
  link.click();
  return true;
}"""


def _switch_times(browser, url: str, expected: dict[str, tuple[int, str]], runs: int,
                  timeout_s: float) -> dict[str, list[float]]:
    """A reader moving between pages: one browser tab, the top navigation clicked. Streamlit then reruns
    the script over the open connection, with the JavaScript already loaded. Timed from the click until
    the new page's heading (as on its first visit) shows, nothing runs or loads, and its charts are
    drawn. Right after the click Streamlit clears the page (no heading, nothing running) before the
    rerun starts: waiting for the page's own heading keeps that moment from counting as done."""
    if len(expected) < 2 or "overview" not in expected:
        return {}   # a switch needs a page to come from
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    times: dict[str, list[float]] = {name: [] for name in expected}
    try:
        page.goto(url + "/", timeout=timeout_s * 1000)
        _wait_drawn(page, expected["overview"][0], timeout_s, 0)
        order = [name for name in expected if name != "overview"] + ["overview"]
        for _ in range(runs):
            for name in order:
                charts, heading = expected[name]
                started = time.perf_counter()
                if not page.evaluate(_CLICK_JS, name):
                    break
                while True:
                    state = page.evaluate(_STATE_JS)
                    if (state["heading"] == heading and _idle(state) and state["drawn"] >= charts) \
                            or time.perf_counter() - started > timeout_s:
                        break
                    page.wait_for_timeout(20)
                times[name].append(time.perf_counter() - started)
    finally:
        context.close()
    return times


def _visit(browser, url: str, expected: int | None, timeout_s: float, settle_s: float) -> tuple[float, dict]:
    """Open url in a fresh context (no shared browser cache or session) and time it to 'all drawn'."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        started = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        # The app root appears once the JS bundle has run; before that the state attribute is absent.
        page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_s * 1000)
        # Before the first script run the state is "initial" (or absent) and the main area empty,
        # which _idle() does not take for done.
        offset = time.perf_counter() - started
        waited, state = _wait_drawn(page, expected, timeout_s, settle_s)
        return offset + waited, state
    finally:
        context.close()
