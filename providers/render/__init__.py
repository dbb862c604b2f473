"""Dynamic providers for the Render Public API: services, custom domains, Postgres, Key Value,
env groups. Credentials: stack config ``render:apiKey`` (secret) or RENDER_API_KEY."""

from __future__ import annotations

from paas_stacks.providers.render.client import RenderClient
from paas_stacks.providers.render.domain import CustomDomain
from paas_stacks.providers.render.envgroup import EnvGroup
from paas_stacks.providers.render.keyvalue import KeyValue
from paas_stacks.providers.render.postgres import Postgres
from paas_stacks.providers.render.service import Service

__all__ = ["CustomDomain", "EnvGroup", "KeyValue", "Postgres", "RenderClient", "Service"]
