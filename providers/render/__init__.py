"""Dynamic providers for the Render Public API: services, custom domains, Postgres, Key Value,
env groups. Credentials: stack config ``render:apiKey`` (secret) or RENDER_API_KEY.

The provider classes are pinned here: the state pickles them as ``paas_stacks.providers.render``.
"""

from __future__ import annotations

from paas_stacks.providers._pickled import pin
from paas_stacks.providers.render.client import RenderClient
from paas_stacks.providers.render.domain import CustomDomain, CustomDomainProvider
from paas_stacks.providers.render.envgroup import EnvGroup, EnvGroupProvider
from paas_stacks.providers.render.keyvalue import KeyValue, KeyValueProvider
from paas_stacks.providers.render.postgres import Postgres, PostgresProvider
from paas_stacks.providers.render.service import Service, ServiceProvider

__all__ = [
    "CustomDomain",
    "CustomDomainProvider",
    "EnvGroup",
    "EnvGroupProvider",
    "KeyValue",
    "KeyValueProvider",
    "Postgres",
    "PostgresProvider",
    "RenderClient",
    "Service",
    "ServiceProvider",
]

pin(
    "paas_stacks.providers.render",
    CustomDomainProvider,
    EnvGroupProvider,
    KeyValueProvider,
    PostgresProvider,
    ServiceProvider,
)
