"""Complaint text as HTML: always escaped, never interpreted as Markdown or HTML."""

from __future__ import annotations

import html


def highlight_spans(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Escaped text with each non-overlapping evidence span wrapped in <mark> (coloured by tactic).
    Spans outside the text or overlapping an earlier one are skipped."""
    out, pos = [], 0
    for start, end, colour in sorted(spans):
        if start < pos or not 0 <= start < end <= len(text):
            continue
        out.append(html.escape(text[pos:start]))
        out.append(f'<mark style="background:{colour}33;border-bottom:2px solid {colour}">'
                   f"{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)
