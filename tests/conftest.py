"""Shared fixtures. Tests that read ../shared/data/real skip when it is absent."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REAL_DATA = ROOT.parent / "shared" / "data" / "real"


@pytest.fixture(autouse=True)
def _private_secret(tmp_path_factory, monkeypatch):
    """Every test gets its own HMAC secret so tests never touch the user's key."""
    secret = tmp_path_factory.getbasetemp() / "secret.key"
    monkeypatch.setenv("COMPLAINTS_SECRET_FILE", str(secret))


@pytest.fixture
def real_data() -> Path:
    if not REAL_DATA.is_dir():
        pytest.skip(f"real data folder {REAL_DATA} is absent")
    return REAL_DATA
