"""Identifiers and timestamps in Fly's formats: 14-hex machine ids, 26-char ULID versions."""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def iso(ts: float) -> str:
    """ISO-8601 UTC with a Z, as Fly prints ``created_at``."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def machine_id() -> str:
    return secrets.token_hex(7)


def ulid(ts: float | None = None) -> str:
    """A ULID (48-bit ms time + 80 random bits, Crockford base32): what Fly versions look like."""
    millis = int((time.time() if ts is None else ts) * 1000)
    value = (millis << 80) | secrets.randbits(80)
    return "".join(_CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(26)))


def volume_id() -> str:
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
    return "vol_" + "".join(secrets.choice(alphabet) for _ in range(16))
