"""Emulator of the Upstash Developer API (``https://api.upstash.com/v2``), Redis databases only.

Credentials are HTTP Basic ``EMAIL:API_KEY``; each key belongs to one team and sees only that
team's databases. Every database is a real password-protected redis-server on loopback.
See ``sandbox/upstash/README.md`` for where the sources disagree and what is accepted.
"""

from __future__ import annotations

from sandbox.upstash.app import BASE_PATH, create_app

#: ``"email:api_key"`` -> team id. Two teams so isolation can be tested.
DEFAULT_TOKENS: dict[str, str] = {
    "dev-a@sandbox.local:upstash-sandbox-key-a": "sandbox-team-a",
    "dev-b@sandbox.local:upstash-sandbox-key-b": "sandbox-team-b",
}


def client_env(base_url: str, token: str) -> dict[str, str]:
    """Env vars that point our Upstash provider at the sandbox (the token is ``email:key``).

    The sandbox's redis-servers speak plain TCP even for TLS databases, so URLs use ``redis://``.
    """
    email, _, api_key = token.partition(":")
    return {
        "UPSTASH_API_URL": base_url,
        "UPSTASH_EMAIL": email,
        "UPSTASH_API_KEY": api_key,
        "UPSTASH_REDIS_SCHEME": "redis",
    }


__all__ = ["BASE_PATH", "DEFAULT_TOKENS", "client_env", "create_app"]
