"""Domain: the target declares its vendor side and names the record; the Domain writes it on
Cloudflare, or outputs it for the user with ``dns: none``; bad args are refused with the same
words from Python and from a stack file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import pytest

from paas_stacks.components.domain import DnsTarget, Domain, DomainArgs, DomainTarget
from paas_stacks.components.environment import Environment, EnvironmentArgs
from paas_stacks.components.platforms import Fly, Render
from paas_stacks.components.spec import SpecError, load_stack
from paas_stacks.components.spec import build as build_environment
from paas_stacks.components.web_service import WebService, WebServiceArgs
from paas_stacks.errors import ArgsError
from tests.mocks import Built, RecordingMocks, build

STACKS = Path(__file__).resolve().parents[3] / "stacks"
GET_ZONE = "cloudflare:index/getZone:getZone"
DNS_RECORD = "cloudflare:index/dnsRecord:DnsRecord"


@dataclass
class ZoneMocks(RecordingMocks):
    """Answers Cloudflare's zone lookup with a fixed zone id, and records the lookups."""

    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        self.calls.append((args.token, dict(args.args)))
        if args.token == GET_ZONE:
            return {"id": "zone-123", "name": args.args["filter"]["name"]}, []
        # pulumi's mock monitor iterates the failures: an empty list, never None.
        return {}, []


def web(platform: str) -> WebService:
    if platform == "render":
        on: Render | Fly = Render(
            plan="starter", runtime="docker", repo="https://github.com/acme/api"
        )
    else:
        on = Fly(size="shared-cpu-1x", image="x:1", region="iad")
    return WebService("api", WebServiceArgs(name="prod-api", platform=on))


def run(platform: str, **domain: Any) -> tuple[Built, ZoneMocks]:
    mocks = ZoneMocks()

    def program() -> dict[str, Any]:
        made = Domain("api-domain", DomainArgs(target=web(platform), **domain))
        return {
            "type": made.record_type,
            "content": made.record_content,
            "steps": made.manual_steps,
            "record_id": made.dns_record_id,
            "hostname": made.hostname,
        }

    return build(program, mocks=mocks), mocks


def test_a_render_target_gets_a_custom_domain_and_a_cloudflare_cname_to_onrender() -> None:
    built, mocks = run("render", hostname="api.real-staging.ai")
    domain = built.mocks.one("render:CustomDomain")
    assert domain.name == "api-domain-custom-domain"
    assert (domain.inputs["service_id"], domain.inputs["name"]) == (
        "api-service-id",
        "api.real-staging.ai",
    )
    record = built.mocks.one(DNS_RECORD)
    assert record.name == "api-domain-record"
    assert record.inputs["zoneId"] == "zone-123"
    assert (record.inputs["name"], record.inputs["type"]) == ("api.real-staging.ai", "CNAME")
    assert record.inputs["content"] == "prod-api.onrender.com"
    assert (record.inputs["ttl"], record.inputs["proxied"]) == (1, False)
    assert mocks.calls == [(GET_ZONE, {"filter": {"name": "real-staging.ai", "match": "all"}})]
    assert built.value["record_id"] == "api-domain-record-id"
    assert built.value["steps"] == []


def test_the_zone_is_the_declared_one_and_a_zone_id_skips_the_lookup() -> None:
    _, mocks = run("render", hostname="api.eu.example.co.uk", zone="example.co.uk")
    assert mocks.calls[0][1]["filter"]["name"] == "example.co.uk"
    built, mocks = run("render", hostname="api.example.com", zone_id="zone-given", proxied=True)
    assert mocks.calls == []
    record = built.mocks.one(DNS_RECORD)
    assert (record.inputs["zoneId"], record.inputs["proxied"]) == ("zone-given", True)


def test_dns_none_creates_no_record_and_outputs_the_record_to_create() -> None:
    built, mocks = run("render", hostname="api.example.com", dns="none")
    assert built.mocks.of_type(DNS_RECORD) == []
    assert mocks.calls == []
    assert len(built.mocks.of_type("render:CustomDomain")) == 1
    assert built.value["steps"] == [
        "create the DNS record api.example.com CNAME prod-api.onrender.com"
    ]
    assert built.value["record_id"] is None
    assert (built.value["type"], built.value["content"]) == ("CNAME", "prod-api.onrender.com")


