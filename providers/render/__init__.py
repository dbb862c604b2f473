"""Dynamic providers for the Render Public API: services, custom domains, Postgres, Key Value,
env groups. Credentials: stack config ``render:apiKey`` (secret) or RENDER_API_KEY."""

from __future__ import annotations

from providers.render.client import RenderClient
from providers.render.domain import CustomDomain
from providers.render.envgroup import EnvGroup
from providers.render.keyvalue import KeyValue
from providers.render.postgres import Postgres
from providers.render.service import Service

__all__ = ["CustomDomain", "EnvGroup", "KeyValue", "Postgres", "RenderClient", "Service"]
