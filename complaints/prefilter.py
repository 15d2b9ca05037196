"""Which regex alternatives can match a text at all, from one pass of a multi-pattern automaton.

Python's `re` runs one pattern at a time, so the classifier used to gate each of its hundreds of
alternatives on the words of the text and then search the survivors one by one. Hyperscan compiles
all alternatives into one automaton and scans a text once. In PREFILTER mode it may report an
alternative that does not really match (it simplifies what it cannot do exactly, such as bounded
repeats and look-arounds), but never misses one that does. The classifier then runs the real `re`
pattern only for the alternatives reported, so its output is exactly what it was without the
prefilter (tests/test_tactics.py compares both on the gold set and on real narratives).

English alternatives are compiled in byte mode, without Unicode classes (with them, compiling the
English patterns took over ten minutes), so that automaton is only asked about pure-ASCII texts:
there `\\w`, `\\b`, `\\d` and `.` mean the same as in `re`. Chinese alternatives are compiled in
UTF-8 mode with Unicode classes (`unicode=True`, about a second), so `.` and `[^...]` take whole
characters and `\\d` / `\\s` are Unicode, as in `re`. `re`'s `\\s` also matches the separators
\\x1c-\\x1f, which Hyperscan's does not, so texts with those are never asked. Compiling takes a
few seconds; the result is kept on disk, keyed by the patterns, flags and Hyperscan version, so that
is paid once per taxonomy and machine.

Hyperscan is optional: without it (no wheel for the platform) `load` returns None and the classifier
falls back to its word gates: slower, same output. A pattern Hyperscan refuses (say `[::]`, which it
reads as a POSIX class) is left out of the automaton and reported as flagged for every text, so one
odd pattern costs only its own search, not the whole prefilter.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

try:
    import hyperscan
except ImportError:  # pragma: no cover - exercised only where no wheel exists
    hyperscan = None

CACHE_ENV = "COMPLAINTS_CACHE_DIR"
_ODD_SPACE = re.compile("[\x1c-\x1f]")


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "collection-watch")


class Prefilter:
    """`flagged(text)`: the indices of the alternatives that may match `text`, or None when the text
    is not one the automaton can answer for (then every alternative must be tried). One scratch space
    per prefilter: use it from one thread at a time (each forked ingest worker has its own copy)."""

    def __init__(self, database, unicode: bool, refused: tuple[int, ...] = ()) -> None:
        self._database = database
        self._unicode = unicode
        self._scratch = hyperscan.Scratch(database) if database is not None else None
        self.refused = refused  # indices of the sources Hyperscan would not compile: always flagged

    @staticmethod
    def _on_match(ident: int, start: int, end: int, flags: int, found: set) -> None:
        found.add(ident)

    def flagged(self, text: str) -> set[int] | None:
        if (not self._unicode and not text.isascii()) or _ODD_SPACE.search(text):
            return None
        found: set[int] = set(self.refused)
        if self._database is not None:
            self._database.scan(text.encode("utf-8"), match_event_handler=self._on_match, context=found,
                                scratch=self._scratch)
        return found


def _flags(unicode: bool) -> int:
    flags = hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_ALLOWEMPTY
    return flags | (hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP if unicode else 0)


def _cache_key(sources: list[str], flags: int) -> str:
    digest = hashlib.sha256()
    digest.update(f"hyperscan {hyperscan.__version__} flags {flags}\n".encode())
    for source in sources:
        digest.update(source.encode("utf-8") + b"\0")
    return digest.hexdigest()[:24]


def _compile(sources: list[str], flags: int, ids: list[int] | None = None):
    database = hyperscan.Database()
    database.compile(expressions=[s.encode("utf-8") for s in sources], ids=ids or list(range(len(sources))),
                     elements=len(sources), flags=[flags] * len(sources))
    return database


def _refused(sources: list[str], ids: list[int], flags: int) -> list[int]:
    """The ids among `ids` whose source Hyperscan will not compile, found by halving (a few compiles
    per refused pattern instead of one per pattern)."""
    try:
        _compile([sources[i] for i in ids], flags)
        return []
    except hyperscan.error:
        if len(ids) == 1:
            return ids
        half = len(ids) // 2
        return _refused(sources, ids[:half], flags) + _refused(sources, ids[half:], flags)


def _compile_what_it_can(sources: list[str], flags: int) -> tuple[object | None, tuple[int, ...]]:
    """(automaton of the sources Hyperscan takes, indices of those it refuses)."""
    try:
        return _compile(sources, flags), ()
    except hyperscan.error:
        refused = _refused(sources, list(range(len(sources))), flags)
    left_out = set(refused)
    kept = [i for i in range(len(sources)) if i not in left_out]
    database = _compile([sources[i] for i in kept], flags, ids=kept) if kept else None
    return database, tuple(refused)


# Cache file: one header line naming the refused sources, then Hyperscan's serialized automaton.
def _pack(database, refused: tuple[int, ...]) -> bytes:
    header = b"refused " + ",".join(map(str, refused)).encode() + b"\n"
    return header + (hyperscan.dumpb(database) if database is not None else b"")


def _unpack(blob: bytes) -> tuple[object | None, tuple[int, ...]]:
    header, _, body = blob.partition(b"\n")
    if not header.startswith(b"refused "):
        raise ValueError("not a prefilter cache file")
    refused = tuple(int(i) for i in header[len(b"refused "):].split(b",") if i)
    return (hyperscan.loadb(body, hyperscan.HS_MODE_BLOCK) if body else None), refused


def _store(path: Path, blob: bytes) -> None:
    """Write the cache file atomically; a cache that cannot be written is simply not kept."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, path)
    except OSError:
        pass


def load(sources: list[str], unicode: bool = False) -> Prefilter | None:
    """A prefilter for these regex sources (index i answers for sources[i]), or None. `unicode`: for
    texts in any script (UTF-8, Unicode classes); otherwise for ASCII texts only."""
    if hyperscan is None or not sources:
        return None
    flags = _flags(unicode)
    path = cache_dir() / f"prefilter-{_cache_key(sources, flags)}.hsdb"
    try:
        database, refused = _unpack(path.read_bytes())
        return Prefilter(database, unicode, refused)
    except (OSError, ValueError, hyperscan.error):
        pass  # not cached yet, or a file from elsewhere that does not load: compile afresh
    database, refused = _compile_what_it_can(sources, flags)
    _store(path, _pack(database, refused))
    return Prefilter(database, unicode, refused)
