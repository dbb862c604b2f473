"""Fly Certificate: a custom hostname on an app and its Let's Encrypt (ACME) certificate.

The rule that matters here: a hostname is its certificate's identity (``<app>/<hostname>``), and
Fly issues the certificate on its own once the hostname's DNS resolves to the app, so ``create``
requests it and returns at once with the DNS records the hostname needs; it never waits for an
issue that depends on records the user (or a Cloudflare record being created beside it) has
not set yet. ``refresh`` reads the status again (``pending_validation`` -> ``active``).
A certificate found on this stack's app (a create whose answer was lost) is adopted: the app
carries the owner marker, and a hostname another app holds is Fly's 422 "taken", a conflict.
Endpoints: GET/DELETE /apps/{app}/certificates/{hostname}, POST .../certificates/acme (spec).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, final

import pulumi
from pydantic import field_validator, model_validator

from paas_stacks.errors import ResourceError
from paas_stacks.providers._resource import Inputs, Live, VendorResource
from paas_stacks.providers.fly.base import FlyProvider

__all__ = ["Certificate", "CertificateInputs", "CertificateProvider"]

#: The status of a certificate Fly has issued (CertificateEntry.status in the spec).
ISSUED = "active"


class CertificateInputs(Inputs):
    app: str
    hostname: str

    @field_validator("hostname")
    @classmethod
    def _lower(cls, value: str) -> str:
        # DNS names are case-insensitive and Fly keys certificates by the lowercase name.
        return value.strip().lower().rstrip(".")

    @model_validator(mode="before")
    @classmethod
    def _qualified_adopt_id(cls, data: Any) -> Any:
        # The resource id is ``<app>/<hostname>``; a bare hostname names one of ``app``'s.
        if isinstance(data, dict) and data.get("adopt_id") and "/" not in data["adopt_id"]:
            return {**data, "adopt_id": f"{data.get('app')}/{data['adopt_id']}"}
        return data


@final
class CertificateProvider(FlyProvider[CertificateInputs]):
    kind: ClassVar[str] = "Fly Certificate"
    inputs_type: ClassVar[type[Inputs]] = CertificateInputs
    # A certificate has no update endpoint: another app or hostname is another certificate.
    replace_on: ClassVar[tuple[str, ...]] = ("app", "hostname")
    # A hostname can be on one app only, so moving it must free it first.
    delete_first: ClassVar[bool] = True

    def find(self, inputs: CertificateInputs) -> Live | None:
        found = self.client.get_certificate(inputs.app, inputs.hostname)
        return None if found is None else {**found, "app": inputs.app}

    def create_new(self, inputs: CertificateInputs) -> Live:
        created = self.client.request_certificate(inputs.app, inputs.hostname)
        return {**created, "app": inputs.app}

    def fetch(self, id_: str, previous: Mapping[str, Any]) -> Live | None:
        app, _, hostname = id_.partition("/")
        found = self.client.get_certificate(app, hostname) if app and hostname else None
        return None if found is None else {**found, "app": app}

    def change(
        self,
        id_: str,
        inputs: CertificateInputs,
        changed: Sequence[str],
        previous: Mapping[str, Any],
    ) -> Live:
        # Only adoption gets here (every compared key replaces): a mismatch cannot be fixed.
        raise ResourceError(f"Fly Certificate {id_}: {', '.join(changed)} cannot change in place")

    def remove(self, id_: str, previous: Mapping[str, Any]) -> None:
        app, _, hostname = id_.partition("/")
        self.client.delete_certificate(app, hostname)  # a 404 (already gone) is done

    def identify(self, live: Live) -> str:
        return f"{live['app']}/{live['hostname']}"

    def observe(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        needs = live.get("dns_requirements") or {}
        challenge = needs.get("acme_challenge") or {}
        ownership = needs.get("ownership") or {}
        return {
            "app": live["app"],
            "hostname": live["hostname"],
            "status": str(live.get("status") or ""),
            "configured": bool(live.get("configured", False)),
            "issued": any(
                entry.get("status") == ISSUED for entry in live.get("certificates") or []
            ),
            "cname_target": str(needs.get("cname") or ""),
            "ipv4": list(needs.get("a") or []),
            "ipv6": list(needs.get("aaaa") or []),
            "acme_challenge_name": str(challenge.get("name") or ""),
            "acme_challenge_target": str(challenge.get("target") or ""),
            "ownership_name": str(ownership.get("name") or ""),
            "ownership_value": str(ownership.get("app_value") or ""),
        }

    def label(self, inputs: Mapping[str, Any], id_: str | None = None) -> str:
        what = inputs.get("hostname") or (id_ or "?").partition("/")[2] or "?"
        return f"Fly Certificate '{what}' of app '{inputs.get('app') or '?'}'"


@final
class Certificate(VendorResource, module="fly", name="Certificate"):
    """A custom hostname on a Fly app, with the Let's Encrypt certificate Fly issues for it.

    Replaced when ``app`` or ``hostname`` changes (the old one is removed first: a hostname is
    on one app only). Outputs the records the hostname needs: ``cname_target`` (or ``ipv4`` /
    ``ipv6`` for A/AAAA records), the ``_acme-challenge`` CNAME (``acme_challenge_name`` ->
    ``acme_challenge_target``) and the ``_fly-ownership`` TXT record (``ownership_name`` ->
    ``ownership_value``), which let Fly issue the certificate behind a proxy such as
    Cloudflare's. ``status`` is Fly's (``pending_validation`` until issued, then ``active``).
    """

    app: pulumi.Output[str]
    hostname: pulumi.Output[str]
    status: pulumi.Output[str]
    configured: pulumi.Output[bool]
    issued: pulumi.Output[bool]
    cname_target: pulumi.Output[str]
    ipv4: pulumi.Output[list[str]]
    ipv6: pulumi.Output[list[str]]
    acme_challenge_name: pulumi.Output[str]
    acme_challenge_target: pulumi.Output[str]
    ownership_name: pulumi.Output[str]
    ownership_value: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        app: pulumi.Input[str],
        hostname: pulumi.Input[str],
        adopt_id: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = {"app": app, "hostname": hostname, "adopt_id": adopt_id}
        outputs = (
            "status",
            "configured",
            "issued",
            "cname_target",
            "ipv4",
            "ipv6",
            "acme_challenge_name",
            "acme_challenge_target",
            "ownership_name",
            "ownership_value",
        )
        super().__init__(CertificateProvider(), resource_name, inputs, outputs=outputs, opts=opts)
