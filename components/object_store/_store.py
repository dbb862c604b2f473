"""``ObjectStore``: a private bucket on AWS S3 (optionally behind CloudFront) or on an
S3-compatible vendor (Backblaze B2, Cloudflare R2).

The rule that matters here: what a link to a store injects is decided by its arguments alone
(``provides``), and ``env()`` gives exactly that: the bucket, region and endpoint, the key pair
(secret) of an S3-compatible vendor, and ``CDN_URL`` when CloudFront serves it. The AWS SDK is
imported only when a store is declared, after its arguments passed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar, Protocol, cast

import pulumi

from paas_stacks.components._args import raise_problems
from paas_stacks.components._component import Component
from paas_stacks.components._extras import import_backend
from paas_stacks.components.object_store._args import (
    ObjectStoreArgs,
    S3Compatible,
    store_problems,
)
from paas_stacks.errors import Problem

if TYPE_CHECKING:
    from paas_stacks.components.object_store._aws import Stored

__all__ = ["ObjectStore"]

BACKEND = "paas_stacks.components.object_store._aws"


class _Serve(Protocol):
    def __call__(self, store: Component, args: ObjectStoreArgs) -> Stored: ...


class ObjectStore(Component):
    """A bucket; ``env()`` gives ``S3_BUCKET``, ``S3_REGION``, ``S3_ENDPOINT`` (+ keys, CDN)."""

    type_name: ClassVar[str] = "ObjectStore"

    bucket_name: pulumi.Output[str]
    region: pulumi.Output[str]
    endpoint: pulumi.Output[str]
    #: ``https://<distribution>.cloudfront.net`` with ``cdn``, else None.
    cdn_url: pulumi.Output[str] | None
    #: An S3-compatible vendor's key pair (secret); None on AWS.
    access_key: pulumi.Output[str] | None
    secret_key: pulumi.Output[str] | None

    @staticmethod
    def problems(args: ObjectStoreArgs) -> list[Problem]:
        """Everything wrong with ``args``, locs relative to the args."""
        return store_problems(args)

    @staticmethod
    def provides(args: ObjectStoreArgs) -> tuple[str, ...]:
        """``S3_BUCKET``, ``S3_REGION``, ``S3_ENDPOINT``; an S3-compatible vendor's key pair;
        ``CDN_URL`` with ``cdn``."""
        provider = args.provider
        if isinstance(provider, S3Compatible):
            return ("S3_BUCKET", "S3_REGION", "S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY")
        cdn = ("CDN_URL",) if provider.cdn else ()
        return ("S3_BUCKET", "S3_REGION", "S3_ENDPOINT", *cdn)

    def __init__(
        self, name: str, args: ObjectStoreArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        label = f"ObjectStore {name!r}"
        raise_problems(label, self.problems(args))
        needs = f"provider {args.provider.kind}"
        serve = cast(_Serve, import_backend(BACKEND, "pulumi_aws", label, needs).serve)
        super().__init__(name, opts)
        provider = args.provider
        self.access_key = self.secret_key = None
        if isinstance(provider, S3Compatible):
            self.access_key = pulumi.Output.secret(provider.access_key)
            self.secret_key = pulumi.Output.secret(provider.secret_key)
        stored = serve(self, args)
        self.bucket = stored.bucket
        self.distribution = stored.distribution
        self.cdn_url = stored.cdn_url
        self.bucket_name = self.bucket.bucket
        self.region = pulumi.Output.from_input(provider.region)
        self.endpoint = pulumi.Output.from_input(provider.endpoint)
        self.register_outputs(
            {
                "bucket_name": self.bucket_name,
                "region": self.region,
                "endpoint": self.endpoint,
                "cdn_url": self.cdn_url,
            }
        )

    def env(self) -> Mapping[str, pulumi.Output[str]]:
        """Exactly ``provides``: the keys are secret, the rest plain."""
        found = {
            "S3_BUCKET": self.bucket_name,
            "S3_REGION": self.region,
            "S3_ENDPOINT": self.endpoint,
        }
        if self.access_key is not None and self.secret_key is not None:
            found["S3_ACCESS_KEY"] = self.access_key
            found["S3_SECRET_KEY"] = self.secret_key
        if self.cdn_url is not None:
            found["CDN_URL"] = self.cdn_url
        return found
