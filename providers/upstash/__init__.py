"""Upstash Developer API resources: Redis databases.

The provider class is pinned here: the state pickles it as ``paas_stacks.providers.upstash``.
"""

from paas_stacks.providers._pickled import pin
from paas_stacks.providers.upstash.client import UpstashClient
from paas_stacks.providers.upstash.redis_database import RedisDatabase, RedisDatabaseProvider

__all__ = ["RedisDatabase", "RedisDatabaseProvider", "UpstashClient"]

pin("paas_stacks.providers.upstash", RedisDatabaseProvider)
