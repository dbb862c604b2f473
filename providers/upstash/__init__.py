"""Upstash Developer API resources: Redis databases."""

from paas_stacks.providers.upstash.client import UpstashClient
from paas_stacks.providers.upstash.redis_database import RedisDatabase, RedisDatabaseProvider

__all__ = ["RedisDatabase", "RedisDatabaseProvider", "UpstashClient"]
