"""Custom domains of Render web services and static sites.

The rule that matters here: a domain belongs to one service and Render has no call that moves
or renames it, so a change of either is a new domain; the id in state is the domain's own id and
the service id rides along in the outputs, which every later read needs for its path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, final
from urllib.parse import quote

import pulumi
from pydantic import Field

from paas_stacks.errors import ResourceError
from paas_stacks.providers._resource import Inputs, Live, VendorResource
from paas_stacks.providers.render.base import RenderProvider

__all__ = ["CustomDomain", "CustomDomainProvider"]

OUTPUTS = ("domain_type", "public_suffix", "redirect_for_name")


class CustomDomainInputs(Inputs):
    service_id: str = Field(min_length=1)
    name: str = Field(min_length=3, pattern=r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


@final
class CustomDomainProvider(RenderProvider[CustomDomainInputs]):
    kind: ClassVar[str] = "Render CustomDomain"
    inputs_type: ClassVar[type[CustomDomainInputs]] = CustomDomainInputs
    replace_on: ClassVar[tuple[str, ...]] = ("service_id", "name")

    def desired(self, inputs: CustomDomainInputs) -> dict[str, Any]:
        # Render stores names lower-case; comparing that way avoids an endless diff.
        return {"service_id": inputs.service_id, "name": inputs.name.lower()}

    def find(self, inputs: CustomDomainInputs) -> Live | None:
        return self._get(inputs.service_id, inputs.name.lower())

    def create_new(self, inputs: CustomDomainInputs) -> Live:
        path = f"/services/{inputs.service_id}/custom-domains"
        # Render answers with an array (an apex name may bring a www entry along); ours is the
        # entry with the name we asked for.
        created = self.client.json("POST", path, json={"name": inputs.name})
        for domain in created or []:
            if str(domain["name"]).lower() == inputs.name.lower():
                return dict(domain)
        raise ResourceError(f"{self.kind} '{inputs.name}': Render's answer does not list it")

    def fetch(self, id_: str, previous: Mapping[str, Any]) -> Live | None:
        service_id = previous.get("service_id")
        if not service_id:
            raise ResourceError(
                f"{self.kind} {id_}: the service id is unknown; adopt a domain by declaring "
                "its service_id and name instead of adopt_id"
            )
        return self._get(str(service_id), id_)

    def change(
        self,
        id_: str,
        inputs: CustomDomainInputs,
        changed: Sequence[str],
        previous: Mapping[str, Any],
    ) -> Live:
        # Every compared key replaces, so the engine never asks for an in-place change.
        raise ResourceError(f"{self.kind} '{inputs.name}': cannot change {list(changed)} in place")

    def remove(self, id_: str, previous: Mapping[str, Any]) -> None:
        self.client.delete(f"/services/{previous['service_id']}/custom-domains/{id_}")

    def observe(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "service_id": (live.get("server") or {}).get("id"),
            "name": live["name"],
            "domain_type": live.get("domainType"),
            "public_suffix": live.get("publicSuffix"),
            "redirect_for_name": live.get("redirectForName"),
        }

    def _get(self, service_id: str, id_or_name: str) -> Live | None:
        path = f"/services/{service_id}/custom-domains/{quote(id_or_name, safe='')}"
        found = self.client.get_or_none(path)
        return None if found is None else dict(found)


@final
class CustomDomain(VendorResource, module="render", name="CustomDomain"):
    """A custom domain on a Render web service or static site.

    Replaced when ``service_id`` or ``name`` changes: render-openapi.json has no PATCH or PUT
    under ``/services/{serviceId}/custom-domains/{customDomainIdOrName}`` (only GET, DELETE and
    ``verify``). DNS verification is Render's business and is not waited for; its status is
    not an output because it changes on its own.
    """

    service_id: pulumi.Output[str]
    name: pulumi.Output[str]
    domain_type: pulumi.Output[str]
    public_suffix: pulumi.Output[str]
    redirect_for_name: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        service_id: pulumi.Input[str],
        name: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(
            CustomDomainProvider(),
            resource_name,
            {"service_id": service_id, "name": name},
            outputs=OUTPUTS,
            opts=opts,
        )
