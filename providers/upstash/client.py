"""The Upstash Developer API (``https://api.upstash.com/v2``): HTTP Basic with email and API key.

The rule that matters here: Upstash answers errors with a bare JSON string, not an object, and
says nothing about request ids or rate-limit headers; the shared layer handles both shapes.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any, ClassVar

from paas_stacks.errors import CredentialsError
from paas_stacks.providers._http import ConfigSource, Endpoint, HttpClient, setting

DEFAULT_URL = "https://api.upstash.com/v2"


class UpstashClient(HttpClient):
    """Typed calls for Redis databases."""

    vendor: ClassVar[str] = "Upstash"
    reset_headers: ClassVar[tuple[str, ...]] = ("x-ratelimit-reset",)

    def __init__(
        self, endpoint: Endpoint, *, redis_scheme: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(endpoint, **kwargs)
        #: ``redis`` to build plain URLs even for TLS databases (the sandbox speaks plain TCP).
        self.redis_scheme = redis_scheme

    @classmethod
    def from_config(cls, config: ConfigSource | None, **kwargs: Any) -> UpstashClient:
        """Credentials: ``upstash:email`` + ``upstash:apiKey``, else UPSTASH_EMAIL + _API_KEY."""
        email = setting(config, "upstash:email", "UPSTASH_EMAIL")
        api_key = setting(config, "upstash:apiKey", "UPSTASH_API_KEY")
        missing = [
            f"{key} (or env {env})"
            for key, env, value in (
                ("upstash:email", "UPSTASH_EMAIL", email),
                ("upstash:apiKey", "UPSTASH_API_KEY", api_key),
            )
            if not value
        ]
        if missing or email is None or api_key is None:
            raise CredentialsError(
                "Upstash credentials missing: set "
                + " and ".join(missing)
                + "; e.g. `pulumi config set --secret upstash:apiKey <key>`"
            )
        base_url = setting(config, "upstash:apiUrl", "UPSTASH_API_URL", DEFAULT_URL)
        scheme = setting(config, "upstash:redisScheme", "UPSTASH_REDIS_SCHEME")
        if scheme not in (None, "redis", "rediss"):
            raise CredentialsError(
                f"upstash:redisScheme / UPSTASH_REDIS_SCHEME: {scheme!r} is not redis or rediss"
            )
        basic = base64.b64encode(f"{email}:{api_key}".encode()).decode()
        endpoint = Endpoint(
            base_url=str(base_url),
            headers={"authorization": f"Basic {basic}"},
            secrets=(api_key, basic),
        )
        return cls(endpoint, redis_scheme=scheme, **kwargs)

    # -- Redis databases ----------------------------------------------------------------------
    def list_databases(self) -> list[dict[str, Any]]:
        found = self.json("GET", "/redis/databases")
        return list(found or [])

    def get_database(self, database_id: str) -> dict[str, Any] | None:
        found = self.get_or_none(f"/redis/database/{database_id}")
        return dict(found) if found else None

    def create_database(self, body: dict[str, Any]) -> dict[str, Any]:
        return dict(self.json("POST", "/redis/database", json=body))

    def delete_database(self, database_id: str) -> None:
        self.delete(f"/redis/database/{database_id}")

    def rename(self, database_id: str, name: str) -> None:
        self.request("POST", f"/redis/rename/{database_id}", json={"name": name}, idempotent=True)

    def enable_tls(self, database_id: str) -> None:
        self.request("POST", f"/redis/enable-tls/{database_id}", idempotent=True)

    def set_eviction(self, database_id: str, enabled: bool) -> None:
        action = "enable" if enabled else "disable"
        self.request("POST", f"/redis/{action}-eviction/{database_id}", idempotent=True)

    def set_budget(self, database_id: str, budget: int) -> None:
        self.request(
            "PATCH", f"/redis/update-budget/{database_id}", json={"budget": budget}, idempotent=True
        )

    def set_read_regions(self, database_id: str, regions: Sequence[str]) -> None:
        self.request(
            "POST",
            f"/redis/update-regions/{database_id}",
            json={"read_regions": list(regions)},
            idempotent=True,
        )

    def change_plan(self, database_id: str, plan: str) -> None:
        self.request(
            "POST",
            f"/redis/{database_id}/change-plan",
            json={"database_id": database_id, "plan_name": plan},
            idempotent=True,
        )
