"""Keep Streamlit in st.navigation mode.

Streamlit 1.67 still treats a `pages/` folder next to the entry script as a legacy multipage app until
the entry script has called st.navigation once in the process. So the very first request after a server
start that deep-links to a page (/tactics?...) would run pages/tactics.py on its own, without the
entry's language, filters and navigation. Each page calls ensure_navigation(url_path) first: in that
case it switches the process to navigation mode and runs the entry (dashboard.py) in place, aimed at
the same page, then stops.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

ENTRY = Path(__file__).resolve().parent.parent / "dashboard.py"


def ensure_navigation(url_path: str) -> None:
    if not PagesManager.uses_pages_directory and "_filters" in st.session_state:
        return
    PagesManager.uses_pages_directory = False
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

        get_script_run_ctx().pages_manager.set_script_intent("", url_path)
    except AttributeError:  # internals moved: the entry then opens its default page
        pass
    runpy.run_path(str(ENTRY), run_name="__main__")
    st.stop()
