"""Thin entry point: read the stack's typed config, build the environment, export the outputs.

``paas-stacks:offline: true`` builds only what runs without bridged providers (what the sandbox
stands in for): object stores, bridged frontends, Cloudflare DNS and GitHub mirrors are left out
and listed in the ``leftOut`` output.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pulumi

from paas_stacks.components.environment import Environment, EnvironmentArgs
from paas_stacks.components.spec import SpecError, from_pulumi_config
from paas_stacks.components.spec.cost import as_outputs, estimate
from paas_stacks.components.spec.loading import stack_file
from paas_stacks.components.spec.offline import without_bridged
from paas_stacks.cost.budget import ALLOW_OVER_BUDGET, environment_budget

#: Pulumi's Python launcher exits with this code after it has shown the user the error; the
#: language host then adds nothing (no traceback, no "program exited with code 1").
SHOWN_TO_USER = 32

try:
    spec = from_pulumi_config()
except SpecError as error:
    # The lines already name file, path, value and the fix; anything more would bury them.
    pulumi.log.error(str(error))
    sys.exit(SHOWN_TO_USER)
config = pulumi.Config("paas-stacks")
# Priced from the tables: the program makes no vendor call of its own (the cost command may).
report = estimate(spec)
verdicts = environment_budget(
    spec,
    report,
    file=stack_file(Path("stacks"), pulumi.get_stack()),
    updating=not pulumi.runtime.is_dry_run(),
    allow_over=bool(config.get_bool(ALLOW_OVER_BUDGET)),
)
for verdict in verdicts:
    if verdict.level == "refuse":
        pulumi.log.error(verdict.message)  # before any resource is registered
        sys.exit(SHOWN_TO_USER)
    pulumi.log.warn(verdict.message)
left_out: list[str] = []
if config.get_bool("offline"):
    spec, left_out = without_bridged(spec)
environment = Environment(spec.name, EnvironmentArgs(spec=spec))

pulumi.export("environment", spec.name)
pulumi.export("urls", environment.urls)
pulumi.export("releases", environment.releases)
for key, value in as_outputs(report).items():
    pulumi.export(key, value)
connections = environment.connection_strings()
pulumi.export("connections", pulumi.Output.secret(connections))
# The single database and cache, under the names the services receive them by.
for suffix in ("DATABASE_URL", "REDIS_URL"):
    matches = [value for key, value in connections.items() if key.endswith(f".{suffix}")]
    if len(matches) == 1:
        pulumi.export(suffix, matches[0])
if environment.domains:
    # The records each hostname needs: what to set by hand with ``dns: none``.
    pulumi.export("domains", environment.dns())
if left_out:
    pulumi.export("leftOut", left_out)
