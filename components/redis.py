"""``Redis``: an Upstash Redis database or a Render Key Value instance, linkable as
``REDIS_URL``, ``REDIS_HOST``, ``REDIS_PORT`` and ``REDIS_PASSWORD``.

The rule that matters here: the URL and the password are secret wherever they flow, including
the parts parsed out of Render's connection string inside an ``apply``; host and port are not
sensitive and are unsecreted so they read plainly in outputs.

Render's ``REDIS_URL`` is the internal connection string (``redis://red-...:6379``, no password
on Render's private network, so ``REDIS_PASSWORD`` is empty) when every consumer is a Render
service in the same region; otherwise the external ``rediss://`` one with its password (see
``postgres.private_network_reaches``). ``ip_allow_list`` is refused for Render: the
provider manages none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, cast
from urllib.parse import unquote, urlsplit

import pulumi

from paas_stacks.components._component import Component
from paas_stacks.components.linking import Link
from paas_stacks.components.postgres import private_network_reaches
from paas_stacks.components.spec import EnvironmentSpec, RenderRedis, UpstashRedis
from paas_stacks.providers import render, upstash

__all__ = ["Redis", "RedisArgs", "from_spec", "split_url"]

PROVIDERS = ("upstash", "render")
DEFAULT_PORT = 6379


@dataclass
class RedisArgs:
    #: ``upstash`` or ``render``.
    provider: Literal["upstash", "render"]
    #: The vendor-side name (``<environment>-<component>``).
    vendor_name: pulumi.Input[str]
    #: The vendor's region code (Upstash: the primary region, required; Render: ``oregon``...).
    region: pulumi.Input[str] | None = None
    #: The plan (Upstash ``free``/``payg``/``fixed_*``; Render ``starter``...); vendor default.
    plan: pulumi.Input[str] | None = None
    #: Protect the database from deletion: production stacks.
    protect: bool = False
    #: Upstash: evict keys when full (leave off for queues).
    eviction: pulumi.Input[bool] | None = None
    #: Upstash: monthly spending cap in USD (pay-as-you-go).
    budget_usd: pulumi.Input[int] | None = None
    #: Render: the maxmemory policy (``noeviction``, ``allkeys_lru``...); Render's if unset.
    maxmemory_policy: pulumi.Input[str] | None = None
    #: Render: ``REDIS_URL`` is the internal string (private network, same region) else external.
    private_network: bool = True


class Redis(Component):
    """A Redis-compatible database whose ``env()`` gives the four ``REDIS_*`` variables."""

    type_name = "Redis"

    #: ``redis[s]://...`` with the password (secret).
    url: pulumi.Output[str]
    host: pulumi.Output[str]
    port: pulumi.Output[str]
    #: Secret; empty for Render's internal (password-less) connection.
    password: pulumi.Output[str]

    def __init__(
        self, name: str, args: RedisArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        _validate(args)
        super().__init__(name, opts)
        kept = self.child_opts(protect=args.protect)
        if args.provider == "upstash":
            database = upstash.RedisDatabase(
                self.child_name("db"), name=args.vendor_name,
                primary_region=cast("pulumi.Input[str]", args.region),  # see _validate
                eviction=args.eviction, budget=args.budget_usd, plan=args.plan, opts=kept,
            )  # fmt: skip
            self.database: upstash.RedisDatabase | render.KeyValue = database
            self.url = pulumi.Output.secret(database.redis_url)
            self.host = database.endpoint
            self.port = database.port.apply(str)
            self.password = pulumi.Output.secret(database.password)
        else:
            key_value = render.KeyValue(
                self.child_name("kv"), name=args.vendor_name, plan=args.plan, region=args.region,
                maxmemory_policy=args.maxmemory_policy, opts=kept,
            )  # fmt: skip
            self.database = key_value
            chosen = (
                key_value.internal_connection_string
                if args.private_network
                else key_value.external_connection_string
            )
            self._from_url(pulumi.Output.secret(chosen))
        self.register_outputs(
            {"url": self.url, "host": self.host, "port": self.port, "password": self.password}
        )

    def _from_url(self, url: pulumi.Output[str]) -> None:
        parts = url.apply(split_url)
        self.url = url
        # Host and port are not sensitive: unsecret them so they read plainly downstream.
        self.host = pulumi.Output.unsecret(parts.apply(lambda p: p[0]))
        self.port = pulumi.Output.unsecret(parts.apply(lambda p: p[1]))
        self.password = pulumi.Output.secret(parts.apply(lambda p: p[2]))

    def env(self) -> Mapping[str, pulumi.Output[str]]:
        return {
            "REDIS_URL": self.url,
            "REDIS_HOST": self.host,
            "REDIS_PORT": self.port,
            "REDIS_PASSWORD": self.password,
        }


def split_url(url: str) -> tuple[str, str, str]:
    """``(host, port, password)`` of a ``redis://`` or ``rediss://`` URL (port 6379 if absent,
    password empty if absent)."""
    parts = urlsplit(url)
    port = parts.port or DEFAULT_PORT
    return parts.hostname or "", str(port), unquote(parts.password or "")


def _validate(args: RedisArgs) -> None:
    if args.provider not in PROVIDERS:
        raise ValueError(f"provider {args.provider!r} is not one of {', '.join(PROVIDERS)}")
    if args.provider == "upstash" and args.region is None:
        raise ValueError("region is required for provider 'upstash' (the primary region)")
    if args.provider == "render":
        upstash_only = [k for k in ("eviction", "budget_usd") if getattr(args, k) is not None]
        if upstash_only:
            raise ValueError(f"{upstash_only} apply to provider 'upstash' only")
    elif args.maxmemory_policy is not None:
        raise ValueError("maxmemory_policy applies to provider 'render' only (Upstash: eviction)")


def from_spec(
    name: str,
    spec: UpstashRedis | RenderRedis,
    environment: EnvironmentSpec,
    *,
    links: Sequence[Link] = (),
    opts: pulumi.ResourceOptions | None = None,
) -> Redis:
    """``links`` is unused (Redis consumes nothing); kept for the common builder signature."""
    del links
    vendor_name, protect = environment.resource_name(name), environment.production
    if isinstance(spec, UpstashRedis):
        args = RedisArgs(
            provider="upstash", region=environment.region_for("upstash", spec.region),
            plan=spec.plan, eviction=spec.eviction, budget_usd=spec.budget_usd,
            vendor_name=vendor_name, protect=protect,
        )  # fmt: skip
        return Redis(name, args, opts)
    if spec.ip_allow_list:
        raise ValueError("ip_allow_list is not supported for provider 'render' yet: "
                         "render.KeyValue manages no IP allow list")  # fmt: skip
    region = environment.region_for("render", spec.region)
    args = RedisArgs(
        provider="render", region=region, plan=spec.plan,
        maxmemory_policy=spec.maxmemory_policy,
        private_network=private_network_reaches(environment, name, region),
        vendor_name=vendor_name, protect=protect,
    )  # fmt: skip
    return Redis(name, args, opts)
