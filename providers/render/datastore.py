"""What Render Postgres and Render Key Value share: one datastore lifecycle over two paths.

The rule that matters here: the connection info is read from ``GET <path>/{id}/connection-info``
on every create, update and refresh (never built by hand), so a password Render rotated is
picked up by ``refresh`` and the strings a stack exports really connect; a new or changed
datastore is waited for until it is ``available``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from paas_stacks.providers._resource import Inputs, Live
from paas_stacks.providers.render.base import RenderProvider
from paas_stacks.providers.render.client import wait_until

__all__ = [
    "AllowedCidr",
    "DatastoreInputs",
    "RenderDatastoreProvider",
    "allow_list_body",
    "observe_allow_list",
]

READY = frozenset({"available"})
BROKEN = frozenset({"recovery_failed", "suspended"})


class AllowedCidr(BaseModel):
    """One entry of an IP allow list (``cidrBlockAndDescription``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cidr_block: str = Field(pattern=r"^[0-9a-fA-F:.]+/\d{1,3}$")
    description: str = ""


class DatastoreInputs(Inputs):
    """What every datastore declares; each kind adds its plan, region and settings."""

    name: str = Field(min_length=1)
    #: Who may connect from outside Render's private network; ``[]``: nobody; ``None``: left as
    #: Render has it.
    ip_allow_list: list[AllowedCidr] | None = None


def allow_list_body(entries: list[AllowedCidr] | None) -> list[dict[str, str]] | None:
    if entries is None:
        return None
    return [{"cidrBlock": e.cidr_block, "description": e.description} for e in entries]


def observe_allow_list(item: Mapping[str, Any]) -> list[dict[str, str]]:
    return [
        {"cidr_block": str(e["cidrBlock"]), "description": str(e.get("description") or "")}
        for e in item.get("ipAllowList") or []
    ]


StoreT = TypeVar("StoreT", bound=DatastoreInputs)


class RenderDatastoreProvider(RenderProvider[StoreT]):
    """Find by name, create, read, PATCH, delete and wait; a kind says its path and fields.

    The live object is ``{wrapper: <the datastore>, "connection": <connection-info>}``.
    """

    #: ``/postgres`` or ``/key-value``.
    path: ClassVar[str]
    #: The key Render wraps each list entry in: ``postgres`` or ``keyValue``.
    wrapper: ClassVar[str]
    #: Input key -> body key of the fields Render's PATCH changes in place.
    patchable: ClassVar[Mapping[str, str]]

    def create_body(self, inputs: StoreT) -> dict[str, Any]:
        """The POST body without ``ownerId``."""
        raise NotImplementedError

    def patch_value(self, inputs: StoreT, key: str) -> Any:
        """An input as its PATCH body field."""
        if key == "ip_allow_list":
            return allow_list_body(inputs.ip_allow_list)
        return getattr(inputs, key)

    def identify(self, live: Live) -> str:
        return str(live[self.wrapper]["id"])

    def find(self, inputs: StoreT) -> Live | None:
        found = self.client.named(self.path, inputs.name, self.wrapper)
        return None if found is None else self._with_connection({self.wrapper: found})

    def create_new(self, inputs: StoreT) -> Live:
        body = {**self.create_body(inputs), "ownerId": self.client.owner_id()}
        return {self.wrapper: self.client.json("POST", self.path, json=body)}

    def fetch(self, id_: str, previous: Mapping[str, Any]) -> Live | None:
        found = self.client.get_or_none(f"{self.path}/{id_}")
        return None if found is None else self._with_connection({self.wrapper: found})

    def change(
        self, id_: str, inputs: StoreT, changed: Sequence[str], previous: Mapping[str, Any]
    ) -> Live:
        body = {
            self.patchable[k]: self.patch_value(inputs, k) for k in changed if k in self.patchable
        }
        if not body:
            found = self.client.json("GET", f"{self.path}/{id_}")
            return self._with_connection({self.wrapper: found})
        return {self.wrapper: self.client.json("PATCH", f"{self.path}/{id_}", json=body)}

    def remove(self, id_: str, previous: Mapping[str, Any]) -> None:
        self.client.delete(f"{self.path}/{id_}")

    def settle(self, live: Live, inputs: StoreT) -> Live:
        """Wait for ``available`` (unless Render already says so), then read the connection."""
        store_id = self.identify(live)
        if live[self.wrapper].get("status") not in READY:

            def status() -> str:
                return str(self.client.json("GET", f"{self.path}/{store_id}")["status"])

            what = f"{self.kind} '{inputs.name}' ({store_id})"
            wait_until(self.client, what, status, done=READY, failed=BROKEN, say=self.progress)
        return self._with_connection(live)

    def _with_connection(self, live: Live) -> Live:
        if "connection" in live:
            return live
        info = self.client.json("GET", f"{self.path}/{self.identify(live)}/connection-info")
        return {**live, "connection": info}
