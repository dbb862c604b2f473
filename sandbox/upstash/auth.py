"""HTTP Basic ``EMAIL:API_KEY`` auth and the per-key rate limit, in front of every route.

Both run as middleware so a bad key gets 401 even on unknown paths or malformed bodies. The key
belongs to one team; everything a handler does is scoped to that team.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import FastAPI, Request, Response

from sandbox.core.context import VendorContext
from sandbox.upstash.errors import error_response

#: UNCONFIRMED: Upstash documents the 429 status but no numbers. A conservative placeholder.
RATE_LIMIT = 600
RATE_WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class Caller:
    """Who is asking: the account email and the team the API key belongs to."""

    email: str
    team: str
    credential: str


def parse_basic(header: str | None) -> str | None:
    """``"email:key"`` from an ``Authorization: Basic ...`` header, or None if malformed."""
    if not header:
        return None
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return decoded if ":" in decoded else None


def caller_of(request: Request) -> Caller:
    caller: Caller = request.state.caller
    return caller


def install_auth(app: FastAPI, ctx: VendorContext) -> None:
    """401 for missing/wrong credentials, then 429 once the key's window is used up."""

    @app.middleware("http")
    async def _authenticate(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        credential = parse_basic(request.headers.get("authorization"))
        team = ctx.tokens.get(credential) if credential else None
        if credential is None or team is None:
            return error_response(
                401, "Unauthorized", {"WWW-Authenticate": 'Basic realm="Upstash"'}
            )
        decision = ctx.limiter.hit(f"upstash:{credential}", RATE_LIMIT, RATE_WINDOW_SECONDS)
        if not decision.allowed:
            # No rate-limit headers are documented; Retry-After is a sandbox courtesy.
            return error_response(
                429, "Too many requests", {"Retry-After": str(decision.reset_seconds)}
            )
        request.state.caller = Caller(credential.split(":", 1)[0], team, credential)
        return await call_next(request)
