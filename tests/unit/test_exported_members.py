"""``paas_stacks`` is the public surface: exactly these names, each importable from it, listed
by ``dir()``, and importing the package itself imports nothing else."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import paas_stacks

REPO = Path(__file__).resolve().parents[2]

EXPORTED = [
    "S3",
    "ArgsError",
    "Autoscaling",
    "CloudflarePages",
    "ConfigurationError",
    "ConflictError",
    "CredentialsError",
    "DnsTarget",
    "Domain",
    "DomainArgs",
    "DomainTarget",
    "Environment",
    "EnvironmentArgs",
    "Fly",
    "Generate",
    "GithubMirror",
    "InvalidRequestError",
    "Link",
    "Linkable",
    "MissingExtraError",
    "NotFoundError",
    "ObjectStore",
    "ObjectStoreArgs",
    "OwnershipError",
    "PaasStacksError",
    "Postgres",
    "PostgresArgs",
    "PreviewError",
    "Problem",
    "RateLimitedError",
    "Redis",
    "RedisArgs",
    "Render",
    "RenderKeyValue",
    "RenderPostgres",
    "RenderStatic",
    "ResourceError",
    "S3CloudFront",
    "S3Compatible",
    "SecretSet",
    "SecretSetArgs",
    "SpecError",
    "StaticSite",
    "StaticSiteArgs",
    "Supabase",
    "SupabaseAuth",
    "UnauthorizedError",
    "Upstash",
    "VendorConnectionError",
    "VendorError",
    "VendorServerError",
    "VendorStatusError",
    "Vercel",
    "WebService",
    "WebServiceArgs",
    "Worker",
    "WorkerArgs",
    "load_stack",
]


def test_all_is_exactly_the_public_names() -> None:
    assert paas_stacks.__all__ == EXPORTED


def test_every_public_name_resolves_to_its_defining_module() -> None:
    for name in EXPORTED:
        member = getattr(paas_stacks, name)
        assert member.__name__ == name
        assert member.__module__.startswith("paas_stacks."), (name, member.__module__)


def test_dir_lists_every_public_name() -> None:
    assert set(EXPORTED) <= set(dir(paas_stacks))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'NoSuchThing'"):
        getattr(paas_stacks, "NoSuchThing")  # noqa: B009 - a name mypy would refuse


def test_the_consumer_imports_work() -> None:
    from paas_stacks import (  # noqa: F401, PLC0415
        Domain,
        DomainArgs,
        Environment,
        Fly,
        ObjectStore,
        ObjectStoreArgs,
        Postgres,
        PostgresArgs,
        Redis,
        RedisArgs,
        Render,
        RenderKeyValue,
        RenderPostgres,
        SecretSet,
        SecretSetArgs,
        StaticSite,
        StaticSiteArgs,
        Supabase,
        Upstash,
        WebService,
        WebServiceArgs,
        Worker,
        WorkerArgs,
        load_stack,
    )


def test_importing_the_package_imports_nothing_else() -> None:
    # The legacy aliases' .pth may have imported ``paas_stacks`` already at start: either way,
    # importing it loads nothing outside the package, and above all not pulumi.
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import paas_stacks\n"
        "new = set(sys.modules) - before\n"
        "print(sorted(m for m in new if m.split('.')[0] != 'paas_stacks'), 'pulumi' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "[] False"
