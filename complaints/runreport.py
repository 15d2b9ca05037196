"""What one ingested file produced, and the bilingual table the CLI prints at the end of a load."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass


@dataclass(slots=True)
class RunReport:
    file: str                  # base name only
    source: str
    run_id: str
    sha256: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_duplicate: int = 0
    rows_quarantined: int = 0
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds > 0 else 0.0

    def reconciles(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_duplicate + self.rows_quarantined

    def to_dict(self) -> dict:
        d = asdict(self)
        d["seconds"] = round(self.seconds, 3)
        d["rows_per_second"] = round(self.rows_per_second, 1)
        return d


_COLUMNS = (
    ("file", "文件 file"),
    ("rows_read", "读取 read"),
    ("rows_loaded", "载入 loaded"),
    ("rows_duplicate", "重复 duplicate"),
    ("rows_quarantined", "隔离 quarantined"),
    ("seconds", "秒 seconds"),
)


def _width(text: str) -> int:
    """Display width: wide (CJK) characters take two terminal columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def format_table(reports: list[RunReport]) -> str:
    """Counts per file plus a total line, aligned for a terminal."""
    rows = []
    for r in reports:
        rows.append([r.file, f"{r.rows_read:,}", f"{r.rows_loaded:,}", f"{r.rows_duplicate:,}",
                     f"{r.rows_quarantined:,}", f"{r.seconds:.1f}"])
    if len(reports) > 1:
        rows.append(["合计 total", f"{sum(r.rows_read for r in reports):,}",
                     f"{sum(r.rows_loaded for r in reports):,}",
                     f"{sum(r.rows_duplicate for r in reports):,}",
                     f"{sum(r.rows_quarantined for r in reports):,}",
                     f"{sum(r.seconds for r in reports):.1f}"])
    headers = [label for _, label in _COLUMNS]
    widths = [max(_width(x) for x in col) for col in zip(headers, *rows, strict=False)]
    lines = ["  ".join(_pad(h, w, i > 0) for i, (h, w) in enumerate(zip(headers, widths, strict=True)))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(_pad(v, w, i > 0) for i, (v, w) in enumerate(zip(row, widths, strict=True))))
    return "\n".join(lines)
