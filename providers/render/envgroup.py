"""Render env groups: shared env vars and secret files, linked to services.

The rule that matters here: like a service, the group OWNS its vars, files and links. Render has
no replace-all call for groups, so an update reads the live group and sends one PUT or DELETE per
key, file or link that differs, leaving the rest untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, final
from urllib.parse import quote

import pulumi
from pydantic import Field, field_validator

from paas_stacks.errors import ResourceError
from paas_stacks.providers._ownership import Marker, Ownership, reserved
from paas_stacks.providers._resource import Inputs, Live, VendorResource
from paas_stacks.providers.render.base import RenderProvider, by_key
from paas_stacks.providers.render.ownership import (
    GROUP_OWNER_VAR,
    env_list,
    markers_in,
    without_marker,
)

__all__ = ["EnvGroup", "EnvGroupProvider"]

SECRET_OUTPUTS = ("env_vars", "secret_files")


class EnvGroupInputs(Inputs):
    name: str = Field(min_length=1)
    env_vars: dict[str, str] = Field(default_factory=dict)
    secret_files: dict[str, str] = Field(default_factory=dict)
    service_ids: list[str] = Field(default_factory=list)

    @field_validator("env_vars")
    @classmethod
    def _not_reserved(cls, value: dict[str, str]) -> dict[str, str]:
        if taken := reserved(value):
            raise ValueError(f"{taken} are reserved for the owner marker; rename them")
        return value


@final
class EnvGroupProvider(RenderProvider[EnvGroupInputs]):
    kind: ClassVar[str] = "Render EnvGroup"
    inputs_type: ClassVar[type[EnvGroupInputs]] = EnvGroupInputs
    ownership: ClassVar[Ownership] = Ownership.MARKED
    secret_inputs: ClassVar[tuple[str, ...]] = ("env_vars", "secret_files")

    def desired(self, inputs: EnvGroupInputs) -> dict[str, Any]:
        return {
            "name": inputs.name,
            "env_vars": dict(inputs.env_vars),
            "secret_files": dict(inputs.secret_files),
            # Links are a set: order in the program means nothing to Render.
            "service_ids": sorted(set(inputs.service_ids)),
        }

    def find(self, inputs: EnvGroupInputs) -> Live | None:
        meta = self.client.named("/env-groups", inputs.name, None)
        return None if meta is None else self.fetch(str(meta["id"]), {})

    def create_new(self, inputs: EnvGroupInputs) -> Live:
        body = {
            "name": inputs.name,
            "ownerId": self.client.owner_id(),
            "envVars": env_list(inputs.env_vars, inputs.owner, GROUP_OWNER_VAR),
            "secretFiles": [{"name": k, "content": v} for k, v in inputs.secret_files.items()],
            "serviceIds": sorted(set(inputs.service_ids)),
        }
        return dict(self.client.json("POST", "/env-groups", json=body))

    def fetch(self, id_: str, previous: Mapping[str, Any]) -> Live | None:
        found = self.client.get_or_none(f"/env-groups/{id_}")
        return None if found is None else dict(found)

    def change(
        self, id_: str, inputs: EnvGroupInputs, changed: Sequence[str], previous: Mapping[str, Any]
    ) -> Live:
        base = f"/env-groups/{id_}"
        if "name" in changed:
            self.client.json("PATCH", base, json={"name": inputs.name})
        live = self.fetch(id_, previous) if set(changed) - {"name"} else None
        if live is not None:
            current = self.observe(live, {})
            self._sync(
                f"{base}/env-vars",
                current["env_vars"],
                inputs.env_vars,
                lambda value: {"value": value},
            )
            self._sync(
                f"{base}/secret-files",
                current["secret_files"],
                inputs.secret_files,
                lambda content: {"content": content},
            )
            self._links(base, current["service_ids"], self.desired(inputs)["service_ids"])
        fresh = self.fetch(id_, previous)
        if fresh is None:
            raise ResourceError(f"{self.kind} {id_} vanished while it was being updated")
        return fresh

    def remove(self, id_: str, previous: Mapping[str, Any]) -> None:
        self.client.delete(f"/env-groups/{id_}")

    def observe(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "name": live["name"],
            "env_vars": by_key(
                without_marker(live.get("envVars") or [], GROUP_OWNER_VAR), "key", "value"
            ),
            "secret_files": by_key(live.get("secretFiles") or [], "name", "content"),
            "service_ids": sorted({str(link["id"]) for link in live.get("serviceLinks") or []}),
        }

    # -- ownership: the PAAS_STACKS_OWNER_GROUP env var of the group -------------------------
    def owners(self, live: Live) -> list[Marker]:
        return markers_in(live.get("envVars") or [], GROUP_OWNER_VAR)

    def claim(self, id_: str, live: Live | None, ours: Marker, others: list[Marker]) -> None:
        path = f"/env-groups/{id_}/env-vars/{GROUP_OWNER_VAR}"
        self.client.request("PUT", path, json={"value": str(ours)})

    # -- helpers --------------------------------------------------------------------------------
    def _sync(
        self,
        path: str,
        current: Mapping[str, str],
        wanted: Mapping[str, str],
        body: Callable[[str], dict[str, str]],
    ) -> None:
        """One PUT per new or changed entry, one DELETE per entry nobody declared."""
        for key, value in wanted.items():
            if current.get(key) != value:
                self.client.request("PUT", f"{path}/{quote(key, safe='')}", json=body(value))
        for key in current:
            if key not in wanted:
                self.client.delete(f"{path}/{quote(key, safe='')}")

    def _links(self, base: str, current: list[str], wanted: list[str]) -> None:
        for service_id in wanted:
            if service_id not in current:
                # Linking twice is harmless (Render upserts), so a lost answer may be repeated.
                self.client.request("POST", f"{base}/services/{service_id}", idempotent=True)
        for service_id in current:
            if service_id not in wanted:
                self.client.delete(f"{base}/services/{service_id}")


@final
class EnvGroup(VendorResource, module="render", name="EnvGroup"):
    """A Render environment group: ``env_vars`` and ``secret_files`` (both secret in state)
    shared by the services in ``service_ids``.

    Nothing forces replacement: ``PATCH /env-groups/{id}`` renames, and vars, files and links
    each have their own PUT/POST/DELETE endpoints (render-openapi.json ``/env-groups/...``).
    The group owns its vars, files and links: anything added outside Pulumi is removed by the
    next ``up``.
    """

    name: pulumi.Output[str]
    env_vars: pulumi.Output[dict[str, str]]
    secret_files: pulumi.Output[dict[str, str]]
    service_ids: pulumi.Output[list[str]]

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        env_vars: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        secret_files: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        service_ids: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = {
            "name": name,
            "env_vars": pulumi.Output.secret(env_vars or {}),
            "secret_files": pulumi.Output.secret(secret_files or {}),
            "service_ids": service_ids or [],
            "adopt_id": adopt_id,
        }
        super().__init__(
            EnvGroupProvider(),
            resource_name,
            inputs,
            outputs=(),
            secret_outputs=SECRET_OUTPUTS,
            opts=opts,
        )
