"""Fly.io Machines API emulator (``https://api.machines.dev/v1``).

Workspaces are Fly organizations: every token belongs to one org slug, and ``personal`` in a
request means "the token's own org". App names are global across all orgs, as on Fly.
"""

from __future__ import annotations

from sandbox.fly.app import create_app

BASE_PATH = "/v1"

#: token -> org slug. Two orgs so isolation can be tested; nothing here looks like a real
#: Fly token (real ones start with ``fo1_`` / ``fm2_``).
DEFAULT_TOKENS: dict[str, str] = {
    "fly-sandbox-token-alpha": "sandbox-alpha",
    "fly-sandbox-token-alpha-2": "sandbox-alpha",
    "fly-sandbox-token-beta": "sandbox-beta",
}


def client_env(base_url: str, token: str) -> dict[str, str]:
    """Environment that points the Fly provider (and flyctl/fly-go) at the sandbox."""
    return {"FLY_API_URL": base_url, "FLY_API_TOKEN": token}


__all__ = ["BASE_PATH", "DEFAULT_TOKENS", "client_env", "create_app"]
