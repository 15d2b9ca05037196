"""Citation text for a dashboard view (issue 7): plain text, APA and BibTeX.

Interface: citation(title, data_version, accessed, url) -> {"plain": str, "apa": str, "bibtex": str}

`url` must be the absolute share link of the view (absolute dates, so that it restores the same view
later). `data_version` is the store's meta `store_version` (e.g. "20261129T101500Z-3fa2c1"); its leading
YYYY is used as the publication year, else the year accessed.
"""

from __future__ import annotations

import re
from datetime import date

AUTHOR = "Collection Watch"
AUTHOR_ZH = "催收观察"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")

# LaTeX specials in ordinary BibTeX text fields. Backslash first, via a placeholder-free single pass.
_TEX_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_TEX_RE = re.compile("|".join(re.escape(c) for c in _TEX_ESCAPES))


def tex_escape(text: str) -> str:
    return _TEX_RE.sub(lambda m: _TEX_ESCAPES[m.group()], text)


def bibtex_url(url: str) -> str:
    """A URL safe inside a braced BibTeX field: braces percent-encoded (they would unbalance the
    entry), then % and # escaped for LaTeX's \\url."""
    url = url.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C")
    return url.replace("%", r"\%").replace("#", r"\#")


def _year(data_version: str, accessed: date) -> int:
    m = re.match(r"(\d{4})", data_version or "")
    return int(m.group(1)) if m and 1990 <= int(m.group(1)) <= 2200 else accessed.year


def _long_date(d: date) -> str:
    return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"


def bibtex_key(data_version: str, accessed: date) -> str:
    """collectionwatch_<accessed YYYYMMDD>_<version, alphanumerics only>: stable for a view and day."""
    version = re.sub(r"[^A-Za-z0-9]", "", data_version or "") or "unversioned"
    return f"collectionwatch_{accessed:%Y%m%d}_{version}"


def citation(title: str, data_version: str, accessed: date, url: str) -> dict[str, str]:
    title = " ".join((title or "Dashboard").split())
    version = (data_version or "unversioned").strip()
    year = _year(version, accessed)
    plain = (f"{AUTHOR} · {AUTHOR_ZH}. {title}. Data version {version}. "
             f"Accessed {accessed.isoformat()}. {url}")
    apa = (f"{AUTHOR}. ({year}). {title} [Data set, version {version}]. "
           f"Retrieved {_long_date(accessed)}, from {url}")
    bibtex = "\n".join([
        f"@misc{{{bibtex_key(version, accessed)},",
        f"  author       = {{{{{AUTHOR}}}}},",
        f"  title        = {{{{{tex_escape(title)}}}}},",
        f"  year         = {{{year}}},",
        f"  version      = {{{tex_escape(version)}}},",
        "  howpublished = {Data set},",
        f"  url          = {{{bibtex_url(url)}}},",
        f"  urldate      = {{{accessed.isoformat()}}},",
        f"  note         = {{Data version {tex_escape(version)}. Accessed {accessed.isoformat()}}},",
        "}",
    ])
    return {"plain": plain, "apa": apa, "bibtex": bibtex}
