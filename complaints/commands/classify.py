"""`python -m complaints classify`: audit the tactic classifier.

Reads JSON lines {"id": ..., "text": ...} on stdin and writes, in the same order, one line per input:
{"id": ..., "tactics": [...], "evidence": [{"tactic", "start", "end", "text"}]}. Offsets index the
input text as given (Unicode code points). A bad line stops the run with one clear message on stderr.
"""

from __future__ import annotations

import json
import sys

from complaints.tactics import classify, tactics_of

HELP = "Label JSON lines {id, text} on stdin with abusive-collection tactics and evidence spans"


def add_arguments(parser) -> None:
    parser.add_argument("--pretty", action="store_true", help="indent the output (one object per block)")


def run(args) -> int:
    return classify_stream(sys.stdin, sys.stdout, pretty=getattr(args, "pretty", False))


def _error(number: int, message: str) -> int:
    print(f"line {number}: {message}", file=sys.stderr)
    return 2


def classify_stream(stdin, stdout, *, pretty: bool = False) -> int:
    for number, line in enumerate(stdin, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            return _error(number, f"not valid JSON ({exc.msg})")
        if not isinstance(obj, dict):
            return _error(number, 'expected a JSON object like {"id": ..., "text": ...}')
        if "text" not in obj:
            return _error(number, 'missing "text"')
        text = obj["text"]
        if text is not None and not isinstance(text, str):
            return _error(number, '"text" must be a string or null')
        evidence = classify(text)
        out = {
            "id": obj.get("id"),
            "tactics": tactics_of(evidence),
            "evidence": [e._asdict() for e in evidence],
        }
        stdout.write(json.dumps(out, ensure_ascii=False, indent=2 if pretty else None) + "\n")
    stdout.flush()
    return 0
