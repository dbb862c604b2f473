"""The typed stack config: ``EnvironmentSpec`` and the loader that reads it from
``stacks/Pulumi.<stack>.yaml`` (key ``paas-stacks:environment``), and the compiler from an
entry to its component's arguments.

The rule that matters here: a stack file is fully validated, every problem reported at once in
one ``SpecError``, before any resource is registered.
"""

from __future__ import annotations

from paas_stacks.components.spec.build import (
    SECTIONS,
    Compiled,
    Entry,
    compile_entry,
    entries,
    provided_env,
)
from paas_stacks.components.spec.common import LinkSpec
from paas_stacks.components.spec.data import (
    ObjectStoreSpec,
    RenderKeyValueSpec,
    RenderPostgresSpec,
    SupabasePostgresSpec,
    UpstashRedisSpec,
)
from paas_stacks.components.spec.environment import EnvironmentSpec
from paas_stacks.components.spec.frontends import (
    DomainSpec,
    GithubMirrorSpec,
    SecretSetSpec,
    StaticSiteSpec,
)
from paas_stacks.components.spec.loading import build, from_pulumi_config, load_stack, stack_file
from paas_stacks.components.spec.services import FlyServiceSpec, RenderServiceSpec
from paas_stacks.errors import Problem, SpecError

__all__ = [
    "SECTIONS",
    "Compiled",
    "DomainSpec",
    "Entry",
    "EnvironmentSpec",
    "FlyServiceSpec",
    "GithubMirrorSpec",
    "LinkSpec",
    "ObjectStoreSpec",
    "Problem",
    "RenderKeyValueSpec",
    "RenderPostgresSpec",
    "RenderServiceSpec",
    "SecretSetSpec",
    "SpecError",
    "StaticSiteSpec",
    "SupabasePostgresSpec",
    "UpstashRedisSpec",
    "build",
    "compile_entry",
    "entries",
    "from_pulumi_config",
    "load_stack",
    "provided_env",
    "stack_file",
]
