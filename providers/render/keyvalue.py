"""Render Key Value (Redis-compatible): connection strings are secret outputs read from Render.

The rule that matters here: the strings come from ``GET /key-value/{id}/connection-info`` on
every create, update and refresh; the external one carries the password, so all of them are
secret in state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import pulumi
from pydantic import Field

from paas_stacks.providers._resource import Inputs, Live, VendorResource
from paas_stacks.providers.render.base import RenderProvider
from paas_stacks.providers.render.postgres import database_ready
from paas_stacks.vendors.render import (
    DEFAULT_KEY_VALUE_PLAN,
    DEFAULT_REGION,
    KeyValuePlan,
    MaxmemoryPolicy,
    Region,
)

__all__ = ["KeyValue", "KeyValueProvider"]

SECRET_OUTPUTS = ("internal_connection_string", "external_connection_string", "cli_command")
OUTPUTS = ("dashboard_url", *SECRET_OUTPUTS)


class KeyValueInputs(Inputs):
    name: str = Field(min_length=1)
    plan: KeyValuePlan = DEFAULT_KEY_VALUE_PLAN
    region: Region = DEFAULT_REGION
    maxmemory_policy: MaxmemoryPolicy | None = None


class KeyValueProvider(RenderProvider[KeyValueInputs]):
    kind: ClassVar[str] = "Render Key Value"
    inputs_type: ClassVar[type[KeyValueInputs]] = KeyValueInputs
    compared: ClassVar[tuple[str, ...]] = ("name", "plan", "region", "maxmemory_policy")
    optional: ClassVar[tuple[str, ...]] = ("maxmemory_policy",)
    replace_on: ClassVar[tuple[str, ...]] = ("region",)

    def identify(self, live: Live) -> str:
        return str(live["keyValue"]["id"])

    def find(self, inputs: KeyValueInputs) -> Live | None:
        found = self.client.named("/key-value", inputs.name, "keyValue")
        return None if found is None else self._with_connection({"keyValue": found})

    def create_new(self, inputs: KeyValueInputs) -> Live:
        body: dict[str, Any] = {
            "name": inputs.name, "plan": inputs.plan, "region": inputs.region,
            "ownerId": self.client.owner_id(),
        }  # fmt: skip
        if inputs.maxmemory_policy is not None:
            body["maxmemoryPolicy"] = inputs.maxmemory_policy
        return {"keyValue": self.client.json("POST", "/key-value", json=body)}

    def fetch(self, id_: str, previous: Mapping[str, Any]) -> Live | None:
        found = self.client.get_or_none(f"/key-value/{id_}")
        return None if found is None else self._with_connection({"keyValue": found})

    def change(
        self, id_: str, inputs: KeyValueInputs, changed: Sequence[str], previous: Mapping[str, Any]
    ) -> Live:
        fields = {"name": "name", "plan": "plan", "maxmemory_policy": "maxmemoryPolicy"}
        body = {fields[k]: getattr(inputs, k) for k in changed if k in fields}
        if not body:
            found = self.client.json("GET", f"/key-value/{id_}")
            return self._with_connection({"keyValue": found})
        return {"keyValue": self.client.json("PATCH", f"/key-value/{id_}", json=body)}

    def remove(self, id_: str, previous: Mapping[str, Any]) -> None:
        self.client.delete(f"/key-value/{id_}")

    def settle(self, live: Live, inputs: KeyValueInputs) -> Live:
        kv_id = self.identify(live)
        what = f"{self.kind} '{inputs.name}' ({kv_id})"
        database_ready(self, f"/key-value/{kv_id}", what, live["keyValue"].get("status"))
        return self._with_connection(live)

    def observe(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        kv, info = live["keyValue"], live["connection"]
        return {
            "name": kv["name"],
            "plan": kv["plan"],
            "region": kv["region"],
            "maxmemory_policy": (kv.get("options") or {}).get("maxmemoryPolicy"),
            "dashboard_url": kv.get("dashboardUrl"),
            "internal_connection_string": info["internalConnectionString"],
            "external_connection_string": info["externalConnectionString"],
            "cli_command": info.get("cliCommand"),
        }

    def _with_connection(self, live: Live) -> Live:
        if "connection" in live:
            return live
        info = self.client.json("GET", f"/key-value/{self.identify(live)}/connection-info")
        return {**live, "connection": info}


class KeyValue(VendorResource, module="render", name="KeyValue"):
    """A Render Key Value (Redis-compatible) instance.

    Replaced (delete first) when ``region`` changes: ``keyValuePATCHInput``
    (render-openapi.json ``PATCH /key-value/{keyValueId}``) accepts only ``name``, ``plan``,
    ``maxmemoryPolicy`` and ``ipAllowList``.

    ``internal_connection_string``, ``external_connection_string`` and ``cli_command`` are secret
    outputs. Create and changes wait for status ``available``.
    """

    name: pulumi.Output[str]
    plan: pulumi.Output[str]
    region: pulumi.Output[str]
    maxmemory_policy: pulumi.Output[str]
    dashboard_url: pulumi.Output[str]
    internal_connection_string: pulumi.Output[str]
    external_connection_string: pulumi.Output[str]
    cli_command: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        plan: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        maxmemory_policy: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = {
            "name": name, "plan": plan, "region": region,
            "maxmemory_policy": maxmemory_policy, "adopt_id": adopt_id,
        }  # fmt: skip
        super().__init__(
            KeyValueProvider(),
            resource_name,
            inputs,
            outputs=OUTPUTS,
            secret_outputs=SECRET_OUTPUTS,
            opts=opts,
        )
