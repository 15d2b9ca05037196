"""Share links: the widgets already keep the view in the URL (bind="query-params"); a share link adds
absolute dates (so "last 12 months" does not drift), the data version (v=) and an absolute base.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from complaints.cite import citation
from ui import data
from ui.i18n import t

FALLBACK_BASE = "http://localhost:8501/"
# Params that describe one visit, not the view.
_TRANSIENT = {"embed", "chart", "embed_options"}


def _page_base() -> str:
    """Absolute URL of the current page, without its query (st.context.url includes the page path)."""
    url = st.context.url
    if not url:  # AppTest and other runs without a browser
        return FALLBACK_BASE + st.session_state.get("_page_path", "")
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def current_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params if key not in _TRANSIENT}


def share_url() -> str:
    from ui.filters import current
    filters = current()
    params = current_params()
    params["period"] = [t("period_custom")]
    params["dates"] = [filters.start.isoformat(), filters.end.isoformat()]
    params["v"] = [data.store_version()]
    return _page_base() + "?" + urlencode(params, doseq=True)


def embed_url(chart_id: str) -> str:
    params = {k: v for k, v in current_params().items() if k != "v"}
    from ui.filters import current
    filters = current()
    params["period"] = [t("period_custom")]
    params["dates"] = [filters.start.isoformat(), filters.end.isoformat()]
    params["embed"] = ["true"]
    params["chart"] = [chart_id]
    return _page_base() + "?" + urlencode(params, doseq=True)


def version_notice() -> None:
    linked = st.query_params.get("v")
    current = data.store_version()
    if linked and linked != current:
        safe = "".join(ch for ch in linked if ch.isalnum() or ch in "-_.")[:40]
        st.info(t("old_version", old=safe or "?", new=current), icon="ℹ️")


def share_and_cite(title: str) -> None:
    """The share link and the citation, each in an expander whose content is drawn only once it is
    opened (the code blocks would otherwise load the syntax highlighter before the charts draw)."""
    with st.expander(t("share_link"), icon=":material/link:", key="share-open", on_change="rerun") as shown:
        if shown.open:
            st.caption(t("share_help"))
            st.code(share_url(), language=None, wrap_lines=True)
    with st.expander(t("cite"), icon=":material/format_quote:", key="cite-open", on_change="rerun") as shown:
        if not shown.open:
            return
        texts = citation(title, data.store_version(), date.today(), share_url())
        st.caption(t("cite_plain"))
        st.code(texts["plain"], language=None, wrap_lines=True)
        st.caption("APA")
        st.code(texts["apa"], language=None, wrap_lines=True)
        st.caption("BibTeX")
        st.code(texts["bibtex"], language="latex", wrap_lines=True)
