"""Cheap language tag for a complaint's text: zh-Hans, zh-Hant, en or None (no text).

Han characters present -> Chinese. Traditional when converting Traditional->Simplified (OpenCC t2s)
changes a meaningful share of the Han characters: Simplified text is (nearly) unchanged by t2s.
Only the first few hundred characters are looked at; that is plenty to decide and keeps it fast.
"""

from __future__ import annotations

import re

SAMPLE_CHARS = 600
# Share of Han characters t2s must change to call a text Traditional. Simplified text scores ~0;
# Traditional text typically 15-40%.
TRADITIONAL_SHARE = 0.06

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_converter = None


def _t2s():
    global _converter
    if _converter is None:
        import opencc  # imported lazily: English-only loads never pay for it

        _converter = opencc.OpenCC("t2s")
    return _converter


def detect(*texts: str | None) -> str | None:
    sample = " ".join(t for t in texts if t)[:SAMPLE_CHARS]
    if not sample.strip():
        return None
    han = _HAN.findall(sample)
    if han:
        original = "".join(han)
        simplified = _t2s().convert(original)
        changed = sum(1 for a, b in zip(original, simplified, strict=False) if a != b)
        if len(simplified) != len(original):
            changed = max(changed, abs(len(simplified) - len(original)))
        return "zh-Hant" if changed >= max(1, TRADITIONAL_SHARE * len(original)) else "zh-Hans"
    return "en" if _LATIN.search(sample) else None
