"""``Domain``: a custom hostname on a web service or static site, and its DNS records.

The rule that matters here: the TARGET says which records it needs (``DomainTarget.attach_domain``
declares the vendor side and answers a ``DnsTarget``: the hostname's own record, plus any the
vendor validates its certificate with), and the Domain only writes those records on Cloudflare,
or, with ``dns="none"``, outputs them for the user to create, so every target (Render, Fly,
Pages, CloudFront, Vercel) plugs in without the Domain knowing its vendor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal, Protocol, runtime_checkable

import pulumi

from paas_stacks.components._args import field_problems, raise_problems
from paas_stacks.components._component import Component
from paas_stacks.components._extras import require_sdk
from paas_stacks.components._fields import Hostname
from paas_stacks.errors import Problem

if TYPE_CHECKING:
    import pulumi_cloudflare as cloudflare

__all__ = ["DnsMode", "DnsRecord", "DnsTarget", "Domain", "DomainArgs", "DomainTarget"]

#: ``cloudflare`` writes the record; ``none`` only outputs it (you create it yourself).
DnsMode = Literal["cloudflare", "none"]
#: Cloudflare's "automatic" TTL (the only one a proxied record takes).
AUTO_TTL = 1


@dataclass(frozen=True)
class DnsRecord:
    """A further record the hostname's certificate needs (e.g. Fly's ``_acme-challenge``)."""

    #: Names the Cloudflare record's resource: ``<domain>-record-<label>``.
    label: str
    type: str
    name: pulumi.Input[str]
    content: pulumi.Input[str]


@dataclass(frozen=True)
class DnsTarget:
    """The DNS record a hostname needs so that its target answers on it."""

    #: The record type, ``CNAME`` for every target so far (Cloudflare flattens one at the apex).
    type: str
    #: The record's content, e.g. ``prod-api.onrender.com`` or ``prod-api.fly.dev``.
    content: pulumi.Input[str]
    #: What the user must still do by hand for the hostname to serve HTTPS; an empty string
    #: (e.g. once the certificate is issued) is nothing.
    manual_step: pulumi.Input[str] | None = None
    #: Records beside the hostname's own that let the vendor validate it and issue its
    #: certificate (written on Cloudflare like the main one, never proxied).
    extra: tuple[DnsRecord, ...] = ()


@runtime_checkable
class DomainTarget(Protocol):
    """A web service or static site that can answer on a custom hostname.

    ``attach_domain`` is called once per hostname, by the ``Domain`` that owns it. It declares
    whatever the vendor needs (a Render custom domain, a Pages domain...) as children of
    ``parent``, named ``f"{parent.pulumi_resource_name}-<suffix>"``, and returns the record the
    hostname needs. It must not create DNS records itself: that is the Domain's job.
    """

    def attach_domain(self, hostname: str, parent: pulumi.Resource) -> DnsTarget: ...


@dataclass(frozen=True, kw_only=True)
class DomainArgs:
    """A hostname, what answers on it, and where its DNS record lives."""

    #: The custom hostname, e.g. ``api.example.com``.
    hostname: Hostname
    #: The web service or static site that answers on it.
    target: DomainTarget
    #: ``cloudflare`` writes the record; ``none`` only outputs it (you create it yourself).
    dns: DnsMode = "cloudflare"
    #: The Cloudflare zone's name; defaults to the hostname's last two labels.
    zone: Hostname | None = None
    #: The Cloudflare zone id, to skip looking the zone up by name.
    zone_id: pulumi.Input[str] | None = None
    #: Route the hostname through Cloudflare's proxy (orange cloud).
    proxied: bool = False

    @property
    def zone_name(self) -> str:
        """The zone the record goes in: ``zone``, else the hostname's last two labels."""
        return self.zone or ".".join(self.hostname.split(".")[-2:])


