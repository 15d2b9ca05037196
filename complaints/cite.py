"""Citation text for a dashboard view (issue 7). PLACEHOLDER: the leads helper completes it.

Interface: citation(title, data_version, accessed, url) -> {"plain": str, "apa": str, "bibtex": str}
"""

from __future__ import annotations

from datetime import date


def citation(title: str, data_version: str, accessed: date, url: str) -> dict[str, str]:
    plain = f"Collection Watch · 催收观察. {title}. Data version {data_version}. Accessed {accessed.isoformat()}. {url}"
    return {"plain": plain, "apa": plain, "bibtex": plain}
