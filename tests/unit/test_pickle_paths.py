"""Every dynamic provider pickles by reference to the public module chosen for it, once.

The engine unpickles the ``__provider`` STORED in a user's state for ``refresh`` and ``destroy``,
so these paths are part of the state format: changing one, or adding a provider without listing
it here, fails this test. Moving a class between files does not change its path (see
``paas_stacks/providers/_pickled.py``); renaming a public module or class does, and then needs
an alias like ``paas_stacks/_legacy.py``.
"""

from __future__ import annotations

import base64
import importlib
import pickletools
import pkgutil
from typing import Any

import dill
import pytest
from pulumi import dynamic
from pulumi.dynamic.dynamic import serialize_provider

import paas_stacks.providers

#: Provider class -> the module its pickle names. Append; never edit a line.
FROZEN: dict[str, str] = {
    "GeneratedSecretProvider": "paas_stacks.providers",
    "CustomDomainProvider": "paas_stacks.providers.render",
    "EnvGroupProvider": "paas_stacks.providers.render",
    "KeyValueProvider": "paas_stacks.providers.render",
    "PostgresProvider": "paas_stacks.providers.render",
    "ServiceProvider": "paas_stacks.providers.render",
    "AppProvider": "paas_stacks.providers.fly",
    "IpAddressProvider": "paas_stacks.providers.fly",
    "MachinesProvider": "paas_stacks.providers.fly",
    "SecretsProvider": "paas_stacks.providers.fly",
    "VolumeProvider": "paas_stacks.providers.fly",
    "AuthConfigProvider": "paas_stacks.providers.supabase",
    "BranchProvider": "paas_stacks.providers.supabase",
    "DatabaseConfigProvider": "paas_stacks.providers.supabase",
    "FunctionSecretsProvider": "paas_stacks.providers.supabase",
    "MigrationsProvider": "paas_stacks.providers.supabase",
    "NetworkRestrictionsProvider": "paas_stacks.providers.supabase",
    "ProjectProvider": "paas_stacks.providers.supabase",
    "RedisDatabaseProvider": "paas_stacks.providers.upstash",
    "StackOwnerProvider": "paas_stacks.providers",
    # Not public API, but pickled all the same: the benchmark floor and the test record.
    "FloorProvider": "paas_stacks.providers.floor",
    "RecordProvider": "paas_stacks.providers.noop",
    "CertificateProvider": "paas_stacks.providers.fly",
}


def _every_module() -> None:
    for info in pkgutil.walk_packages(paas_stacks.providers.__path__, "paas_stacks.providers."):
        importlib.import_module(info.name)


def _subclasses(cls: type) -> list[type]:
    found: list[type] = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def pickled_providers() -> dict[str, type]:
    """Every provider class of the library that can be instantiated: the leaves."""
    _every_module()
    return {
        cls.__name__: cls
        for cls in _subclasses(dynamic.ResourceProvider)
        if cls.__module__.startswith("paas_stacks.") and not cls.__subclasses__()
    }


def reference(pickled: bytes) -> tuple[str, str]:
    """The (module, name) of the class a provider pickle names (its first STACK_GLOBAL)."""
    strings: list[Any] = []
    for opcode, arg, _pos in pickletools.genops(pickled):
        if opcode.name in ("SHORT_BINUNICODE", "BINUNICODE", "UNICODE"):
            strings.append(arg)
        if opcode.name == "STACK_GLOBAL":
            return strings[-2], strings[-1]
    raise AssertionError("no class reference in the pickle")


def test_every_provider_class_is_listed_with_its_frozen_path() -> None:
    found = {name: cls.__module__ for name, cls in pickled_providers().items()}
    assert found == FROZEN


@pytest.mark.parametrize("name", sorted(FROZEN))
def test_the_pickle_names_the_public_module_and_loads_back(name: str) -> None:
    cls = pickled_providers()[name]
    assert getattr(cls, "__final__", False), f"{name} is a leaf: mark it @final"
    pickled = base64.b64decode(serialize_provider(cls()))
    assert reference(pickled) == (FROZEN[name], name)
    assert type(dill.loads(pickled)) is cls  # noqa: S301 - a pickle this test just made
    # The class is also where its file says it is: the pin changes the name, not the class.
    assert getattr(importlib.import_module(FROZEN[name]), name) is cls


def test_a_provider_pickle_holds_no_state_but_the_floors_declared_outputs() -> None:
    for name, cls in pickled_providers().items():
        if name != "FloorProvider":
            assert cls().__dict__ == {}, f"{name} instances carry state into the pickle"
