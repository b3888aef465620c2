"""How a blocking key is stored: as a 64-bit hash, so the key table and its index stay small.

The matching engine speaks keys as text ("dl:2016-05-14:S530"); PupilKey stores key_hash(key)
of each. Whoever stores keys and whoever looks them up must both go through key_hash. Two
different keys sharing a hash (odds about 1 in 3,000 across 100 million distinct keys) would
only add a pupil to another key's candidates, which scoring then turns down."""

from __future__ import annotations

from hashlib import md5

# The same hash computed by PostgreSQL, for a key held in the column or parameter `{}`.
KEY_HASH_SQL = "('x' || left(md5({}), 16))::bit(64)::bigint"


def key_hash(key: str) -> int:
    """A stable signed 64-bit integer for a blocking key (PostgreSQL's BIGINT range): the
    first 8 bytes of its MD5 digest, which PostgreSQL can compute too (KEY_HASH_SQL)."""
    return int.from_bytes(md5(key.encode(), usedforsecurity=False).digest()[:8], "big", signed=True)
