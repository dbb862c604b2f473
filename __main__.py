"""Thin entry point: read the stack's typed config, build what it declares, export the outputs.

Until the components land (issue 5) the program validates the whole environment spec (every
problem at once, before anything registers) and exports its monthly cost estimate.
"""

from __future__ import annotations

import pulumi

from components.cost import as_outputs, estimate
from components.spec import from_pulumi_config

spec = from_pulumi_config()
for key, value in as_outputs(estimate(spec)).items():
    pulumi.export(key, value)
pulumi.export("environment", spec.name)
