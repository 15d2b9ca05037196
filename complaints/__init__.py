"""Collection Watch domain package: sources, anonymize, tactics, lenders, store.

This package never imports Streamlit: the dashboard reads what it writes.
"""

from pathlib import Path

__version__ = "0.1.0"

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
QUERIES_DIR = ROOT / "queries"