class Domain(Component):
    """A custom hostname: the target's vendor side, plus a Cloudflare DNS record."""

    type_name: ClassVar[str] = "Domain"

    hostname: pulumi.Output[str]
    record_type: pulumi.Output[str]
    record_content: pulumi.Output[str]
    #: The Cloudflare record's id; ``None`` with ``dns="none"``.
    dns_record_id: pulumi.Output[str | None]
    #: What is left to do by hand (create the record, request a certificate); empty if nothing.
    manual_steps: pulumi.Output[list[str]]
    #: Every record the hostname needs, ``{type, name, content}``: its own first.
    records: pulumi.Output[list[dict[str, str]]]

    @staticmethod
    def problems(args: DomainArgs) -> list[Problem]:
        """Everything wrong with ``args``, locs relative to the args."""
        found = field_problems(args)
        if not isinstance(args.target, DomainTarget):
            found.append(
                Problem(("target",), f"{type(args.target).__name__} has no attach_domain()")
            )
        if not any(problem.loc[:1] in (("hostname",), ("zone",)) for problem in found):
            zone, hostname = args.zone_name, args.hostname
            if hostname != zone and not hostname.endswith(f".{zone}"):
                found.append(Problem(("zone",), f"{hostname!r} is not inside zone {zone!r}"))
        if args.dns == "none":
            given = {"proxied": args.proxied, "zone_id": args.zone_id is not None}
            found += [
                Problem((key,), "is a Cloudflare DNS setting, but dns is 'none'")
                for key, is_set in given.items()
                if is_set
            ]
        return found

    def __init__(
        self, name: str, args: DomainArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        label = f"Domain {name!r}"
        raise_problems(label, self.problems(args))
        if args.dns == "cloudflare":
            require_sdk("pulumi_cloudflare", label, "dns 'cloudflare'")
        super().__init__(name, opts)
        self._zone_id: pulumi.Output[str] | None = None
        target = args.target.attach_domain(args.hostname, self)
        content = pulumi.Output.from_input(target.content)
        main = DnsRecord("", target.type, args.hostname, content)
        records = (main, *target.extra)
        steps: list[pulumi.Output[str]] = []
        if args.dns == "cloudflare":
            record = self._record(name, args, main)
            for extra in target.extra:
                self._record(name, args, extra, proxied=False)
            self.dns_record_id = record.id.apply(lambda value: value)
        else:
            self.dns_record_id = pulumi.Output.from_input(None)
            steps += [
                pulumi.Output.concat("create the DNS record ", r.name, f" {r.type} ", r.content)
                for r in records
            ]
        if target.manual_step is not None:
            steps.append(pulumi.Output.from_input(target.manual_step))
        self.hostname = pulumi.Output.from_input(args.hostname)
        self.record_type = pulumi.Output.from_input(target.type)
        self.record_content = content
        self.manual_steps = pulumi.Output.all(*steps).apply(lambda done: [s for s in done if s])
        self.records = pulumi.Output.all(
            *[pulumi.Output.all(r.type, r.name, r.content) for r in records]
        ).apply(lambda rows: [{"type": t, "name": n, "content": c} for t, n, c in rows])
        self.register_outputs(
            {
                "hostname": self.hostname,
                "record_type": self.record_type,
                "record_content": self.record_content,
                "dns_record_id": self.dns_record_id,
                "manual_steps": self.manual_steps,
                "records": self.records,
            }
        )

    def _record(
        self, name: str, args: DomainArgs, record: DnsRecord, *, proxied: bool | None = None
    ) -> cloudflare.DnsRecord:
        # Imported here: the Cloudflare SDK takes seconds to import and most programs never
        # write a record (``dns: none``, offline runs); ``__init__`` checked it is installed.
        import pulumi_cloudflare as cloudflare  # noqa: PLC0415

        if args.zone_id is None and self._zone_id is None:
            found = cloudflare.get_zone_output(
                filter={"name": args.zone_name, "match": "all"},
                opts=pulumi.InvokeOutputOptions(parent=self),
            )
            self._zone_id = found.id
        suffix = f"record-{record.label}" if record.label else "record"
        return cloudflare.DnsRecord(
            self.child_name(suffix),
            zone_id=args.zone_id if args.zone_id is not None else self._zone_id,
            name=record.name,
            type=record.type,
            content=record.content,
            proxied=args.proxied if proxied is None else proxied,
            ttl=AUTO_TTL,
            comment=f"paas-stacks domain {name}",
            opts=self.child_opts(),
        )
