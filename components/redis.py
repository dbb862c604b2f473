"""``Redis``: an Upstash Redis database or a Render Key Value instance, linkable as
``REDIS_URL``, ``REDIS_HOST``, ``REDIS_PORT`` and ``REDIS_PASSWORD``.

The rule that matters here: the URL and the password are secret wherever they flow, including
the parts parsed out of Render's connection string inside an ``apply``; host and port are not
sensitive and are unsecreted so they read plainly in outputs.

Render's ``REDIS_URL`` is the internal connection string (``redis://red-...:6379``, no password
on Render's private network, so ``REDIS_PASSWORD`` is empty) when ``private_network`` is set;
otherwise the external ``rediss://`` one with its password.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, ClassVar
from urllib.parse import unquote, urlsplit

import pulumi
from pydantic import Field

from paas_stacks.components._args import field_problems, raise_problems
from paas_stacks.components._component import Component
from paas_stacks.components._fields import AdoptId, AllowEntry, allow_list
from paas_stacks.components._properties import connection_properties
from paas_stacks.errors import Problem
from paas_stacks.providers import render, upstash
from paas_stacks.vendors import render as render_words
from paas_stacks.vendors import upstash as upstash_words

__all__ = ["REDIS_ENV", "Redis", "RedisArgs", "RenderKeyValue", "Upstash", "split_url"]

DEFAULT_PORT = 6379
REDIS_ENV = ("REDIS_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD")
PROPERTIES = ("connection_string", "host", "port", "hostport", "user", "password")


@dataclass(frozen=True, kw_only=True)
class Upstash:
    """An Upstash Redis database (TLS on)."""

    plan: upstash_words.Plan
    #: The primary region.
    region: upstash_words.Region = upstash_words.DEFAULT_REGION
    #: Evict keys when full; leave off for queues (BullMQ loses jobs to eviction).
    eviction: bool = False
    #: Monthly spending cap in USD for pay-as-you-go.
    budget_usd: Annotated[int, Field(ge=1)] | None = None

    def problems(self) -> list[Problem]:
        if self.budget_usd is not None and self.plan != "payg":
            return [Problem(("budget_usd",), f"only applies to plan 'payg'; got {self.plan!r}")]
        return []


@dataclass(frozen=True, kw_only=True)
class RenderKeyValue:
    """A Render Key Value instance (Valkey/Redis compatible)."""

    plan: render_words.KeyValuePlan
    region: render_words.Region = render_words.DEFAULT_REGION
    #: What it does when full (``noeviction``, ``allkeys_lru``...); Render's default when unset.
    maxmemory_policy: render_words.MaxmemoryPolicy | None = None
    #: Who may connect from outside Render's private network: ``[]`` nobody (internal
    #: connections only), unset: Render's default.
    ip_allow_list: tuple[AllowEntry, ...] | None = None
    #: ``REDIS_URL`` is the internal string (private network, same region), else the external.
    private_network: bool = True

    def problems(self) -> list[Problem]:
        return []


@dataclass(frozen=True, kw_only=True)
class RedisArgs:
    #: The vendor-side name (a stack names it ``<environment>-<component>``).
    name: pulumi.Input[str]
    #: ``Upstash(...)`` or ``RenderKeyValue(...)``.
    provider: Upstash | RenderKeyValue
    #: Protect the database from deletion: production stacks.
    protect: bool = False
    #: Take over this existing Upstash database id or Render Key Value id (``red-…``).
    adopt_id: AdoptId | None = None


class Redis(Component):
    """A Redis-compatible database whose ``env()`` gives the four ``REDIS_*`` variables."""

    type_name: ClassVar[str] = "Redis"

    #: ``redis[s]://...`` with the password (secret).
    url: pulumi.Output[str]
    host: pulumi.Output[str]
    port: pulumi.Output[str]
    #: Secret; empty for Render's internal (password-less) connection.
    password: pulumi.Output[str]

    @staticmethod
    def problems(args: RedisArgs) -> list[Problem]:
        """Everything wrong with ``args``, locs relative to the args."""
        found = field_problems(args)
        if found:
            return found
        return [problem.within("provider") for problem in args.provider.problems()]

    @staticmethod
    def provides(args: RedisArgs) -> tuple[str, ...]:
        del args
        return REDIS_ENV

    def __init__(
        self, name: str, args: RedisArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        raise_problems(f"Redis {name!r}", self.problems(args))
        super().__init__(name, opts)
        kept = self.child_opts(protect=args.protect)
        provider = args.provider
        if isinstance(provider, Upstash):
            database = upstash.RedisDatabase(
                self.child_name("db"),
                name=args.name,
                primary_region=provider.region,
                eviction=provider.eviction,
                budget=provider.budget_usd,
                plan=provider.plan,
                adopt_id=args.adopt_id,
                opts=kept,
            )
            self.database: upstash.RedisDatabase | render.KeyValue = database
            self.url = pulumi.Output.secret(database.redis_url)
            self.host = database.endpoint
            self.port = database.port.apply(str)
            self.password = pulumi.Output.secret(database.password)
        else:
            key_value = render.KeyValue(
                self.child_name("kv"),
                name=args.name,
                plan=provider.plan,
                region=provider.region,
                maxmemory_policy=provider.maxmemory_policy,
                ip_allow_list=allow_list(provider.ip_allow_list),
                adopt_id=args.adopt_id,
                opts=kept,
            )
            self.database = key_value
            chosen = (
                key_value.internal_connection_string
                if provider.private_network
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

    @staticmethod
    def property_names(args: RedisArgs) -> tuple[str, ...]:
        del args
        return PROPERTIES

    def properties(self) -> Mapping[str, pulumi.Output[str]]:
        """``connection_string``, ``host``, ``port``, ``hostport``, ``password`` (and the URL's
        ``user``, often ``default`` or empty)."""
        found = connection_properties(self.url, DEFAULT_PORT)
        # The host and port the component reports (Upstash's endpoint) are the ones to trust.
        found.update({"host": self.host, "port": self.port, "password": self.password})
        found["hostport"] = pulumi.Output.concat(self.host, ":", self.port)
        found.pop("database", None)
        return found

    def env(self) -> Mapping[str, pulumi.Output[str]]:
        values = (self.url, self.host, self.port, self.password)
        return dict(zip(REDIS_ENV, values, strict=True))


def split_url(url: str) -> tuple[str, str, str]:
    """``(host, port, password)`` of a ``redis://`` or ``rediss://`` URL (port 6379 if absent,
    password empty if absent)."""
    parts = urlsplit(url)
    port = parts.port or DEFAULT_PORT
    return parts.hostname or "", str(port), unquote(parts.password or "")
