"""Upstash Developer API resources: Redis databases."""

from providers.upstash.client import UpstashClient
from providers.upstash.redis_database import RedisDatabase, RedisDatabaseProvider

__all__ = ["RedisDatabase", "RedisDatabaseProvider", "UpstashClient"]