def test_a_fly_target_gets_a_certificate_and_cloudflare_writes_every_record_it_needs() -> None:
    built, mocks = run("fly", hostname="api.example.com", proxied=True)
    assert built.mocks.of_type("render:CustomDomain") == []
    certificate = built.mocks.one("pulumi-python:dynamic/fly:Certificate")
    assert certificate.name == "api-domain-certificate"
    assert (certificate.inputs["app"], certificate.inputs["hostname"]) == (
        "prod-api",
        "api.example.com",
    )
    records = {r.name: r.inputs for r in built.mocks.of_type(DNS_RECORD)}
    assert set(records) == {
        "api-domain-record",
        "api-domain-record-acme-challenge",
        "api-domain-record-ownership",
    }
    main = records["api-domain-record"]
    assert (main["type"], main["content"], main["proxied"]) == ("CNAME", "prod-api.fly.dev", True)
    challenge = records["api-domain-record-acme-challenge"]
    assert (challenge["name"], challenge["type"]) == ("_acme-challenge.api.example.com", "CNAME")
    assert challenge["content"] == "api.example.com.abc123.flydns.net"
    ownership = records["api-domain-record-ownership"]
    assert (ownership["name"], ownership["type"]) == ("_fly-ownership.api.example.com", "TXT")
    assert ownership["content"] == "app-0123456789ab"
    # Validation records are never proxied; the zone is looked up once for all three.
    assert (challenge["proxied"], ownership["proxied"]) == (False, False)
    assert len(mocks.calls) == 1
    assert built.value["steps"] == [
        "Fly issues the certificate for api.example.com once its DNS records resolve: "
        "fly certs check api.example.com -a prod-api"
    ]


def test_a_fly_domain_with_dns_none_outputs_the_three_records_to_create() -> None:
    mocks = ZoneMocks()

    def program() -> dict[str, Any]:
        made = Domain(
            "api-domain", DomainArgs(target=web("fly"), hostname="api.example.com", dns="none")
        )
        return {"records": made.records, "steps": made.manual_steps}

    built = build(program, mocks=mocks)
    assert built.mocks.of_type(DNS_RECORD) == []
    assert built.value["records"] == [
        {"type": "CNAME", "name": "api.example.com", "content": "prod-api.fly.dev"},
        {
            "type": "CNAME",
            "name": "_acme-challenge.api.example.com",
            "content": "api.example.com.abc123.flydns.net",
        },
        {"type": "TXT", "name": "_fly-ownership.api.example.com", "content": "app-0123456789ab"},
    ]
    assert built.value["steps"][:3] == [
        "create the DNS record api.example.com CNAME prod-api.fly.dev",
        "create the DNS record _acme-challenge.api.example.com CNAME "
        "api.example.com.abc123.flydns.net",
        "create the DNS record _fly-ownership.api.example.com TXT app-0123456789ab",
    ]
    assert built.value["steps"][3].startswith("Fly issues the certificate for api.example.com")


@dataclass
class Plain:
    """Not a DomainTarget: it has no attach_domain."""

    url: str = "https://x"


@pytest.mark.parametrize(
    ("domain", "line"),
    [
        (
            {"hostname": "API.example.com"},
            "hostname: 'API.example.com' is not a lowercase hostname",
        ),
        (
            {"hostname": "api.example.com", "zone": "other.com"},
            "zone: 'api.example.com' is not inside zone 'other.com'",
        ),
        (
            {"hostname": "api.example.com", "dns": "route53"},
            "dns: 'route53' is not allowed; allowed: cloudflare, none",
        ),
        (
            {"hostname": "api.example.com", "dns": "none", "proxied": True},
            "proxied: is a Cloudflare DNS setting, but dns is 'none'",
        ),
        (
            {"hostname": "api.example.com", "dns": "none", "zone_id": "z"},
            "zone_id: is a Cloudflare DNS setting, but dns is 'none'",
        ),
    ],
)
def test_a_bad_domain_arg_is_one_line_naming_it_before_any_resource(
    domain: dict[str, Any], line: str
) -> None:
    mocks = RecordingMocks()

    def program() -> None:
        target = Target()
        Domain("api-domain", DomainArgs(target=target, **domain))

    with pytest.raises(ArgsError) as caught:
        build(program, mocks=mocks)
    assert str(caught.value) == f"Domain 'api-domain': {line}"
    assert mocks.resources == []


