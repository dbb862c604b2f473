"""Which CIDRs may reach a project's database (``.../network-restrictions``).

The rule that matters here: ``POST .../network-restrictions/apply`` replaces the whole list, so
the declared lists are the complete truth (compared as sets, sorted), and deleting the resource
applies the platform's default again: everything allowed (``0.0.0.0/0`` and ``::/0``).
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, final

import pulumi
from pydantic import Field, field_validator

from paas_stacks.errors import ResourceError
from paas_stacks.providers._resource import Inputs, Live, VendorResource
from paas_stacks.providers._wait import poll_until
from paas_stacks.providers.supabase.common import ProjectChildInputs, ProjectChildProvider

OPEN_V4, OPEN_V6 = ["0.0.0.0/0"], ["::/0"]


def _cidrs(values: list[str], version: int) -> list[str]:
    """Valid CIDRs of one IP version, normalised (host bits cleared) and sorted."""
    result = set()
    for value in values:
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a CIDR: {exc}") from None
        if network.version != version:
            raise ValueError(f"{value!r} is not an IPv{version} CIDR")
        result.add(str(network))
    return sorted(result)


class NetworkRestrictionsInputs(ProjectChildInputs):
    # An undeclared family stays open (the platform default); an empty list allows none of it.
    allowed_cidrs: list[str] = Field(default_factory=lambda: list(OPEN_V4))
    allowed_cidrs_v6: list[str] = Field(default_factory=lambda: list(OPEN_V6))

    @field_validator("allowed_cidrs")
    @classmethod
    def _v4(cls, values: list[str]) -> list[str]:
        return _cidrs(values, 4)

    @field_validator("allowed_cidrs_v6")
    @classmethod
    def _v6(cls, values: list[str]) -> list[str]:
        return _cidrs(values, 6)


@final
class NetworkRestrictionsProvider(ProjectChildProvider):
    kind: ClassVar[str] = "Supabase network restrictions"
    inputs_type: ClassVar[type[Inputs]] = NetworkRestrictionsInputs
    suffix: ClassVar[str] = "network-restrictions"
    #: Bounded wait for ``status: applied`` (the platform may store a change before applying it).
    wait_seconds: ClassVar[float] = 120.0
    sleep = staticmethod(time.sleep)

    def create_new(self, inputs: NetworkRestrictionsInputs) -> Live:
        return self._apply(inputs)

    def fetch(self, id_: str, previous: Mapping[str, Any]) -> Live | None:
        ref = self.ref_of(id_)
        state = self.gone_if_missing(lambda: self.client.network_restrictions(ref))
        return None if state is None else {"id": id_, "project_ref": ref, "state": state}

    def change(
        self,
        id_: str,
        inputs: NetworkRestrictionsInputs,
        changed: Sequence[str],
        previous: Mapping[str, Any],
    ) -> Live:
        return self._apply(inputs)

    def remove(self, id_: str, previous: Mapping[str, Any]) -> None:
        ref = self.ref_of(id_)
        self.gone_if_missing(lambda: self.client.apply_network_restrictions(ref, OPEN_V4, OPEN_V6))

    def observe(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        config = live["state"].get("config") or {}
        return {
            "project_ref": live["project_ref"],
            "allowed_cidrs": _cidrs(config.get("dbAllowedCidrs") or [], 4),
            "allowed_cidrs_v6": _cidrs(config.get("dbAllowedCidrsV6") or [], 6),
        }

    def _apply(self, inputs: NetworkRestrictionsInputs) -> Live:
        ref = inputs.project_ref
        state = self.client.network_restrictions(ref)
        if state.get("entitlement") == "disallowed":
            raise ResourceError(
                f"{self.label(inputs.model_dump())}: the organization's plan does not allow "
                "network restrictions (entitlement: disallowed)"
            )
        self.client.apply_network_restrictions(ref, inputs.allowed_cidrs, inputs.allowed_cidrs_v6)
        return {"id": self.child_id(ref), "project_ref": ref, "state": self._wait_applied(ref)}

    def _wait_applied(self, ref: str) -> dict[str, Any]:
        def settle_for(state: dict[str, Any], _waited: float) -> dict[str, Any]:
            # Still "stored" after the wait: the outputs say what is stored; a later refresh
            # reads what was applied.
            return state

        def say(_state: dict[str, Any], waited: float, _delay: float) -> None:
            self.progress(
                f"Supabase network restrictions of '{ref}': stored, waiting ({waited:.0f}s)"
            )

        return poll_until(
            lambda: self.client.network_restrictions(ref),
            lambda state: state.get("status", "applied") == "applied",
            limit=self.wait_seconds,
            sleep=self.sleep,
            say=say,
            timeout=settle_for,
        )


@final
class NetworkRestrictions(VendorResource, module="supabase", name="NetworkRestrictions"):
    """The IPv4 and IPv6 CIDRs allowed to reach the database. A family left out stays open
    (``0.0.0.0/0`` / ``::/0``); an empty list allows none of it.

    Replaced when changed: ``project_ref``. The lists change in place (POST
    .../network-restrictions/apply replaces them). Deleting it allows everything again.
    """

    project_ref: pulumi.Output[str]
    allowed_cidrs: pulumi.Output[list[str]]
    allowed_cidrs_v6: pulumi.Output[list[str]]

    def __init__(
        self,
        resource_name: str,
        *,
        project_ref: pulumi.Input[str],
        allowed_cidrs: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        allowed_cidrs_v6: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = {
            "project_ref": project_ref,
            "allowed_cidrs": allowed_cidrs,
            "allowed_cidrs_v6": allowed_cidrs_v6,
        }
        super().__init__(
            NetworkRestrictionsProvider(), resource_name, inputs, outputs=(), opts=opts
        )
