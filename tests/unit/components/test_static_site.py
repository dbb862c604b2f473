"""StaticSite on Cloudflare Pages, S3 + CloudFront, Render and Vercel: the resources it declares,
the build-time variables it hands the builder, what a link to it provides, its custom-domain
hook, the args it refuses (the same words from Python and from a stack file) and how a stack
file's entry compiles into its args."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml
from pulumi.runtime import rpc

from paas_stacks.components.domain import DnsTarget, Domain, DomainArgs
from paas_stacks.components.linking import Link
from paas_stacks.components.spec import (
    Entry,
    EnvironmentSpec,
    SpecError,
    compile_entry,
    load_stack,
)
from paas_stacks.components.spec import build as build_spec
from paas_stacks.components.static_site import (
    CloudflarePages,
    RenderStatic,
    S3CloudFront,
    StaticSite,
    StaticSiteArgs,
    Vercel,
)
from paas_stacks.errors import ArgsError
from tests.mocks import MARKER_TAG, OWNER, Built, RecordingMocks, build

STACKS = Path(__file__).resolve().parents[3] / "stacks"
PAGES = "cloudflare:index/pagesProject:PagesProject"
PAGES_DOMAIN = "cloudflare:index/pagesDomain:PagesDomain"
BUCKET = "aws:s3/bucket:Bucket"
ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"
OAC = "aws:cloudfront/originAccessControl:OriginAccessControl"
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
CERTIFICATE = "aws:acm/certificate:Certificate"
VALIDATION = "aws:acm/certificateValidation:CertificateValidation"
VERCEL = "vercel:index/project:Project"
VERCEL_DOMAIN = "vercel:index/projectDomain:ProjectDomain"
COMPONENT = "paas:components:StaticSite"
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
DIST_ARN = "arn:aws:cloudfront::123456789012:distribution/EDFDVBD6EXAMPLE"


@dataclass
class Fake:
    """A linkable stand-in: ``env()`` answers the given values."""

    values: dict[str, Any]
    secret: bool = False
    _name: str = "fake"

    def env(self) -> dict[str, pulumi.Output[str]]:
        wrap = pulumi.Output.secret if self.secret else pulumi.Output.from_input
        return {key: wrap(value) for key, value in self.values.items()}


API = Fake({"URL": "https://mvp-api.fly.dev"}, _name="api")


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(rpc._special_sig_key) == rpc._special_secret_sig


def plain(value: Any) -> Any:
    """``value`` with every secret wrapper removed, at any depth."""
    value = value["value"] if is_secret(value) else value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def has_secret(value: Any) -> bool:
    if is_secret(value):
        return True
    if isinstance(value, dict):
        return any(has_secret(v) for v in value.values())
    return isinstance(value, list) and any(has_secret(v) for v in value)


def aws_mocks() -> RecordingMocks:
    """What AWS reports for the outputs the component reads."""
    return RecordingMocks(
        extra_outputs={
            BUCKET: lambda name, inputs: {
                "bucket": f"{inputs['bucketPrefix']}20250101",
                "arn": f"arn:aws:s3:::{inputs['bucketPrefix']}20250101",
                "bucketRegionalDomainName": "mvp-web-20250101.s3.us-east-1.amazonaws.com",
            },
            DISTRIBUTION: lambda name, inputs: {
                "arn": DIST_ARN,
                "domainName": "d111111abcdef8.cloudfront.net",
            },
            CERTIFICATE: lambda name, inputs: {
                "arn": "arn:aws:acm:us-east-1:123456789012:certificate/new",
                "domainValidationOptions": [
                    {
                        "domainName": inputs["domainName"],
                        "resourceRecordName": f"_abc.{inputs['domainName']}.",
                        "resourceRecordType": "CNAME",
                        "resourceRecordValue": "_xyz.acm-validations.aws.",
                    }
                ],
            },
            VALIDATION: lambda name, inputs: {"certificateArn": inputs["certificateArn"]},
        }
    )


HOSTS: dict[str, Any] = {
    "cloudflare_pages": CloudflarePages,
    "vercel": Vercel,
    "render_static": RenderStatic,
    "s3_cloudfront": S3CloudFront,
}


def site_args(kind: str, **overrides: Any) -> StaticSiteArgs:
    """The mvp site on host ``kind``; an override that is one of the host's own fields (``plan``,
    ``aliases``...) goes to the host, the others to the site."""
    host = HOSTS[kind]
    own = {field.name for field in dataclasses.fields(host)}
    host_fields: dict[str, Any] = {"account_id": "acct-123"} if kind == "cloudflare_pages" else {}
    host_fields.update({k: v for k, v in overrides.items() if k in own})
    fields: dict[str, Any] = {
        "name": "mvp-web",
        "build_command": "npm run build",
        "output_dir": "dist/public",
        "repo": None if kind == "s3_cloudfront" else "https://github.com/acme/mvp",
        "links": [Link(API, rename={"URL": "VITE_API_BASE_URL"})],
        "env": {"VITE_SENTRY_ENV": "production"},
    }
    fields.update({k: v for k, v in overrides.items() if k not in own})
    return StaticSiteArgs(provider=host(**host_fields), **fields)


def compiled(environment: EnvironmentSpec, name: str, links: list[Link]) -> StaticSite:
    """The ``static_sites.<name>`` entry, compiled as the stack loader does, and built."""
    entry = Entry("static_sites", name, environment.static_sites[name])
    made = compile_entry(entry, environment, links, secret=lambda key: f"<{key}>")
    site: StaticSite = made.component(name, made.args)
    return site


def run(
    args: StaticSiteArgs,
    *,
    hostname: str | None = None,
    config: dict[str, str] | None = None,
    mocks: RecordingMocks | None = None,
) -> Built:
    """Build the site (and a Domain on ``hostname``, DNS left to the user) and resolve its
    outputs, ``env()`` and the DNS target it answers."""

    def program() -> dict[str, Any]:
        site = StaticSite("web", args)
        made: dict[str, Any] = {}
        if hostname is not None:
            domain = Domain("web-domain", DomainArgs(hostname=hostname, target=site, dns="none"))
            made["record"] = {"type": domain.record_type, "content": domain.record_content}
            made["steps"] = domain.manual_steps
        return {
            **made,
            "url": site.url,
            "host": site.host,
            "env": dict(site.env()),
            "build_env": site.build_env,
            "build_env_secret": site.build_env.is_secret(),
            "bucket": site.bucket_name,
            "distribution": site.distribution_id,
            "validation": site.certificate_validation_records,
        }

    return build(program, config=config, mocks=mocks or RecordingMocks())


# -- Cloudflare Pages ------------------------------------------------------------------------


def test_pages_project_builds_the_repository_with_its_command_and_output_dir() -> None:
    built = run(site_args("cloudflare_pages", root_dir="frontend", branch="release"))

    assert built.mocks.types() == sorted([COMPONENT, PAGES])
    project = built.mocks.one(PAGES, "web-pages").inputs
    assert project["name"] == "mvp-web"
    assert project["accountId"] == "acct-123"
    assert project["productionBranch"] == "release"
    assert project["buildConfig"] == {
        "buildCommand": "npm run build",
        "destinationDir": "dist/public",
        "rootDir": "frontend",
    }
    assert project["source"]["type"] == "github"
    config = project["source"]["config"]
    assert (config["owner"], config["repoName"]) == ("acme", "mvp")
    assert config["productionBranch"] == "release"


def test_pages_gets_the_linked_api_url_renamed_for_production_and_preview_builds() -> None:
    built = run(site_args("cloudflare_pages"))

    configs = built.mocks.one(PAGES).inputs["deploymentConfigs"]
    expected = {
        "VITE_API_BASE_URL": {"type": "plain_text", "value": "https://mvp-api.fly.dev"},
        "VITE_SENTRY_ENV": {"type": "plain_text", "value": "production"},
    }
    assert configs["production"]["envVars"] == expected
    assert configs["preview"]["envVars"] == expected


def test_pages_keeps_secret_linked_values_secret_in_state() -> None:
    firebase = Fake({"VITE_FIREBASE_API_KEY": "AIza-123"}, secret=True)
    built = run(site_args("cloudflare_pages", links=[firebase]))

    configs = built.mocks.one(PAGES).inputs["deploymentConfigs"]
    assert has_secret(configs)
    assert plain(configs)["production"]["envVars"]["VITE_FIREBASE_API_KEY"]["value"] == "AIza-123"
    assert built.value["build_env_secret"] is True


def test_pages_sets_node_version_through_the_variable_its_build_image_reads() -> None:
    built = run(site_args("cloudflare_pages", node_version="20"))

    env_vars = built.mocks.one(PAGES).inputs["deploymentConfigs"]["production"]["envVars"]
    assert env_vars["NODE_VERSION"] == {"type": "plain_text", "value": "20"}


def test_pages_without_a_repository_is_a_direct_upload_project() -> None:
    built = run(site_args("cloudflare_pages", repo=None))

    assert "source" not in built.mocks.one(PAGES).inputs


def test_pages_url_is_the_projects_pages_dev_host() -> None:
    built = run(site_args("cloudflare_pages"))

    assert built.value["url"] == "https://mvp-web.pages.dev"
    assert built.value["env"] == {"URL": "https://mvp-web.pages.dev"}


def test_pages_url_follows_the_subdomain_cloudflare_assigned() -> None:
    mocks = RecordingMocks(
        extra_outputs={PAGES: lambda n, i: {"subdomain": "mvp-web-4xk.pages.dev"}}
    )
    built = run(site_args("cloudflare_pages"), mocks=mocks)

    assert built.value["url"] == "https://mvp-web-4xk.pages.dev"


@pytest.mark.parametrize(
    ("key", "value"),
    [("paas-stacks:cloudflareAccountId", "acct-cfg"), ("cloudflare:accountId", "acct-cfg")],
)
def test_pages_reads_the_account_id_from_stack_config(key: str, value: str) -> None:
    built = run(site_args("cloudflare_pages", account_id=None), config={key: value})

    assert plain(built.mocks.one(PAGES).inputs["accountId"]) == "acct-cfg"


def test_pages_without_an_account_id_names_where_to_set_it_before_any_resource() -> None:
    mocks = RecordingMocks()
    with pytest.raises(ArgsError) as caught:
        run(site_args("cloudflare_pages", account_id=None), mocks=mocks)
    assert str(caught.value).startswith(
        "StaticSite 'web': provider.account_id: cloudflare_pages needs the Cloudflare account "
        "id: pass account_id, or run `pulumi config set --secret cloudflareAccountId <id>`"
    )
    assert mocks.resources == []


def test_pages_custom_domain_is_a_pages_domain_and_a_cname_to_pages_dev() -> None:
    built = run(site_args("cloudflare_pages"), hostname="www.example.com")

    domain = built.mocks.one(PAGES_DOMAIN, "web-domain-pages-domain").inputs
    assert domain == {"accountId": "acct-123", "projectName": "mvp-web", "name": "www.example.com"}
    assert built.value["record"] == {"type": "CNAME", "content": "mvp-web.pages.dev"}


# -- S3 + CloudFront -------------------------------------------------------------------------


def test_s3_cloudfront_declares_a_private_bucket_behind_one_distribution() -> None:
    built = run(site_args("s3_cloudfront"), mocks=aws_mocks())

    assert built.mocks.types() == sorted(
        [COMPONENT, BUCKET, ACCESS_BLOCK, OWNERSHIP, POLICY, OAC, DISTRIBUTION]
    )
    block = built.mocks.one(ACCESS_BLOCK, "web-public-access-block").inputs
    assert block["bucket"] == "web-bucket-id"
    flags = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    assert all(block[flag] is True for flag in flags)
    ownership = built.mocks.one(OWNERSHIP, "web-ownership").inputs
    assert ownership["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    bucket = built.mocks.one(BUCKET, "web-bucket").inputs
    assert bucket["bucketPrefix"] == "mvp-web-"
    assert "acl" not in bucket
    assert "website" not in bucket


def test_s3_cloudfront_reads_the_bucket_through_an_origin_access_control() -> None:
    built = run(site_args("s3_cloudfront"), mocks=aws_mocks())

    oac = built.mocks.one(OAC, "web-oac").inputs
    assert oac["originAccessControlOriginType"] == "s3"
    assert (oac["signingBehavior"], oac["signingProtocol"]) == ("always", "sigv4")
    origins = built.mocks.one(DISTRIBUTION, "web-cdn").inputs["origins"]
    assert origins == [
        {
            "originId": "s3",
            "domainName": "mvp-web-20250101.s3.us-east-1.amazonaws.com",
            "originAccessControlId": "web-oac-id",
        }
    ]


def test_s3_cloudfront_bucket_policy_allows_only_that_distribution_to_read() -> None:
    built = run(site_args("s3_cloudfront"), mocks=aws_mocks())

    policy = built.mocks.one(POLICY, "web-bucket-policy").inputs
    assert policy["bucket"] == "web-bucket-id"
    (statement,) = json.loads(policy["policy"])["Statement"]
    assert statement["Effect"] == "Allow"
    assert statement["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert statement["Action"] == "s3:GetObject"
    assert statement["Resource"] == "arn:aws:s3:::mvp-web-20250101/*"
    assert statement["Condition"] == {"StringEquals": {"AWS:SourceArn": DIST_ARN}}


def test_s3_cloudfront_serves_https_only_with_an_spa_fallback_to_index_html() -> None:
    built = run(site_args("s3_cloudfront"), mocks=aws_mocks())

    cdn = built.mocks.one(DISTRIBUTION, "web-cdn").inputs
    behavior = cdn["defaultCacheBehavior"]
    assert behavior["viewerProtocolPolicy"] == "redirect-to-https"
    assert behavior["cachePolicyId"] == CACHING_OPTIMIZED
    assert behavior["targetOriginId"] == "s3"
    assert cdn["defaultRootObject"] == "index.html"
    fallbacks = {
        int(r["errorCode"]): (int(r["responseCode"]), r["responsePagePath"])
        for r in cdn["customErrorResponses"]
    }
    assert fallbacks == {403: (200, "/index.html"), 404: (200, "/index.html")}
    assert cdn["viewerCertificate"] == {"cloudfrontDefaultCertificate": True}
    assert "aliases" not in cdn


def test_s3_cloudfront_exports_what_ci_uploads_to_and_the_distribution_url() -> None:
    built = run(site_args("s3_cloudfront"), mocks=aws_mocks())

    assert built.value["url"] == "https://d111111abcdef8.cloudfront.net"
    assert built.value["env"] == {"URL": "https://d111111abcdef8.cloudfront.net"}
    assert built.value["bucket"] == "mvp-web-20250101"
    assert built.value["distribution"] == "web-cdn-id"
    # CI builds the bundle itself, so it needs the variables the vendors get elsewhere.
    assert built.value["build_env"] == {
        "VITE_API_BASE_URL": "https://mvp-api.fly.dev",
        "VITE_SENTRY_ENV": "production",
    }
    assert built.value["build_env_secret"] is True


def test_s3_cloudfront_protects_the_production_bucket_and_empties_preview_ones() -> None:
    def program(protect: bool) -> Any:
        return StaticSite("web", site_args("s3_cloudfront", protect=protect))

    kept = build(lambda: program(True), mocks=aws_mocks())
    dropped = build(lambda: program(False), mocks=aws_mocks())

    assert kept.mocks.one(BUCKET).inputs["forceDestroy"] is False
    assert dropped.mocks.one(BUCKET).inputs["forceDestroy"] is True


def test_s3_cloudfront_bucket_carries_protect_from_the_args() -> None:
    seen: dict[str, Any] = {}

    def program() -> None:
        site = StaticSite("web", site_args("s3_cloudfront", protect=True))
        backend: Any = site._backend
        seen["bucket"] = backend.bucket._protect
        seen["distribution"] = backend.distribution._protect

    build(program, mocks=aws_mocks())
    assert seen["bucket"] is True
    assert not seen["distribution"]


def test_s3_cloudfront_aliases_get_a_us_east_1_certificate_validated_by_dns() -> None:
    built = run(
        site_args("s3_cloudfront", aliases=["www.example.com", "example.com"]), mocks=aws_mocks()
    )

    certificate = built.mocks.one(CERTIFICATE, "web-certificate").inputs
    assert certificate["region"] == "us-east-1"
    assert certificate["validationMethod"] == "DNS"
    assert certificate["domainName"] == "www.example.com"
    assert certificate["subjectAlternativeNames"] == ["example.com"]
    validation = built.mocks.one(VALIDATION, "web-certificate-validation").inputs
    assert validation["region"] == "us-east-1"
    cdn = built.mocks.one(DISTRIBUTION).inputs
    assert cdn["aliases"] == ["www.example.com", "example.com"]
    assert cdn["viewerCertificate"] == {
        "acmCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/new",
        "sslSupportMethod": "sni-only",
        "minimumProtocolVersion": "TLSv1.2_2021",
    }
    assert built.value["validation"] == [
        {"name": "_abc.www.example.com.", "type": "CNAME", "value": "_xyz.acm-validations.aws."}
    ]


def test_s3_cloudfront_uses_a_given_certificate_instead_of_requesting_one() -> None:
    arn = "arn:aws:acm:us-east-1:123456789012:certificate/mine"
    built = run(
        site_args("s3_cloudfront", aliases=["www.example.com"], certificate_arn=arn),
        mocks=aws_mocks(),
    )

    assert built.mocks.of_type(CERTIFICATE) == []
    assert built.mocks.one(DISTRIBUTION).inputs["viewerCertificate"]["acmCertificateArn"] == arn
    assert built.value["validation"] is None


def test_s3_cloudfront_custom_domain_is_a_cname_to_the_distribution() -> None:
    built = run(
        site_args("s3_cloudfront", aliases=["www.example.com"]),
        hostname="www.example.com",
        mocks=aws_mocks(),
    )

    assert built.value["record"] == {"type": "CNAME", "content": "d111111abcdef8.cloudfront.net"}
    assert any("ACM validation records" in step for step in built.value["steps"])


def test_s3_cloudfront_refuses_a_domain_that_is_not_one_of_its_aliases() -> None:
    with pytest.raises(ValueError, match=r"www\.example\.com.*S3CloudFront\(aliases=\.\.\.\)"):
        run(site_args("s3_cloudfront"), hostname="www.example.com", mocks=aws_mocks())


# -- Render static site -----------------------------------------------------------------------


def test_render_static_site_publishes_the_output_dir_built_from_the_repository() -> None:
    built = run(site_args("render_static", root_dir="web", branch="prod", node_version="20.11.0"))

    assert built.mocks.types() == sorted([COMPONENT, OWNER, "pulumi-python:dynamic/render:Service"])
    service = built.mocks.one("render:Service", "web-static").inputs
    assert service["name"] == "mvp-web"
    assert service["type"] == "static"
    assert service["publish_path"] == "dist/public"
    assert service["build_command"] == "npm run build"
    assert service["repo"] == "https://github.com/acme/mvp"
    assert (service["branch"], service["root_dir"]) == ("prod", "web")
    assert plain(service["env_vars"]) == {
        "VITE_API_BASE_URL": "https://mvp-api.fly.dev",
        "VITE_SENTRY_ENV": "production",
        "NODE_VERSION": "20.11.0",
    }
    assert service.get("plan") is None
    assert service.get("region") is None


def test_render_static_url_is_the_services_onrender_url() -> None:
    built = run(site_args("render_static"))

    assert built.value["url"] == "https://mvp-web.onrender.com"
    assert built.value["env"] == {"URL": "https://mvp-web.onrender.com"}


def test_render_static_custom_domain_is_a_render_domain_and_a_cname_to_onrender() -> None:
    built = run(site_args("render_static"), hostname="www.example.com")

    domain = built.mocks.one("render:CustomDomain", "web-domain-custom-domain").inputs
    assert {k: v for k, v in domain.items() if not k.startswith("__")} == {
        "service_id": "web-static-id",
        "name": "www.example.com",
        "owner": f"organization/paas-stacks/test#{MARKER_TAG}",
    }
    assert built.value["record"] == {"type": "CNAME", "content": "mvp-web.onrender.com"}


# -- Vercel -----------------------------------------------------------------------------------


def test_vercel_project_builds_the_repository_with_the_framework_preset() -> None:
    built = run(
        site_args(
            "vercel",
            name="mais-staging-web",
            framework="nextjs",
            output_dir="apps/web/.next",
            node_version="18.x",
            root_dir="apps/web",
            repo="https://github.com/your-org/mais.git",
            plan="hobby",
        )
    )

    assert built.mocks.types() == sorted([COMPONENT, VERCEL])
    project = built.mocks.one(VERCEL, "web-project").inputs
    assert project["name"] == "mais-staging-web"
    assert project["framework"] == "nextjs"
    assert project["buildCommand"] == "npm run build"
    assert project["outputDirectory"] == "apps/web/.next"
    assert project["rootDirectory"] == "apps/web"
    assert project["nodeVersion"] == "18.x"
    assert project["gitRepository"] == {
        "type": "github",
        "repo": "your-org/mais",
        "productionBranch": "main",
    }


def test_vercel_variables_target_production_and_preview() -> None:
    built = run(site_args("vercel", links=[Link(API, rename={"URL": "NEXT_PUBLIC_API_URL"})]))

    environments = built.mocks.one(VERCEL).inputs["environments"]
    assert [(e["key"], e["value"]) for e in environments] == [
        ("NEXT_PUBLIC_API_URL", "https://mvp-api.fly.dev"),
        ("VITE_SENTRY_ENV", "production"),
    ]
    assert all(e["targets"] == ["production", "preview"] for e in environments)
    # Vercel reads the Node.js version from the project setting, not from a variable.
    assert "NODE_VERSION" not in [e["key"] for e in environments]


@pytest.mark.parametrize(("given", "sent"), [("18", "18.x"), ("20.11.1", "20.x"), ("22.x", "22.x")])
def test_vercel_node_version_is_sent_as_a_major_version(given: str, sent: str) -> None:
    built = run(site_args("vercel", node_version=given))

    assert built.mocks.one(VERCEL).inputs["nodeVersion"] == sent


def test_vercel_url_is_the_projects_vercel_app_host() -> None:
    built = run(site_args("vercel"))

    assert built.value["url"] == "https://mvp-web.vercel.app"
    assert built.value["env"] == {"URL": "https://mvp-web.vercel.app"}


def test_vercel_custom_domain_is_a_project_domain_and_a_cname_to_vercel_dns() -> None:
    built = run(site_args("vercel", team_id="team_1"), hostname="app.example.com")

    domain = built.mocks.one(VERCEL_DOMAIN, "web-domain-vercel-domain").inputs
    assert domain == {
        "projectId": "web-project-id",
        "domain": "app.example.com",
        "teamId": "team_1",
    }
    assert built.value["record"] == {"type": "CNAME", "content": "cname.vercel-dns.com"}


# -- every provider ---------------------------------------------------------------------------

KINDS = ["cloudflare_pages", "s3_cloudfront", "render_static", "vercel"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_link_to_a_site_provides_exactly_what_provides_promises(kind: str) -> None:
    args = site_args(kind)
    built = run(args, mocks=aws_mocks())

    assert tuple(built.value["env"]) == StaticSite.provides(args) == ("URL",)
    assert built.value["env"]["URL"] == built.value["url"]
    assert built.value["url"].startswith("https://")


@pytest.mark.parametrize("kind", KINDS)
def test_vendor_resources_are_children_named_after_the_component(kind: str) -> None:
    extra = {"aliases": ["www.example.com"]} if kind == "s3_cloudfront" else {}

    def program() -> dict[str, Any]:
        backend: Any = StaticSite("web", site_args(kind, **extra))._backend
        children: list[pulumi.Resource] = [
            getattr(backend, attribute)
            for attribute in ("project", "service", "bucket", "distribution", "certificate")
            if getattr(backend, attribute, None) is not None
        ]
        return {"urns": [child.urn for child in children]}

    built = build(program, mocks=aws_mocks())
    names = [r.name for r in built.mocks.resources if r.type not in (COMPONENT, OWNER)]
    assert names
    assert all(name.startswith("web-") for name in names)
    assert built.value["urns"]
    assert all("::paas:components:StaticSite$" in urn for urn in built.value["urns"])


def test_the_domain_hook_answers_the_domain_modules_dns_target() -> None:
    answers: list[Any] = []

    def program() -> None:
        site = StaticSite("web", site_args("vercel"))
        answers.append(site.attach_domain("app.example.com", site))

    build(program)
    assert isinstance(answers[0], DnsTarget)
    assert answers[0].type == "CNAME"


def test_each_host_gets_its_default_plan_and_keeps_it_for_cost_checks() -> None:
    plans: list[str | None] = []

    def program() -> None:
        for kind in KINDS:
            plans.append(StaticSite(f"web-{kind[:3]}", site_args(kind)).plan)
        plans.append(StaticSite("pro", site_args("vercel", plan="pro")).plan)

    build(program, mocks=aws_mocks())
    assert plans == ["free", None, "free", "hobby", "pro"]


def test_a_site_without_variables_hands_ci_an_empty_build_env() -> None:
    built = run(site_args("s3_cloudfront", env={}, links=[]), mocks=aws_mocks())

    assert built.value["build_env"] == {}


# -- refused args -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "overrides", "line"),
    [
        ("vercel", {"plan": "free"}, "provider.plan: 'free' is not allowed; allowed: hobby, pro"),
        ("cloudflare_pages", {"plan": "pro"}, "provider.plan: 'pro' is not allowed; allowed: free"),
        (
            "render_static",
            {"repo": None},
            "repo: a Render static site is built from a repository; give its URL",
        ),
        (
            "cloudflare_pages",
            {"repo": "https://bitbucket.org/a/b"},
            "repo: cloudflare_pages builds from github, gitlab only, not 'bitbucket.org'",
        ),
        ("vercel", {"repo": "git@github.com:a/b"}, "repo: 'git@github.com:a/b' is not an https://"),
        (
            "vercel",
            {"repo": "https://github.com/acme"},
            "repo: 'https://github.com/acme' is not https://<host>/<owner>/<name>",
        ),
        ("vercel", {"name": "Mvp_Web"}, "name: 'Mvp_Web' is not a lower-case slug"),
        (
            "s3_cloudfront",
            {"certificate_arn": "arn:x"},
            "provider.certificate_arn: given without aliases to serve",
        ),
        (
            "s3_cloudfront",
            {"price_class": "PriceClass_50"},
            "provider.price_class: 'PriceClass_50' is not allowed; allowed: PriceClass_100, "
            "PriceClass_200, PriceClass_All",
        ),
        (
            "s3_cloudfront",
            {"aliases": ["WWW.example.com"]},
            "provider.aliases[0]: 'WWW.example.com' is not a lowercase hostname",
        ),
        ("vercel", {"env": {"BAD-NAME": "x"}}, "env.BAD-NAME: 'BAD-NAME' is not an env var name"),
        ("vercel", {"node_version": "twenty"}, "node_version: 'twenty' is not"),
        (
            "render_static",
            {"node_version": "20", "env": {"NODE_VERSION": "18"}},
            "node_version: node_version and env NODE_VERSION both set the Node.js version; "
            "keep one",
        ),
        (
            "vercel",
            {"links": [Fake({"VITE_SENTRY_ENV": "x"})]},
            "links[0]: injects VITE_SENTRY_ENV, which env.VITE_SENTRY_ENV also sets",
        ),
    ],
)
def test_bad_args_are_one_line_each_before_any_resource(
    kind: str, overrides: dict[str, Any], line: str
) -> None:
    mocks = RecordingMocks()
    with pytest.raises(ArgsError) as caught:
        build(lambda: StaticSite("web", site_args(kind, **overrides)), mocks=mocks)
    [only] = str(caught.value).splitlines()
    assert only.startswith(f"StaticSite 'web': {line}"), only
    assert mocks.resources == []


def test_a_host_given_by_its_old_name_is_refused_naming_the_classes() -> None:
    args = dataclasses.replace(site_args("vercel"), provider="vercel")  # type: ignore[arg-type]
    with pytest.raises(ArgsError) as caught:
        build(lambda: StaticSite("web", args))
    assert str(caught.value) == (
        "StaticSite 'web': provider: must be CloudflarePages(...), Vercel(...), RenderStatic(...) "
        "or S3CloudFront(...); got 'vercel'"
    )


def test_every_problem_of_a_site_comes_back_at_once() -> None:
    args = site_args(
        "cloudflare_pages",
        name="Web",
        repo="https://bitbucket.org/a/b",
        env={"bad": "x"},
        links=[Fake({"bad": "y"})],
    )
    with pytest.raises(ArgsError) as caught:
        build(lambda: StaticSite("web", args))
    assert [problem.path() for problem in caught.value.problems] == [
        "env.bad",
        "name",
        "repo",
        "links[0]",
    ]


def test_node_version_is_no_variable_for_hosts_that_read_a_setting() -> None:
    built = run(site_args("vercel", node_version="20", env={"NODE_VERSION": "18"}))

    environments = built.mocks.one(VERCEL).inputs["environments"]
    assert ("NODE_VERSION", "18") in [(e["key"], e["value"]) for e in environments]
    assert built.mocks.one(VERCEL).inputs["nodeVersion"] == "20.x"


# -- from a stack file ------------------------------------------------------------------------


def test_the_mvp_pages_site_compiles_with_its_vite_variables() -> None:
    spec = load_stack("mvp", STACKS, check_secrets=False)
    firebase = Fake({"VITE_FIREBASE_APP_ID": "1:2:web:3"}, secret=True, _name="frontend")
    links = [Link(API, rename={"URL": "VITE_API_BASE_URL"}), Link(firebase)]

    built = build(
        lambda: {"url": compiled(spec, "web", links).url},
        config={"paas-stacks:cloudflareAccountId": "acct-9"},
    )

    project = built.mocks.one(PAGES, "web-pages").inputs
    assert project["name"] == "mvp-web"
    assert project["buildConfig"] == {
        "buildCommand": "npm run build",
        "destinationDir": "dist/public",
    }
    env_vars = plain(project["deploymentConfigs"])["production"]["envVars"]
    assert set(env_vars) == {"VITE_API_BASE_URL", "VITE_FIREBASE_APP_ID"}
    assert built.value["url"] == "https://mvp-web.pages.dev"


def test_the_mais_vercel_site_compiles_with_its_plan_framework_and_node_version() -> None:
    spec = load_stack("mais-staging", STACKS, check_secrets=False)
    links = [Link(API, rename={"URL": "NEXT_PUBLIC_API_URL"})]

    built = build(lambda: compiled(spec, "web", links))

    project = built.mocks.one(VERCEL, "web-project").inputs
    assert project["name"] == f"{spec.name}-web"
    assert (project["framework"], project["nodeVersion"]) == ("nextjs", "18.x")
    assert project["outputDirectory"] == "apps/web/.next"
    assert [e["key"] for e in project["environments"]] == ["NEXT_PUBLIC_API_URL"]


def shop(site: dict[str, Any], **sections: Any) -> EnvironmentSpec:
    return EnvironmentSpec.model_validate(
        {
            "name": "shop",
            "static_sites": {
                "web": {"build_command": "npm run build", "output_dir": "dist", **site}
            },
            **sections,
        }
    )


def test_an_s3_cloudfront_site_gets_the_hostnames_its_domains_name() -> None:
    domains = {
        "www": {"hostname": "www.shop.example", "target": "web"},
        "apex": {"hostname": "shop.example", "target": "web"},
    }
    spec = shop({"provider": "s3_cloudfront"}, production=True, domains=domains)
    seen: dict[str, Any] = {}

    def program() -> None:
        seen["protect"] = compiled(spec, "web", [])._backend.bucket._protect  # type: ignore[attr-defined]

    built = build(program, mocks=aws_mocks())
    assert built.mocks.one(DISTRIBUTION).inputs["aliases"] == ["www.shop.example", "shop.example"]
    assert built.mocks.one(BUCKET).inputs["bucketPrefix"] == "shop-web-"
    assert seen["protect"] is True


@pytest.mark.parametrize(
    ("kind", "plan"),
    [("cloudflare_pages", "free"), ("render_static", "free"), ("vercel", "hobby")],
)
def test_a_stack_file_without_a_plan_gets_the_python_default(kind: str, plan: str) -> None:
    spec = shop({"provider": kind, "repo": "https://github.com/acme/shop"})
    args = compile_entry(Entry("static_sites", "web", spec.static_sites["web"]), spec).args

    assert args.provider == HOSTS[kind]()
    assert args.provider.plan == plan
    assert (args.branch, args.protect) == ("main", False)


def spec_lines(site: dict[str, Any]) -> list[str]:
    environment = {
        "static_sites": {"web": {"build_command": "b", "output_dir": "dist", **site}},
    }
    with pytest.raises(SpecError) as caught:
        build_spec("shop", environment, STACKS)
    return list(caught.value.lines)


def test_a_stack_file_gets_the_same_words_as_python_for_a_plan_its_host_does_not_sell() -> None:
    [line] = spec_lines({"provider": "cloudflare_pages", "plan": "pro"})
    with pytest.raises(ArgsError) as caught:
        build(lambda: StaticSite("web", site_args("cloudflare_pages", plan="pro")))

    message = "'pro' is not allowed; allowed: free"
    assert line == f"stacks/Pulumi.shop.yaml: environment.static_sites.web.plan: {message}"
    assert str(caught.value) == f"StaticSite 'web': provider.plan: {message}"


@pytest.mark.parametrize(
    ("site", "line"),
    [
        (
            {"provider": "s3_cloudfront", "plan": "free"},
            "plan: is only used with provider 'cloudflare_pages', 'render_static' or 'vercel'",
        ),
        (
            {"provider": "cloudflare_pages", "framework": "vite"},
            "framework: is only used with provider 'vercel'",
        ),
        (
            {"provider": "render_static"},
            "repo: a Render static site is built from a repository; give its URL",
        ),
    ],
)
def test_a_stack_file_key_the_host_does_not_take_is_refused_not_dropped(
    site: dict[str, Any], line: str
) -> None:
    assert spec_lines(site) == [f"stacks/Pulumi.shop.yaml: environment.static_sites.web.{line}"]


# -- releases: a pinned commit, a preview's branch -----------------------------------------------

VERCEL_DEPLOYMENT = "vercel:index/deployment:Deployment"
PINNED = "3f2a9c1" + "0" * 33


def test_vercel_deploys_a_pinned_commit_as_the_projects_production_deployment() -> None:
    built = run(site_args("vercel", commit=PINNED, branch="feature/checkout"))

    assert built.mocks.types() == sorted([COMPONENT, VERCEL, VERCEL_DEPLOYMENT])
    project = built.mocks.one(VERCEL, "web-project").inputs
    assert project["gitRepository"]["productionBranch"] == "feature/checkout"
    deployment = built.mocks.one(VERCEL_DEPLOYMENT, "web-deployment").inputs
    assert (deployment["ref"], deployment["production"]) == (PINNED, True)
    assert deployment["projectId"] == "web-project-id"  # the mocks give ids as <name>-id


def test_an_unpinned_vercel_site_has_no_deployment_of_its_own() -> None:
    built = run(site_args("vercel"))
    assert VERCEL_DEPLOYMENT not in built.mocks.types()


def test_a_previews_static_sites_build_the_pull_requests_branch(tmp_path: Path) -> None:
    """The release a preview pins (its head ref and SHA) reaches each host as far as its
    bridged provider allows: Vercel deploys the commit, Pages builds the branch's head."""
    stacks = tmp_path / "stacks"
    stacks.mkdir()
    site = {"repo": "https://github.com/acme/mvp", "build_command": "b", "output_dir": "dist"}
    environment = {
        "repository": "https://github.com/acme/mvp",
        "static_sites": {
            "web": {"provider": "vercel", **site},
            "docs": {"provider": "cloudflare_pages", **site},
        },
    }
    release = {"commit": PINNED, "branch": "feature/checkout"}
    document = {"paas-stacks:environment": environment, "paas-stacks:release": release}
    (stacks / "Pulumi.pr-4.yaml").write_text(yaml.safe_dump({"config": document}))
    spec = load_stack("pr-4", stacks)

    def program() -> None:
        compiled(spec, "web", [])
        compiled(spec, "docs", [])

    built = build(program, config={"paas-stacks:cloudflareAccountId": "acct-123"})
    vercel_site = built.mocks.one(VERCEL, "web-project").inputs
    assert vercel_site["gitRepository"]["productionBranch"] == "feature/checkout"
    assert built.mocks.one(VERCEL_DEPLOYMENT, "web-deployment").inputs["ref"] == PINNED
    pages = built.mocks.one(PAGES, "docs-pages").inputs
    assert pages["productionBranch"] == "feature/checkout"
    assert pages["source"]["config"]["productionBranch"] == "feature/checkout"
