"""Thin entry point: read the stack's typed config, build the environment, export the outputs.

``paas-stacks:offline: true`` builds only what runs without bridged providers (what the sandbox
stands in for): object stores, bridged frontends, Cloudflare DNS and GitHub mirrors are left out
and listed in the ``leftOut`` output.
"""

from __future__ import annotations

import pulumi

from components.cost import as_outputs, estimate
from components.environment import Environment, EnvironmentArgs
from components.offline import without_bridged
from components.spec import from_pulumi_config

spec = from_pulumi_config()
left_out: list[str] = []
if pulumi.Config("paas-stacks").get_bool("offline"):
    spec, left_out = without_bridged(spec)
environment = Environment(spec.name, EnvironmentArgs(spec))

pulumi.export("environment", spec.name)
pulumi.export("urls", environment.urls)
for key, value in as_outputs(estimate(spec)).items():
    pulumi.export(key, value)
connections = environment.connection_strings()
pulumi.export("connections", pulumi.Output.secret(connections))
# The single database and cache, under the names the services receive them by.
for suffix in ("DATABASE_URL", "REDIS_URL"):
    matches = [value for key, value in connections.items() if key.endswith(f".{suffix}")]
    if len(matches) == 1:
        pulumi.export(suffix, matches[0])
if left_out:
    pulumi.export("leftOut", left_out)
