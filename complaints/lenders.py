"""Lender registry (data/lenders.csv) and company-name normalization.

A complaint names its company as the complainant or the platform filed it: "MIDLAND CREDIT
MANAGEMENT, INC.", "和信貸", "和信金融信息服务(上海)有限公司", "信*飞App". normalize_name() folds
those spellings to one key (NFKC width folding, case folding, Traditional -> Simplified,
parenthesised parts, punctuation and legal-form suffixes removed), and the registry maps keys of
every name and alias to a stable lender_id. Unknown names stay unmatched (lender_id None):
`python -m complaints lenders --unmatched` lists them with the closest registry names.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from complaints import DATA_DIR

REGISTRY_FILE = DATA_DIR / "lenders.csv"
DEMO_FILE = DATA_DIR / "demo_lenders.csv"
COLUMNS = ("lender_id", "name_zh", "name_en", "country", "kind", "aliases")
KINDS = ("bank", "online_lender", "consumer_finance", "collection_agency", "debt_buyer", "platform", "other")

# Legal forms and filler words at the end of a name, after punctuation became spaces.
_EN_SUFFIX = re.compile(
    r"(?:\s+(?:inc|incorporated|llc|l l c|na|n a|national association|corp|corporation|co|company|ltd|limited"
    r"|holdings?|group|lp|l p|llp|plc|gp|usa|us))+$")
_ZH_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团|公司|官方|客服|平台|app)+$")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】")
_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}")  # N.A. / L.L.C. / U.S. -> na / llc / us
_PUNCT = re.compile(r"[\W_]+")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1 << 16)
def normalize_name(name: str | None) -> str:
    """Lookup key of a company name: '和信貸' -> '和信贷', 'MIDLAND CREDIT MANAGEMENT, INC.' ->
    'midlandcreditmanagement'. Empty string for no name."""
    if not name:
        return ""
    s = unicodedata.normalize("NFKC", str(name)).casefold().strip()
    if not s.isascii():
        s = _t2s().convert(s)
    s = s.replace("&", " ")
    without_parens = _PARENS.sub(" ", s)
    if without_parens.strip():
        s = without_parens
    s = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), s)
    s = _PUNCT.sub(" ", s).strip()
    s = re.sub(r"^the\s+", "", s)
    for suffix in (_EN_SUFFIX, _ZH_SUFFIX):
        stripped = suffix.sub("", s).strip()
        if stripped:
            s = stripped
    return s.replace(" ", "")


@dataclass(frozen=True, slots=True)
class Lender:
    lender_id: str
    name_zh: str | None
    name_en: str | None
    country: str | None
    kind: str
    aliases: tuple[str, ...]
    demo: bool = False

    @property
    def display_name(self) -> str:
        if self.name_zh and self.name_en:
            return f"{self.name_zh} / {self.name_en}"
        return self.name_zh or self.name_en or self.lender_id


class Registry:
    """Lenders by id and by normalized name."""

    def __init__(self, lenders: list[Lender]):
        self.lenders = {lender.lender_id: lender for lender in lenders}
        self.by_key: dict[str, str] = {}
        for lender in lenders:
            for name in (lender.name_zh, lender.name_en, lender.lender_id, *lender.aliases):
                key = normalize_name(name)
                if not key:
                    continue
                other = self.by_key.setdefault(key, lender.lender_id)
                if other != lender.lender_id:
                    raise ValueError(f"lender registry: name {name!r} (key {key!r}) belongs to both "
                                     f"{other} and {lender.lender_id}")
        self._keys = list(self.by_key)

    @classmethod
    def load(cls, include_demo: bool = False, path: Path | None = None) -> Registry:
        """data/lenders.csv, plus data/demo_lenders.csv (invented demo lenders) when include_demo."""
        lenders = _read(path or REGISTRY_FILE, demo=False)
        if include_demo and DEMO_FILE.exists():
            lenders += _read(DEMO_FILE, demo=True)
        return cls(lenders)

    def match(self, name: str | None) -> str | None:
        """lender_id for a company name as filed, or None when it matches no registry entry."""
        return self.by_key.get(normalize_name(name)) if name else None

    def closest(self, name: str, n: int = 3) -> list[tuple[str, str]]:
        """Up to n (lender_id, display name) of the registry names most like `name`."""
        key = normalize_name(name)
        if not key:
            return []
        found: list[tuple[str, str]] = []
        for k in difflib.get_close_matches(key, self._keys, n=n * 4, cutoff=0.6):
            lender = self.lenders[self.by_key[k]]
            if all(lender.lender_id != f[0] for f in found):
                found.append((lender.lender_id, lender.display_name))
            if len(found) == n:
                break
        return found

    def get(self, lender_id: str) -> Lender | None:
        return self.lenders.get(lender_id)

    def rows(self) -> list[dict]:
        """Rows for the store's `lenders` table."""
        return [{"lender_id": x.lender_id, "name_zh": x.name_zh, "name_en": x.name_en, "country": x.country,
                 "kind": x.kind, "aliases": list(x.aliases), "demo": x.demo} for x in self.lenders.values()]

    def __len__(self) -> int:
        return len(self.lenders)


def _read(path: Path, demo: bool) -> list[Lender]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path.name}: missing columns: {', '.join(missing)}")
        lenders = []
        for line, row in enumerate(reader, start=2):
            lender_id = (row["lender_id"] or "").strip()
            kind = (row["kind"] or "other").strip()
            if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", lender_id):
                raise ValueError(f"{path.name}: line {line}: bad lender_id {lender_id!r} (use a lower-case slug)")
            if kind not in KINDS:
                raise ValueError(f"{path.name}: line {line}: unknown kind {kind!r} (one of {', '.join(KINDS)})")
            aliases = tuple(a.strip() for a in (row["aliases"] or "").split("|") if a.strip())
            lenders.append(Lender(lender_id, (row["name_zh"] or "").strip() or None,
                                  (row["name_en"] or "").strip() or None, (row["country"] or "").strip() or None,
                                  kind, aliases, demo))
    return lenders
