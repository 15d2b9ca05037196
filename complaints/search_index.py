"""A prefilter for text search: a 256-bit signature of each complaint's character bigrams.

Text search is a case-insensitive substring test (queries/_filtered.sql, search_match), which needs no
word breaks and so works for Chinese. Run over every narrative it reads all the text: about 1.6 GB at
10 million complaints, well over a second. A term can only occur in a text that holds every one of the
term's character bigrams, so each text gets a signature: bit h(a, b) set for each bigram (a, b) of its
lower-cased narrative and title, h in [0, 256). A search first keeps the texts whose signature holds
all of the term's bits (a few % of them), then runs the exact test on those only.

The signature never drops a match (a match holds all the term's bigrams), so results are identical to
the full scan; tests compare the two. Text and term are lower-cased by DuckDB's lower() on both sides,
and the hash is plain integer arithmetic written twice, here (numpy) and in queries/_aggregated.sql
(term_bits), with a test that the two agree.

Table (built at publish with the other derived tables, complaints/aggregates.py):
search_texts: one row per complaint that has a narrative or a title (no other can match a term), with
its signature (s0..s3), a copy of its text (the exact test reads it only for the rows the signature
lets through) and the columns every filter reads (dates, country, source, lender key, region, product,
status, has_narrative, tactic mask), so the derived-table questions answer a search from it alone.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa

WORDS = 4            # 4 x 64 = 256 bits
BATCH = 100_000
_MULTIPLIER = 2654435761   # Knuth's multiplicative hash; (a * 31 + b) < 2^26, the product < 2^58


def bigram_bits(codes: np.ndarray) -> np.ndarray:
    """Bit index in [0, 256) of each consecutive pair of code points (a, b): ((a*31+b)*M mod 2^32) >> 24."""
    a, b = codes[:-1], codes[1:]
    return (((a * 31 + b) * _MULTIPLIER) % 4294967296) >> 24


def signatures(texts: list[str | None]) -> np.ndarray:
    """(len(texts), WORDS) uint64: each text's bigram bits. Texts should already be lower-cased."""
    n = len(texts)
    out = np.zeros((n, WORDS), dtype=np.uint64)
    if n == 0:
        return out
    # One array of code points for the whole batch, each text followed by a 0 (no bigram spans two texts:
    # a pair with a 0 in it is dropped). One more 0 at the end keeps every text's span non-empty.
    joined = "\x00".join(t or "" for t in texts) + "\x00\x00"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    bits = bigram_bits(codes)
    valid = (codes[:-1] != 0) & (codes[1:] != 0)
    lengths = np.fromiter((len(t) + 1 if t else 1 for t in texts), dtype=np.int64, count=n)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    word = bits >> np.uint64(6)
    one_hot = np.left_shift(np.uint64(1), bits & np.uint64(63))
    for w in range(WORDS):
        values = np.where(valid & (word == w), one_hot, np.uint64(0))
        out[:, w] = np.bitwise_or.reduceat(values, starts)
    return out


def build(con: duckdb.DuckDBPyConnection, batch: int = BATCH) -> int:
    """(Re)create search_texts from the complaints table; returns its row count."""
    """Needs complaint_masks (complaint_id, tactic_mask), which aggregates.build makes first."""
    from complaints.aggregates import LENDER_KEY  # (aggregates calls this module)

    select = f"""
        SELECT c.complaint_id, c.received, c.country, c.source, {LENDER_KEY} AS lender_key, c.lender_id,
               c.lender_name, c.region, c.product, c.status, c.has_narrative,
               COALESCE(m.tactic_mask, 0::UBIGINT) AS tactic_mask, c.narrative, c.title,
               lower(concat_ws(chr(10), c.narrative, c.title)) AS folded
        FROM complaints AS c LEFT JOIN complaint_masks AS m USING (complaint_id)
        WHERE c.narrative IS NOT NULL OR c.title IS NOT NULL"""
    columns = [d[0] for d in con.execute(f"SELECT * FROM ({select}) LIMIT 0").description if d[0] != "folded"]
    con.execute(f"""CREATE OR REPLACE TABLE search_texts AS
        SELECT {", ".join(columns[:2])}, 0::UBIGINT AS s0, 0::UBIGINT AS s1, 0::UBIGINT AS s2, 0::UBIGINT AS s3,
               {", ".join(columns[2:])}
        FROM ({select}) LIMIT 0""")
    for part in con.cursor().sql(select).to_arrow_reader(batch):
        sig = signatures(part.column("folded").to_pylist())
        rows = pa.table({**{name: part.column(name) for name in columns[:2]},
                         **{f"s{w}": sig[:, w] for w in range(WORDS)},
                         **{name: part.column(name) for name in columns[2:]}})
        con.from_arrow(rows).insert_into("search_texts")
    return con.execute("SELECT count(*) FROM search_texts").fetchone()[0]
