"""JSON lines {"id": ..., "text": ...} on stdin, shared by the audit commands (scrub, classify)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from typing import TextIO


class BadLine(ValueError):
    """One input line that is not a {"id", "text"} object; the message names the line."""


def text_objects(lines: Iterable[str], *, require_text: bool = False):
    """Yield (object, text) per non-blank line, in order; raise BadLine at the first bad one."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadLine(f"line {number}: not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise BadLine(f'line {number}: expected a JSON object like {{"id": ..., "text": ...}}')
        if require_text and "text" not in obj:
            raise BadLine(f'line {number}: missing "text"')
        text = obj.get("text")
        if text is not None and not isinstance(text, str):
            raise BadLine(f'line {number}: "text" must be a string or null')
        yield obj, text


def transform_stream(stdin: TextIO, stdout: TextIO, transform: Callable[[dict, str | None], dict],
                     *, require_text: bool = False, indent: int | None = None) -> int:
    """Write transform(obj, text) for every input line, in order. A bad line: one message, exit 2."""
    try:
        for obj, text in text_objects(stdin, require_text=require_text):
            stdout.write(json.dumps(transform(obj, text), ensure_ascii=False, indent=indent) + "\n")
    except BadLine as exc:
        stdout.flush()
        print(exc, file=sys.stderr)
        return 2
    stdout.flush()
    return 0
