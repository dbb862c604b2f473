"""Thin entry point: read the stack's config, build what it declares, export the outputs.

Until the components land (issue 5) the stack declares named records kept by the no-HTTP
``providers.noop`` resource, which is enough to run the real engine end to end.
"""

from __future__ import annotations

import pulumi

from providers.noop import Record

config = pulumi.Config()
environment = config.require("environment")
records = {
    name: Record(f"{environment}-{name}", value=str(value))
    for name, value in (config.get_object("records") or {}).items()
}
pulumi.export("environment", environment)
pulumi.export("records", {name: record.value for name, record in records.items()})
