"""The house rules that keep the data flow one-way, checked on every run."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_domain_package_never_imports_streamlit():
    offenders = [p.relative_to(ROOT) for p in (ROOT / "complaints").rglob("*.py") if "streamlit" in _imports(p)]
    assert offenders == []


def test_pages_do_not_call_writers():
    """Pages only read: no store writer, no pipeline, no DDL/DML in page code."""
    for page in (ROOT / "pages").glob("*.py"):
        text = page.read_text(encoding="utf-8")
        for forbidden in ("store.writer", "pipeline.", "INSERT INTO", "DELETE FROM", "CREATE TABLE", "DROP TABLE"):
            assert forbidden not in text, f"{page.name} contains {forbidden!r}"


def test_ruff_is_clean():
    ruff = shutil.which("ruff")
    cmd = [ruff] if ruff else [sys.executable, "-m", "ruff"]
    result = subprocess.run([*cmd, "check", "--quiet", str(ROOT)], capture_output=True, text=True)
    if result.returncode != 0 and "No module named ruff" in result.stderr:
        pytest.skip("ruff is not installed (pip install -r requirements.txt)")
    assert result.returncode == 0, result.stdout + result.stderr
