"""What every Fly provider shares: the client comes from stack config or the environment.

The rule that matters here: the provider holds no credential until ``configure`` runs in the
engine's provider process, so what is pickled into the state is only a class reference.
"""

from __future__ import annotations

from typing import TypeVar

from pulumi import dynamic

from paas_stacks.providers._resource import Inputs, VendorProvider
from paas_stacks.providers.fly.client import FlyClient

__all__ = ["FlyProvider"]

InputsT = TypeVar("InputsT", bound=Inputs)


class FlyProvider(VendorProvider[InputsT, FlyClient]):
    """A Fly resource's provider; subclasses add the endpoints of their kind."""

    def connect(self, config: dynamic.Config | None) -> FlyClient:
        return FlyClient.from_config(config)
