"""The shape every component shares: type token, child naming, options for children.

The rule that matters here: every child is parented to its component and named from the
component's name, so two instances never collide and a moved child keeps its URN via aliases.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import pulumi

from paas_stacks._sdk_debug import quiet_sdk_debug

__all__ = ["Component"]


class Component(pulumi.ComponentResource):
    """Base of the paas-stacks components: ``paas:components:<Type>``."""

    type_name: ClassVar[str]

    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        quiet_sdk_debug()  # before the SDK can log this component's outputs with their values
        super().__init__(f"paas:components:{self.type_name}", name, None, opts)

    def child_name(self, suffix: str = "") -> str:
        name = self.pulumi_resource_name
        return f"{name}-{suffix}" if suffix else name

    def child_opts(
        self,
        *,
        protect: bool = False,
        depends_on: Sequence[pulumi.Resource] | None = None,
        **extra: Any,
    ) -> pulumi.ResourceOptions:
        """Options for a child: parented here; ``protect`` for data a production stack keeps."""
        return pulumi.ResourceOptions(
            parent=self, protect=protect or None, depends_on=list(depends_on or []), **extra
        )
