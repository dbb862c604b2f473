"""Every dynamic resource's type token, frozen: the engine keys each resource in a user's state
by its URN, which holds the token, so a changed token is a delete plus a create of the same
object (or a failed ``up`` where names are unique). Adding a resource means adding a line."""

from __future__ import annotations

import importlib
import pkgutil

from pulumi import dynamic

import paas_stacks.providers
from paas_stacks.providers import GeneratedSecret
from tests.mocks import build

#: Resource class -> its type token. Append; never edit a line.
FROZEN: dict[str, str] = {
    "GeneratedSecret": "pulumi-python:dynamic/generated:GeneratedSecret",
    "Record": "pulumi-python:dynamic/noop:Record",
    "CustomDomain": "pulumi-python:dynamic/render:CustomDomain",
    "EnvGroup": "pulumi-python:dynamic/render:EnvGroup",
    "KeyValue": "pulumi-python:dynamic/render:KeyValue",
    "Postgres": "pulumi-python:dynamic/render:Postgres",
    "Service": "pulumi-python:dynamic/render:Service",
    "App": "pulumi-python:dynamic/fly:App",
    "IpAddress": "pulumi-python:dynamic/fly:IpAddress",
    "Machines": "pulumi-python:dynamic/fly:Machines",
    "Secrets": "pulumi-python:dynamic/fly:Secrets",
    "Volume": "pulumi-python:dynamic/fly:Volume",
    "AuthConfig": "pulumi-python:dynamic/supabase:AuthConfig",
    "Branch": "pulumi-python:dynamic/supabase:Branch",
    "DatabaseConfig": "pulumi-python:dynamic/supabase:DatabaseConfig",
    "FunctionSecrets": "pulumi-python:dynamic/supabase:FunctionSecrets",
    "Migrations": "pulumi-python:dynamic/supabase:Migrations",
    "NetworkRestrictions": "pulumi-python:dynamic/supabase:NetworkRestrictions",
    "Project": "pulumi-python:dynamic/supabase:Project",
    "RedisDatabase": "pulumi-python:dynamic/upstash:RedisDatabase",
    "StackOwner": "pulumi-python:dynamic/owner:StackOwner",
    "Certificate": "pulumi-python:dynamic/fly:Certificate",
}


def _subclasses(cls: type) -> list[type]:
    found: list[type] = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def resources() -> dict[str, type[dynamic.Resource]]:
    """Every dynamic resource class of the library that a program can declare: the leaves."""
    for info in pkgutil.walk_packages(paas_stacks.providers.__path__, "paas_stacks.providers."):
        importlib.import_module(info.name)
    return {
        cls.__qualname__: cls
        for cls in _subclasses(dynamic.Resource)
        if cls.__module__.startswith("paas_stacks.") and not cls.__subclasses__()
    }


def test_every_dynamic_resource_is_listed_with_its_frozen_token() -> None:
    found = resources()
    assert {name: f"pulumi-python:{cls._resource_type_name}" for name, cls in found.items()} == (
        FROZEN
    )
    assert [name for name, cls in found.items() if not getattr(cls, "__final__", False)] == []


def test_the_token_is_the_one_the_engine_is_given() -> None:
    built = build(lambda: GeneratedSecret("token"))
    assert built.mocks.types() == [FROZEN["GeneratedSecret"]]