def test_a_target_without_attach_domain_is_refused() -> None:
    assert not isinstance(Plain(), DomainTarget)
    with pytest.raises(ArgsError, match="target: Plain has no attach_domain"):
        Domain("d", DomainArgs(hostname="a.example.com", target=Plain()))  # type: ignore[arg-type]


class Target:
    """A minimal DomainTarget, as a static site implements it."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []

    def attach_domain(self, hostname: str, parent: pulumi.Resource) -> DnsTarget:
        self.asked.append((hostname, parent.pulumi_resource_name))
        return DnsTarget(type="CNAME", content="site.pages.dev", manual_step="wait for it")


def test_the_environment_builds_the_realstaging_domain_on_its_render_api() -> None:
    # Seed 004 "Domain Configuration": a custom domain in Render plus its DNS records.
    env = load_stack("realstaging", STACKS, check_secrets=False)
    config = {f"paas-stacks:{key}": "x" for key in env.secrets["api-secrets"].from_config.values()}
    config.update({"paas-stacks:b2KeyId": "k", "paas-stacks:b2ApplicationKey": "s"})
    built = build(
        lambda: Environment("realstaging", EnvironmentArgs(spec=env)).domains["api"].manual_steps,
        config=config,
        mocks=ZoneMocks(),
    )
    domain = built.mocks.one("render:CustomDomain", "api-custom-domain")
    assert domain.inputs["name"] == "api.real-staging.ai"
    record = built.mocks.one(DNS_RECORD, "api-record")
    assert (record.inputs["name"], record.inputs["content"]) == (
        "api.real-staging.ai",
        "realstaging-api.onrender.com",
    )
    assert built.value == []


def test_any_target_gets_its_domain_and_the_steps_it_names() -> None:
    target = Target()
    built = build(
        lambda: (
            Domain(
                "api",
                DomainArgs(hostname="api.real-staging.ai", target=target, zone="real-staging.ai"),
            ).manual_steps
        ),
        mocks=ZoneMocks(),
    )
    assert target.asked == [("api.real-staging.ai", "api")]
    record = built.mocks.one(DNS_RECORD)
    assert (record.inputs["name"], record.inputs["content"]) == (
        "api.real-staging.ai",
        "site.pages.dev",
    )
    assert built.value == ["wait for it"]


def spec_lines(domain: dict[str, Any]) -> list[str]:
    environment = {
        "services": {
            "api": {
                "kind": "web",
                "platform": "render",
                "plan": "starter",
                "runtime": "docker",
                "repo": "https://github.com/acme/api",
            }
        },
        "domains": {"api": domain},
    }
    with pytest.raises(SpecError) as caught:
        build_environment("shop", environment, STACKS)
    return list(caught.value.lines)


def test_a_stack_file_gets_the_same_words_as_python_for_a_zone_or_proxy_mistake() -> None:
    assert spec_lines(
        {
            "hostname": "api.example.com",
            "target": "api",
            "zone": "other.com",
            "dns": "none",
            "proxied": True,
        }
    ) == [
        "stacks/Pulumi.shop.yaml: environment.domains.api.zone: 'api.example.com' is not inside "
        "zone 'other.com'",
        "stacks/Pulumi.shop.yaml: environment.domains.api.proxied: is a Cloudflare DNS setting, "
        "but dns is 'none'",
    ]


def test_a_stack_file_domain_on_no_web_service_names_the_targets() -> None:
    assert spec_lines({"hostname": "api.example.com", "target": "apii"}) == [
        "stacks/Pulumi.shop.yaml: environment.domains.api.target: 'apii' is not a component; "
        "allowed: api; did you mean 'api'?"
    ]
