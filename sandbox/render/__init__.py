"""Render Public API emulator (``https://api.render.com/v1``), served under the same ``/v1`` paths.

Each API key belongs to one workspace (an owner ``tea-...``) and sees only that workspace's
objects; anything else answers 404 in Render's ``{id, message}`` error shape.
"""

from __future__ import annotations

from sandbox.render.admin import admin_router
from sandbox.render.app import create_app

BASE_PATH = "/v1"

#: API key -> workspace (owner id). Deliberately unlike real keys (which start with ``rnd_``).
DEFAULT_TOKENS: dict[str, str] = {
    "render-sandbox-key-alpha": "tea-sandboxalpha00000001",
    "render-sandbox-key-alpha-2": "tea-sandboxalpha00000001",
    "render-sandbox-key-beta": "tea-sandboxbeta000000002",
}


def client_env(base_url: str, token: str) -> dict[str, str]:
    """What points our Render provider at this emulator."""
    return {"RENDER_API_URL": base_url, "RENDER_API_KEY": token}


__all__ = ["BASE_PATH", "DEFAULT_TOKENS", "admin_router", "client_env", "create_app"]
