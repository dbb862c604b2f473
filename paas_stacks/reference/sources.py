"""Where a stack-file key is documented when its spec model carries no ``#:`` comment for it: the
component arguments the entry compiles into (``components/spec/build.py`` copies fields by
name, so a spec key IS that argument, documented once, on the argument).

The rule that matters here: a comment on the spec field wins; the arguments only fill in keys
the spec leaves undocumented, in the order listed (the platform's object before the service's).
"""

from __future__ import annotations

from paas_stacks.components.domain import DomainArgs
from paas_stacks.components.env_group import EnvGroupArgs
from paas_stacks.components.object_store import S3, ObjectStoreArgs, S3Compatible
from paas_stacks.components.platforms import Fly, Render
from paas_stacks.components.postgres import PostgresArgs, RenderPostgres, Supabase
from paas_stacks.components.redis import RedisArgs, RenderKeyValue, Upstash
from paas_stacks.components.secret_set import GithubMirror, SecretSetArgs
from paas_stacks.components.static_site import (
    CloudflarePages,
    RenderStatic,
    S3CloudFront,
    StaticSiteArgs,
    Vercel,
)
from paas_stacks.components.web_service import WebServiceArgs
from paas_stacks.reference.comments import field_comments

__all__ = ["ARGUMENTS", "VENDOR_FIELDS", "documented"]

#: Keys that name the vendor in a file but hold the vendor's object in Python: an argument's
#: comment on them would describe the object, so they are never filled in from one.
VENDOR_FIELDS = ("platform", "provider")

#: Spec model (by class name) -> the argument classes its keys are copied into.
ARGUMENTS: dict[str, tuple[type, ...]] = {
    "RenderServiceSpec": (Render, WebServiceArgs),
    "FlyServiceSpec": (Fly, WebServiceArgs),
    "SupabasePostgresSpec": (Supabase, PostgresArgs),
    "RenderPostgresSpec": (RenderPostgres, PostgresArgs),
    "UpstashRedisSpec": (Upstash, RedisArgs),
    "RenderKeyValueSpec": (RenderKeyValue, RedisArgs),
    "StaticSiteSpec": (StaticSiteArgs, CloudflarePages, Vercel, RenderStatic, S3CloudFront),
    "ObjectStoreSpec": (ObjectStoreArgs, S3, S3Compatible),
    "SecretSetSpec": (SecretSetArgs,),
    "GithubMirrorSpec": (GithubMirror,),
    "EnvGroupSpec": (EnvGroupArgs,),
    "DomainSpec": (DomainArgs,),
}


def documented(cls: type) -> dict[str, str]:
    """Field name -> description: the spec's own ``#:`` comments, else its arguments'."""
    found: dict[str, str] = {}
    for source in reversed(ARGUMENTS.get(cls.__name__, ())):
        found.update(field_comments(source))
    for key in VENDOR_FIELDS:
        found.pop(key, None)
    found.update(field_comments(cls))
    return found
