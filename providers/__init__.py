"""Thin Pulumi dynamic providers, one package per vendor API.

A provider is generic code for one vendor API: which account, token and base URL to use are read
from stack configuration or the environment inside the provider process (``configure``), never
taken as inputs, so no credential is ever pickled into the state.

The generated secret's and the stack owner's providers are pinned here: the state pickles them
as ``paas_stacks.providers`` (see ``_pickled``); the vendor packages pin theirs the same way.
"""

from paas_stacks.providers._pickled import pin
from paas_stacks.providers.generated import GeneratedSecret, GeneratedSecretProvider
from paas_stacks.providers.owner import StackOwner, StackOwnerProvider

__all__ = ["GeneratedSecret", "GeneratedSecretProvider", "StackOwner", "StackOwnerProvider"]

pin("paas_stacks.providers", GeneratedSecretProvider, StackOwnerProvider)
