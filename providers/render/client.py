"""The Render Public API (``https://api.render.com/v1``): Bearer API key, ``{id, message}`` errors.

The rule that matters here: every object is created in one workspace (owner), taken from
``render:ownerId`` / ``RENDER_OWNER_ID`` or else the first owner the key can see, and every
name lookup is scoped to that owner, so adoption never reaches into another workspace.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from paas_stacks.errors import CredentialsError, ResourceError
from paas_stacks.providers._http import ConfigSource, Endpoint, HttpClient, setting
from paas_stacks.providers._wait import PROVISIONING, poll_until

__all__ = ["DEFAULT_URL", "RenderClient", "wait_until"]

DEFAULT_URL = "https://api.render.com/v1"
PAGE = 100
# Owner ids by (base URL, key digest): every provider class in one engine run shares the answer
# of GET /owners. The digest is not a credential; the key itself is never kept here.
_OWNERS: dict[tuple[str, str], str] = {}


class RenderClient(HttpClient):
    """Typed helpers over the generic client: owner, paginated lists, waiting."""

    vendor: ClassVar[str] = "Render"
    request_id_headers: ClassVar[tuple[str, ...]] = ("rndr-id", "x-request-id")
    reset_headers: ClassVar[tuple[str, ...]] = ("ratelimit-reset",)

    #: The workspace from settings; ``None``: ask ``GET /owners``.
    configured_owner: str | None = None

    @classmethod
    def from_config(cls, config: ConfigSource | None, **kwargs: Any) -> RenderClient:
        """``render:apiKey`` (secret) or RENDER_API_KEY; ``render:apiUrl`` or RENDER_API_URL."""
        key = setting(config, "render:apiKey", "RENDER_API_KEY")
        if not key:
            raise CredentialsError(
                "Render API key missing: set the stack config `render:apiKey` "
                "(`pulumi config set --secret render:apiKey <key>`) or the environment "
                "variable RENDER_API_KEY"
            )
        base_url = setting(config, "render:apiUrl", "RENDER_API_URL", DEFAULT_URL)
        endpoint = Endpoint(
            base_url=str(base_url), headers={"authorization": f"Bearer {key}"}, secrets=(key,)
        )
        client = cls(endpoint, **kwargs)
        client.configured_owner = setting(config, "render:ownerId", "RENDER_OWNER_ID")
        return client

    # -- workspace ------------------------------------------------------------------------------
    def owner_id(self) -> str:
        """The workspace new objects belong to."""
        if self.configured_owner:
            return self.configured_owner
        auth = self.endpoint.headers.get("authorization", "")
        cache_key = (self.endpoint.base_url, hashlib.sha256(auth.encode()).hexdigest())
        if cache_key not in _OWNERS:
            owners = self.json("GET", "/owners", params={"limit": 1}) or []
            if not owners:
                raise CredentialsError(
                    "Render: the API key sees no workspace; set `render:ownerId` or "
                    "RENDER_OWNER_ID to the owner id (tea-... or usr-...)"
                )
            _OWNERS[cache_key] = str(owners[0]["owner"]["id"])
        return _OWNERS[cache_key]

    # -- lists ----------------------------------------------------------------------------------
    def list_all(
        self, path: str, params: Mapping[str, Any], wrapper: str | None
    ) -> list[dict[str, Any]]:
        """Every item of a cursor-paginated list; ``wrapper`` is the key inside each entry
        (``service``, ``postgres``...), ``None`` for plain arrays (env groups)."""
        items: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            query = {**params, "limit": PAGE, **({"cursor": cursor} if cursor else {})}
            page = self.json("GET", path, params=query) or []
            items.extend(entry[wrapper] if wrapper else entry for entry in page)
            if len(page) < PAGE:
                return items
            last = page[-1]
            cursor = str(last.get("cursor") or last.get("id") or "")
            if not cursor:
                return items

    def named(
        self, path: str, name: str, wrapper: str | None, extra: Mapping[str, Any] | None = None
    ) -> dict[str, Any] | None:
        """The one object called exactly ``name`` in our workspace; several is an error, since
        adopting the wrong one would be worse than stopping."""
        params = {"name": name, "ownerId": self.owner_id(), **(extra or {})}
        found = [item for item in self.list_all(path, params, wrapper) if item["name"] == name]
        if len(found) > 1:
            ids = ", ".join(str(item["id"]) for item in found)
            raise ResourceError(
                f"several Render objects are named {name!r} ({ids}); set adopt_id to pick one "
                "or rename the resource"
            )
        return found[0] if found else None


def wait_until(
    client: RenderClient,
    what: str,
    poll: Callable[[], str],
    *,
    done: frozenset[str],
    failed: frozenset[str],
    say: Callable[[str], None],
    limit: float = 1800.0,
) -> str:
    """Poll until ``poll()`` returns a ``done`` status (every 1.5 s at most: ``PROVISIONING``); a
    ``failed`` one or running out of ``limit`` seconds raises."""

    def check() -> str:
        status = poll()
        if status in failed:
            raise ResourceError(f"{what} ended as {status!r}")
        return status

    def give_up(status: str, _waited: float) -> str:
        raise ResourceError(f"{what} is still {status!r} after {limit:.0f}s; giving up")

    return poll_until(
        check,
        done.__contains__,
        limit=limit,
        sleep=client.pause,
        say=lambda status, _waited, delay: say(f"{what}: {status}; checking again in {delay:.0f}s"),
        timeout=give_up,
        backoff=PROVISIONING,
    )
