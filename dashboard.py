"""Collection Watch · 催收观察: the dashboard entry.

`streamlit run dashboard.py`. Sets the page up (wide), the language, the shared sidebar filters, the demo
banner, the navigation, the share/cite block and embed mode (?embed=true&chart=<chart_id>).
"""

from __future__ import annotations

import runpy
from pathlib import Path

import streamlit as st

from ui import data
from ui.charts import embed_mode
from ui.filters import chart_options, language_selector, options, raw_query_params, sidebar
from ui.i18n import t
from ui.share import share_and_cite, version_notice

ROOT = Path(__file__).resolve().parent
EMBED = embed_mode()
st.set_page_config(page_title="Collection Watch · 催收观察", page_icon=str(ROOT / "ui" / "assets" / "icon.png"),
                   layout="wide", initial_sidebar_state="collapsed" if EMBED else "auto")

RAW = raw_query_params()  # the link as sent, before widgets validate it
language_selector(RAW)


def _ensure_store() -> bool:
    """Build the demo store when there is none (complaints.demo, when installed)."""
    if data.store_signature() is not None:
        return True
    try:
        from complaints.demo import ensure_store
    except ImportError:
        st.error(t("no_store"))
        st.code("python -m complaints demo", language="bash")
        return False
    bar = st.progress(0.0, text=t("building_demo"))

    def progress(fraction: float, message: str | None = None) -> None:
        bar.progress(min(max(float(fraction), 0.0), 1.0), text=f"{t('building_demo')} {message or ''}")

    try:
        ensure_store(progress_callback=progress)
    except Exception as error:  # the demo builder failing must still leave a readable page
        st.error(f"{t('no_store')}\n\n{type(error).__name__}: {error}")
        st.code("python -m complaints demo", language="bash")
        return False
    bar.empty()
    return data.store_signature() is not None


if not _ensure_store():
    st.stop()
if options()["n"] == 0:
    st.info(t("empty_store"))
    st.stop()

st.session_state["_filters"] = sidebar(RAW)
st.session_state["_events"] = chart_options(RAW)


def _home() -> None:
    """The root URL shows the overview; /overview (a hidden twin) shows the same page."""
    runpy.run_path(str(ROOT / "pages" / "overview.py"), run_name="__main__")


PAGES = [
    st.Page(_home, title=t("page_overview"), url_path="home", default=True, icon=":material/dashboard:"),
    st.Page("pages/overview.py", title=t("page_overview"), url_path="overview", visibility="hidden"),
    st.Page("pages/tactics.py", title=t("page_tactics"), url_path="tactics", icon=":material/report:"),
    st.Page("pages/lenders.py", title=t("page_lenders"), url_path="lenders", icon=":material/account_balance:"),
    st.Page("pages/leads.py", title=t("page_leads"), url_path="leads", icon=":material/trending_up:"),
    st.Page("pages/records.py", title=t("page_records"), url_path="records", icon=":material/table_rows:"),
    st.Page("pages/methodology.py", title=t("page_methodology"), url_path="methodology",
            icon=":material/menu_book:"),
]
page = st.navigation(PAGES, position="hidden" if EMBED else "top")
st.session_state["_page_path"] = "" if page.url_path == "home" else page.url_path

if data.meta().get("demo") == "true":
    if EMBED:
        st.caption(t("demo_banner"))
    else:
        st.info(t("demo_banner"), icon=":material/science:")
version_notice()

if EMBED:
    from pages import lenders, overview, records, tactics

    charts = {**overview.CHARTS, **tactics.CHARTS, **lenders.CHARTS, **records.CHARTS}
    chart_id = st.query_params.get("chart", "")
    if chart_id in charts:
        charts[chart_id]()
    else:
        st.warning(t("embed_unknown"))
else:
    page.run()
    st.divider()
    share_and_cite(f"{page.title} · {st.session_state['_filters'].describe()}")
