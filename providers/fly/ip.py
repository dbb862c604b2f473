"""Fly IP assignment for an app: shared IPv4, dedicated IPv4, IPv6 or private (Flycast) IPv6.

The rule that matters here: a dedicated address has no name to look it up by, so a create whose
answer was lost is resolved by comparing the app's addresses before and after the POST, never
by posting again (a second POST would allocate, and bill, a second address).
Endpoints: GET/POST /apps/{app}/ip_assignments, DELETE .../{ip} (spec; sandbox README).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal, final

import pulumi
from pydantic import model_validator

from paas_stacks.errors import ResourceError, VendorError
from paas_stacks.providers._resource import Inputs, Live, VendorResource
from paas_stacks.providers.fly.base import FlyProvider

__all__ = ["IpAddress", "IpAddressInputs", "IpAddressProvider"]

IpType = Literal["v4", "v6", "shared_v4", "private_v6"]


class IpAddressInputs(Inputs):
    app: str
    type: IpType
    region: str = "global"

    @model_validator(mode="before")
    @classmethod
    def _qualified_adopt_id(cls, data: Any) -> Any:
        # The resource id is ``<app>/<address>``; a bare address names one of ``app``'s.
        if isinstance(data, dict) and data.get("adopt_id") and "/" not in data["adopt_id"]:
            return {**data, "adopt_id": f"{data.get('app')}/{data['adopt_id']}"}
        return data

    @model_validator(mode="after")
    def _shared_is_global(self) -> IpAddressInputs:
        if self.type == "shared_v4" and self.region != "global":
            raise ValueError("a shared IPv4 is global: leave region unset for shared_v4")
        return self


@final
class IpAddressProvider(FlyProvider[IpAddressInputs]):
    kind: ClassVar[str] = "Fly IP address"
    inputs_type: ClassVar[type[Inputs]] = IpAddressInputs
    # An assignment has no update endpoint (only GET/POST/DELETE): every change is a new one.
    replace_on: ClassVar[tuple[str, ...]] = ("app", "type", "region")
    # Allocate the new address before releasing the old, so the app stays reachable.
    delete_first: ClassVar[bool] = False

    def find(self, inputs: IpAddressInputs) -> Live | None:
        if inputs.type != "shared_v4":
            return None  # dedicated addresses have no identity but the address itself
        listed = self.client.list_ips(inputs.app) or []
        shared = [ip for ip in listed if _kind(ip) == "shared_v4"]
        return {**shared[0], "app": inputs.app} if shared else None

    def create_new(self, inputs: IpAddressInputs) -> Live:
        body: dict[str, Any] = {"type": inputs.type}
        if inputs.region != "global":
            body["region"] = inputs.region
        before = {ip["ip"] for ip in self.client.list_ips(inputs.app) or []}
        try:
            return {**self.client.assign_ip(inputs.app, body), "app": inputs.app}
        except VendorError as exc:
            if not exc.maybe_applied:
                raise
            self.progress(f"Fly IP address: answer lost ({exc.message}); looking for it")
        after = self.client.list_ips(inputs.app) or []
        new = [ip for ip in after if ip["ip"] not in before and _kind(ip) == inputs.type]
        if len(new) != 1:
            raise ResourceError(
                f"Fly IP address ({inputs.type}) of app '{inputs.app}': the "
                f"assignment's answer was lost and {len(new)} new addresses "
                "appeared; check the app's IPs"
            )
        return {**new[0], "app": inputs.app}

    def fetch(self, id_: str, previous: Mapping[str, Any]) -> Live | None:
        app, _, address = id_.partition("/")
        for ip in self.client.list_ips(app) or []:
            if ip.get("ip") == address:
                return {**ip, "app": app}
        return None

    def change(
        self, id_: str, inputs: IpAddressInputs, changed: Sequence[str], previous: Mapping[str, Any]
    ) -> Live:
        # Only adoption gets here (every compared key replaces): a mismatch cannot be fixed.
        raise ResourceError(f"Fly IP address {id_}: {', '.join(changed)} cannot change in place")

    def remove(self, id_: str, previous: Mapping[str, Any]) -> None:
        app, _, address = id_.partition("/")
        self.client.release_ip(app, address)

    def identify(self, live: Live) -> str:
        return f"{live['app']}/{live['ip']}"

    def observe(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "app": live["app"],
            "type": _kind(live),
            "region": live.get("region") or "global",
            "address": live["ip"],
            "shared": bool(live.get("shared", False)),
        }

    def label(self, inputs: Mapping[str, Any], id_: str | None = None) -> str:
        what = inputs.get("address") or inputs.get("type") or "?"
        return f"Fly IP address {what} of app '{inputs.get('app') or id_ or '?'}'"


def _kind(ip: Mapping[str, Any]) -> str:
    """The assignment's type; the listing has no type field (spec ``IPAssignment``)."""
    address = str(ip.get("ip") or "")
    if ip.get("shared"):
        return "shared_v4"
    if ":" in address:
        return "private_v6" if address.startswith("fdaa:") else "v6"
    return "v4"


@final
class IpAddress(VendorResource, module="fly", name="IpAddress"):
    """An IP address of a Fly app (``shared_v4``, dedicated ``v4``, ``v6``, ``private_v6``).

    Replaced when ``app``, ``type`` or ``region`` changes: the spec offers no update for an
    assignment, only POST and DELETE. A shared IPv4 already on the app is adopted.
    """

    app: pulumi.Output[str]
    type: pulumi.Output[str]
    region: pulumi.Output[str]
    address: pulumi.Output[str]
    shared: pulumi.Output[bool]

    def __init__(
        self,
        resource_name: str,
        *,
        app: pulumi.Input[str],
        type: pulumi.Input[str],
        region: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = {"app": app, "type": type, "region": region, "adopt_id": adopt_id}
        outputs = ("address", "shared")
        super().__init__(IpAddressProvider(), resource_name, inputs, outputs=outputs, opts=opts)
