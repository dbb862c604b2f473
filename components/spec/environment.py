"""``EnvironmentSpec``: one whole environment (services, data, frontends, secrets, domains).

The rule that matters here: components share one namespace of names, because links, domains and
vendor-side names (``<environment>-<component>``) all refer to them by name.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, model_validator

from paas_stacks.components._fields import Name, RepoUrl
from paas_stacks.components.spec.build import entries
from paas_stacks.components.spec.common import Spec
from paas_stacks.components.spec.data import ObjectStoreSpec, PostgresSpec, RedisSpec
from paas_stacks.components.spec.frontends import (
    DomainSpec,
    EnvGroupSpec,
    SecretSetSpec,
    StaticSiteSpec,
)
from paas_stacks.components.spec.rules import RuleContext, check
from paas_stacks.components.spec.services import ServiceSpec
from paas_stacks.vendors import fly, render
from paas_stacks.vendors.places import DEFAULT_PLACE, Place, Vendor, region_of

__all__ = ["EnvironmentSpec"]


class EnvironmentSpec(Spec):
    """Everything one stack deploys; ``production`` turns on deletion protection and refuses
    plans that sleep, pause, expire or lose data."""

    #: The prefix of every vendor-side name (``<name>-<component>``); a stack file may leave it
    #: out (the stack's name), and ``extends`` never inherits it.
    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,30}[a-z0-9]$")]
    #: Protect Postgres, Redis and object stores from deletion and refuse plans that sleep,
    #: pause, expire or lose data.
    production: bool = False
    #: Where every component runs unless it names its vendor's region itself: a place
    #: (``oregon``, ``ohio``, ``virginia``, ``frankfurt``, ``singapore``), or any Fly region
    #: (``nrt``, ``lhr``...): Fly services get it, other vendors the nearest place's region.
    region: Place | fly.Region = DEFAULT_PLACE
    #: The Render workspace's plan; unset: the cheapest that allows what the stack uses.
    render_workspace: render.WorkspacePlan | None = None
    #: The most this environment may cost a month (USD): ``pulumi preview`` warns above it and
    #: ``pulumi up`` refuses, unless ``paas-stacks:allow-over-budget`` is true.
    budget_usd: Annotated[float, Field(gt=0)] | None = None
    #: This repository: the one whose workflows deploy the stack. Render services built from it
    #: (their ``repo`` defaults to it) and services with ``build:`` follow it: they run the
    #: release (``paas-stacks:release``) CI pins for each commit.
    repository: RepoUrl | None = None
    #: What a pull request's preview of this stack gets for each Supabase database: a
    #: ``branch`` of this stack's project (Supabase Branching, ``pr-<N>``; paid plans) or a new
    #: ``project``; unset: a branch when the project's plan allows branching, else a project.
    preview_databases: Literal["branch", "project"] | None = None
    #: Web services, private services, workers and cron jobs by name (``platform: render|fly``).
    services: dict[Name, ServiceSpec] = Field(default_factory=dict)
    #: Databases by name (``provider: supabase|render``).
    postgres: dict[Name, PostgresSpec] = Field(default_factory=dict)
    #: Caches by name (``provider: upstash``, or ``render`` for Render Key Value).
    redis: dict[Name, RedisSpec] = Field(default_factory=dict)
    #: Frontends built into static files, by name.
    static_sites: dict[Name, StaticSiteSpec] = Field(default_factory=dict)
    #: Buckets (AWS S3 or an S3-compatible vendor) by name.
    object_stores: dict[Name, ObjectStoreSpec] = Field(default_factory=dict)
    #: Secret sets by name (generated values and values from config); a service links a set to
    #: receive them.
    secrets: dict[Name, SecretSetSpec] = Field(default_factory=dict)
    #: Variables several services share; a service links the group to receive them.
    env_groups: dict[Name, EnvGroupSpec] = Field(default_factory=dict)
    #: Custom hostnames on web services and static sites, by name.
    domains: dict[Name, DomainSpec] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _rules(self, info: ValidationInfo) -> EnvironmentSpec:
        # The loader runs the rules itself (with file paths and config presence); a spec built
        # directly in Python still gets them here.
        if info.context and info.context.get("rules") is False:
            return self
        problems = list(check(self, RuleContext.of(self)))
        if problems:
            raise ValueError("\n".join(f"{p.path('environment')}: {p.message}" for p in problems))
        return self

    def components(self) -> dict[str, Any]:
        """Every linkable component's spec by name, in build order."""
        return {entry.name: entry.spec for entry in entries(self)}

    def resource_name(self, component: str) -> str:
        """The vendor-side name: ``<environment>-<component>``."""
        return f"{self.name}-{component}"

    def region_for(self, vendor: Vendor, override: str | None = None) -> str:
        """The vendor's region code: the component's own, else the environment's place's."""
        return override if override is not None else region_of(vendor, self.region)

    def stateful(self) -> dict[str, Any]:
        """Components that hold data: protected from deletion when ``production`` is set."""
        return {**self.postgres, **self.redis, **self.object_stores}
