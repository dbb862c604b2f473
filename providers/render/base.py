"""What every Render provider shares: the client comes from stack config or the environment.

The rule that matters here: the provider holds no credential until ``configure`` runs in the
engine's provider process, so what is pickled into the state is only a class reference.
"""

from __future__ import annotations

from typing import Any, TypeVar

from paas_stacks.providers._resource import Inputs, VendorProvider
from paas_stacks.providers.render.client import RenderClient

__all__ = ["RenderProvider", "by_key"]

InputsT = TypeVar("InputsT", bound=Inputs)


class RenderProvider(VendorProvider[InputsT, RenderClient]):
    """A Render resource's provider; subclasses add the endpoints of their kind."""

    def connect(self, config: Any) -> RenderClient:
        return RenderClient.from_config(config)


def by_key(items: list[dict[str, Any]], key: str, value: str) -> dict[str, str]:
    """``[{key: k, value: v}]`` (Render's list shape) as ``{k: v}``."""
    return {str(item[key]): str(item[value]) for item in items}
