"""`python -m complaints classify`: audit the tactic classifier.

Reads JSON lines {"id": ..., "text": ...} on stdin and writes, in the same order, one line per input:
{"id": ..., "tactics": [...], "evidence": [{"tactic", "start", "end", "text"}]}. Offsets index the
input text as given (Unicode code points). A bad line stops the run with one clear message on stderr.
"""

from __future__ import annotations

import sys

from complaints.commands._jsonl import transform_stream
from complaints.tactics import classify, tactics_of

HELP = "Label JSON lines {id, text} on stdin with abusive-collection tactics and evidence spans"


def add_arguments(parser) -> None:
    parser.add_argument("--pretty", action="store_true", help="indent the output (one object per block)")


def run(args) -> int:
    return classify_stream(sys.stdin, sys.stdout, pretty=getattr(args, "pretty", False))


def _labelled(obj: dict, text: str | None) -> dict:
    evidence = classify(text)
    return {"id": obj.get("id"), "tactics": tactics_of(evidence), "evidence": [e._asdict() for e in evidence]}


def classify_stream(stdin, stdout, *, pretty: bool = False) -> int:
    return transform_stream(stdin, stdout, _labelled, require_text=True, indent=2 if pretty else None)
