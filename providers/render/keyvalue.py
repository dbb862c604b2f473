"""Render Key Value (Redis-compatible): connection strings are secret outputs read from Render.

The rule that matters here: the external connection string carries the password, so every
string is secret in state; like Postgres, the strings are read from ``connection-info`` on every
create, update and refresh (the datastore's lifecycle, ``datastore.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, final

import pulumi

from paas_stacks.providers._ownership import Ownership
from paas_stacks.providers._resource import Live, VendorResource
from paas_stacks.providers.render.datastore import (
    DatastoreInputs,
    RenderDatastoreProvider,
    allow_list_body,
    observe_allow_list,
)
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


class KeyValueInputs(DatastoreInputs):
    plan: KeyValuePlan = DEFAULT_KEY_VALUE_PLAN
    region: Region = DEFAULT_REGION
    maxmemory_policy: MaxmemoryPolicy | None = None


@final
class KeyValueProvider(RenderDatastoreProvider[KeyValueInputs]):
    kind: ClassVar[str] = "Render Key Value"
    inputs_type: ClassVar[type[KeyValueInputs]] = KeyValueInputs
    # No field of a Render datastore can carry a marker (render/ownership.py): adopt_id only.
    ownership: ClassVar[Ownership] = Ownership.UNMARKABLE
    secret_inputs: ClassVar[tuple[str, ...]] = SECRET_OUTPUTS
    optional: ClassVar[tuple[str, ...]] = ("maxmemory_policy", "ip_allow_list")
    replace_on: ClassVar[tuple[str, ...]] = ("region",)
    path: ClassVar[str] = "/key-value"
    wrapper: ClassVar[str] = "keyValue"
    patchable: ClassVar[Mapping[str, str]] = {
        "name": "name",
        "plan": "plan",
        "maxmemory_policy": "maxmemoryPolicy",
        "ip_allow_list": "ipAllowList",
    }

    def create_body(self, inputs: KeyValueInputs) -> dict[str, Any]:
        body: dict[str, Any] = {"name": inputs.name, "plan": inputs.plan, "region": inputs.region}
        if inputs.maxmemory_policy is not None:
            body["maxmemoryPolicy"] = inputs.maxmemory_policy
        if inputs.ip_allow_list is not None:
            body["ipAllowList"] = allow_list_body(inputs.ip_allow_list)
        return body

    def observe(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        kv, info = live["keyValue"], live["connection"]
        return {
            "name": kv["name"],
            "plan": kv["plan"],
            "region": kv["region"],
            "maxmemory_policy": (kv.get("options") or {}).get("maxmemoryPolicy"),
            "ip_allow_list": observe_allow_list(kv),
            "dashboard_url": kv.get("dashboardUrl"),
            "internal_connection_string": info["internalConnectionString"],
            "external_connection_string": info["externalConnectionString"],
            "cli_command": info.get("cliCommand"),
        }


@final
class KeyValue(VendorResource, module="render", name="KeyValue"):
    """A Render Key Value (Redis-compatible) instance.

    Replaced (delete first) when ``region`` changes: ``keyValuePATCHInput``
    (render-openapi.json ``PATCH /key-value/{keyValueId}``) accepts only ``name``, ``plan``,
    ``maxmemoryPolicy`` and ``ipAllowList``.

    ``ip_allow_list`` (``[{cidr_block, description}]``; ``[]`` allows internal connections
    only; unset leaves Render's list alone) is changed in place.

    ``internal_connection_string``, ``external_connection_string`` and ``cli_command`` are secret
    outputs. Create and changes wait for status ``available``.
    """

    name: pulumi.Output[str]
    plan: pulumi.Output[str]
    region: pulumi.Output[str]
    maxmemory_policy: pulumi.Output[str]
    ip_allow_list: pulumi.Output[list[dict[str, str]]]
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
        ip_allow_list: pulumi.Input[Sequence[Mapping[str, str]]] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = {
            "name": name,
            "plan": plan,
            "region": region,
            "maxmemory_policy": maxmemory_policy,
            "ip_allow_list": ip_allow_list,
            "adopt_id": adopt_id,
        }
        super().__init__(
            KeyValueProvider(),
            resource_name,
            inputs,
            outputs=OUTPUTS,
            secret_outputs=SECRET_OUTPUTS,
            opts=opts,
        )
