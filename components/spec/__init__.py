"""The typed stack config: ``EnvironmentSpec`` and the loader that reads it from
``stacks/Pulumi.<stack>.yaml`` (key ``paas-stacks:environment``).

The rule that matters here: a stack file is fully validated, every problem reported at once in
one ``SpecError``, before any resource is registered.
"""

from __future__ import annotations

from paas_stacks.components.spec.common import PLACES, LinkSpec, vendor_region
from paas_stacks.components.spec.data import (
    ObjectStoreSpec,
    RenderPostgres,
    RenderRedis,
    SupabaseAuth,
    SupabasePostgres,
    UpstashRedis,
)
from paas_stacks.components.spec.environment import SECTIONS, EnvironmentSpec, provided_env
from paas_stacks.components.spec.errors import Problem, SpecError
from paas_stacks.components.spec.frontends import (
    DomainSpec,
    GeneratedSecret,
    GithubMirror,
    SecretSetSpec,
    StaticSiteSpec,
)
from paas_stacks.components.spec.loading import build, from_pulumi_config, load_stack, stack_file
from paas_stacks.components.spec.services import Autoscaling, FlyService, RenderService

__all__ = [
    "PLACES",
    "SECTIONS",
    "Autoscaling",
    "DomainSpec",
    "EnvironmentSpec",
    "FlyService",
    "GeneratedSecret",
    "GithubMirror",
    "LinkSpec",
    "ObjectStoreSpec",
    "Problem",
    "RenderPostgres",
    "RenderRedis",
    "RenderService",
    "SecretSetSpec",
    "SpecError",
    "StaticSiteSpec",
    "SupabaseAuth",
    "SupabasePostgres",
    "UpstashRedis",
    "build",
    "from_pulumi_config",
    "load_stack",
    "provided_env",
    "stack_file",
    "vendor_region",
]
