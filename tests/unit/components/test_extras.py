"""The bridged SDKs are optional extras: importing the components loads none of them, a component
loads only the one it uses, and a missing one is ONE line naming the extra, before any resource
is registered."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest

from paas_stacks.components._extras import EXTRAS
from paas_stacks.components.domain import DnsTarget, Domain, DomainArgs
from paas_stacks.components.object_store import S3, ObjectStore, ObjectStoreArgs, S3Compatible
from paas_stacks.components.static_site import (
    CloudflarePages,
    RenderStatic,
    S3CloudFront,
    StaticSite,
    StaticSiteArgs,
    Vercel,
)
from paas_stacks.errors import ConfigurationError, MissingExtraError
from tests.mocks import RecordingMocks, build

REPO = Path(__file__).resolve().parents[3]


def hide(monkeypatch: pytest.MonkeyPatch, *sdks: str) -> None:
    """Make ``sdks`` look uninstalled (``import`` raises ``ModuleNotFoundError``)."""
    for sdk in sdks:
        monkeypatch.setitem(sys.modules, sdk, None)


def site(provider: Any) -> Callable[[], object]:
    args = StaticSiteArgs(
        name="web", provider=provider, build_command="b", output_dir="dist", repo=REPO_URL
    )
    return lambda: StaticSite("web", args)


REPO_URL = "https://github.com/acme/web"


class Target:
    def attach_domain(self, hostname: str, parent: pulumi.Resource) -> DnsTarget:
        return DnsTarget(type="CNAME", content="example.onrender.com")


@pytest.mark.parametrize(
    ("sdk", "program", "line"),
    [
        (
            "pulumi_cloudflare",
            site(CloudflarePages(account_id="acct")),
            "StaticSite 'web': provider cloudflare_pages needs the Cloudflare SDK: "
            'pip install "paas-stacks[cloudflare]"',
        ),
        (
            "pulumiverse_vercel",
            site(Vercel()),
            "StaticSite 'web': provider vercel needs the Vercel SDK: "
            'pip install "paas-stacks[vercel]"',
        ),
        (
            "pulumi_aws",
            site(S3CloudFront()),
            "StaticSite 'web': provider s3_cloudfront needs the AWS SDK: "
            'pip install "paas-stacks[aws]"',
        ),
        (
            "pulumi_aws",
            lambda: ObjectStore("files", ObjectStoreArgs(bucket="b", provider=S3())),
            "ObjectStore 'files': provider s3 needs the AWS SDK: pip install \"paas-stacks[aws]\"",
        ),
        (
            "pulumi_aws",
            lambda: ObjectStore(
                "files",
                ObjectStoreArgs(
                    bucket="b",
                    provider=S3Compatible(endpoint="https://e", access_key="a", secret_key="s"),
                ),
            ),
            "ObjectStore 'files': provider s3_compatible needs the AWS SDK: "
            'pip install "paas-stacks[aws]"',
        ),
        (
            "pulumi_cloudflare",
            lambda: Domain("www", DomainArgs(hostname="www.example.com", target=Target())),
            "Domain 'www': dns 'cloudflare' needs the Cloudflare SDK: "
            'pip install "paas-stacks[cloudflare]"',
        ),
    ],
)
def test_a_missing_sdk_is_one_line_naming_the_extra_before_any_resource(
    monkeypatch: pytest.MonkeyPatch, sdk: str, program: Callable[[], object], line: str
) -> None:
    hide(monkeypatch, sdk)
    mocks = RecordingMocks()
    with pytest.raises(MissingExtraError) as caught:
        build(program, mocks=mocks)
    assert str(caught.value) == line
    assert isinstance(caught.value, ConfigurationError)
    assert caught.value.__cause__ is None
    assert mocks.resources == []


def test_what_needs_no_bridged_sdk_builds_without_any(monkeypatch: pytest.MonkeyPatch) -> None:
    hide(monkeypatch, *EXTRAS)

    def program() -> None:
        site(RenderStatic())()
        Domain("www", DomainArgs(hostname="www.example.com", target=Target(), dns="none"))

    built = build(program)
    assert "paas:components:Domain" in built.mocks.types()


def test_importing_the_components_imports_no_bridged_sdk() -> None:
    code = (
        "import sys\n"
        "import paas_stacks.components.static_site, paas_stacks.components.object_store\n"
        "import paas_stacks.components.domain, paas_stacks.components.environment\n"
        "from paas_stacks import StaticSite, ObjectStore, Domain, Environment, SecretSet\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(EXTRAS)!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "[]"


def test_the_extras_table_matches_the_packages_optional_dependencies() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    assert sorted(extras) == sorted([*(e.extra for e in EXTRAS.values()), "all"])
    requirements = (REPO / "requirements.txt").read_text().splitlines()
    for sdk, extra in EXTRAS.items():
        [pin] = extras[extra.extra]
        assert pin.split(">")[0].replace("-", "_") == sdk
        assert pin in requirements, f"{pin} differs from requirements.txt"
    assert extras["all"] == ["paas-stacks[aws,cloudflare,github,vercel]"]
    assert not any(dep.startswith(("pulumi-", "pulumiverse")) for dep in project["dependencies"])
