"""paas-stacks: a whole environment (services, Postgres, Redis, CDN, secrets) as typed Pulumi
components, over thin dynamic providers for Render, Fly.io, Supabase and Upstash.

    from paas_stacks import Postgres, PostgresArgs, Supabase, WebService, WebServiceArgs, Render

The rule that matters here: ``import paas_stacks`` imports nothing else (it may run at every
interpreter start); each public name is imported from its defining module on first use, so a
program pays only for the components it touches.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from paas_stacks.components._fields import Autoscaling, Generate, SupabaseAuth
    from paas_stacks.components.domain import DnsTarget, Domain, DomainArgs, DomainTarget
    from paas_stacks.components.environment import Environment, EnvironmentArgs
    from paas_stacks.components.linking import Link, Linkable
    from paas_stacks.components.object_store import S3, ObjectStore, ObjectStoreArgs, S3Compatible
    from paas_stacks.components.platforms import Fly, Render
    from paas_stacks.components.postgres import Postgres, PostgresArgs, RenderPostgres, Supabase
    from paas_stacks.components.redis import Redis, RedisArgs, RenderKeyValue, Upstash
    from paas_stacks.components.secret_set import GithubMirror, SecretSet, SecretSetArgs
    from paas_stacks.components.spec.loading import load_stack
    from paas_stacks.components.static_site import (
        CloudflarePages,
        RenderStatic,
        S3CloudFront,
        StaticSite,
        StaticSiteArgs,
        Vercel,
    )
    from paas_stacks.components.web_service import WebService, WebServiceArgs
    from paas_stacks.components.worker import Worker, WorkerArgs
    from paas_stacks.errors import (
        ArgsError,
        ConfigurationError,
        ConflictError,
        CredentialsError,
        InvalidRequestError,
        MissingExtraError,
        NotFoundError,
        OwnershipError,
        PaasStacksError,
        PreviewError,
        Problem,
        RateLimitedError,
        ResourceError,
        SpecError,
        UnauthorizedError,
        VendorConnectionError,
        VendorError,
        VendorServerError,
        VendorStatusError,
    )

__all__ = [
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

#: Where each public name is defined (its ``__module__`` stays that module).
_DEFINED_IN: dict[str, tuple[str, ...]] = {
    "paas_stacks.components._fields": ("Autoscaling", "Generate", "SupabaseAuth"),
    "paas_stacks.components.domain": ("DnsTarget", "Domain", "DomainArgs", "DomainTarget"),
    "paas_stacks.components.environment": ("Environment", "EnvironmentArgs"),
    "paas_stacks.components.linking": ("Link", "Linkable"),
    "paas_stacks.components.object_store": ("S3", "ObjectStore", "ObjectStoreArgs", "S3Compatible"),
    "paas_stacks.components.platforms": ("Fly", "Render"),
    "paas_stacks.components.postgres": ("Postgres", "PostgresArgs", "RenderPostgres", "Supabase"),
    "paas_stacks.components.redis": ("Redis", "RedisArgs", "RenderKeyValue", "Upstash"),
    "paas_stacks.components.secret_set": ("GithubMirror", "SecretSet", "SecretSetArgs"),
    "paas_stacks.components.spec.loading": ("load_stack",),
    "paas_stacks.components.static_site": (
        "CloudflarePages",
        "RenderStatic",
        "S3CloudFront",
        "StaticSite",
        "StaticSiteArgs",
        "Vercel",
    ),
    "paas_stacks.components.web_service": ("WebService", "WebServiceArgs"),
    "paas_stacks.components.worker": ("Worker", "WorkerArgs"),
    "paas_stacks.errors": (
        "ArgsError",
        "ConfigurationError",
        "ConflictError",
        "CredentialsError",
        "InvalidRequestError",
        "MissingExtraError",
        "NotFoundError",
        "OwnershipError",
        "PaasStacksError",
        "PreviewError",
        "Problem",
        "RateLimitedError",
        "ResourceError",
        "SpecError",
        "UnauthorizedError",
        "VendorConnectionError",
        "VendorError",
        "VendorServerError",
        "VendorStatusError",
    ),
}
_MODULE_OF = {name: module for module, names in _DEFINED_IN.items() for name in names}


def __getattr__(name: str) -> object:
    """A public name, imported on first use and kept (PEP 562)."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'paas_stacks' has no attribute {name!r}")
    import importlib  # noqa: PLC0415 - only when a name is used

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
