"""Each resource asks the engine to keep its sensitive outputs secret, whatever its inputs were.

What a resource registers is read off the (mock) resource monitor's ``RegisterResource``
request, the same request the engine gets: its ``additionalSecretOutputs`` are the outputs the
engine encrypts in state. Every dynamic resource of the package has a row in ``SENSITIVE``, so
a new one cannot leave the table by accident.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import pulumi
import pytest
from pulumi import dynamic
from pulumi.runtime.mocks import MockMonitor

import paas_stacks.providers
from paas_stacks.providers import fly, render, supabase, upstash
from paas_stacks.providers._resource import VendorResource
from paas_stacks.providers.generated import GeneratedSecret
from paas_stacks.providers.noop import Record
from paas_stacks.providers.owner import StackOwner
from tests.mocks import build

Make = Callable[[], pulumi.Resource]

#: resource -> (how to declare one, the outputs that must be secret in state).
SENSITIVE: dict[type[pulumi.Resource], tuple[Make, frozenset[str]]] = {
    fly.App: (lambda: fly.App("r", name="a"), frozenset()),
    fly.IpAddress: (lambda: fly.IpAddress("r", app="a", type="v6"), frozenset()),
    # The records a hostname needs are public DNS (the ownership TXT value is published).
    fly.Certificate: (lambda: fly.Certificate("r", app="a", hostname="a.example.com"), frozenset()),
    # Plain config only: linked and secret values go to fly.Secrets.
    fly.Machines: (lambda: fly.Machines("r", app="a", image="i", regions=["iad"]), frozenset()),
    fly.Secrets: (
        lambda: fly.Secrets("r", app="a", values={"K": "v"}),
        frozenset({"values", "digests"}),
    ),
    fly.Volume: (lambda: fly.Volume("r", app="a", name="v", region="iad"), frozenset()),
    render.CustomDomain: (
        lambda: render.CustomDomain("r", service_id="srv-1", name="example.com"),
        frozenset(),
    ),
    render.EnvGroup: (
        lambda: render.EnvGroup("r", name="g"),
        frozenset({"env_vars", "secret_files"}),
    ),
    render.KeyValue: (
        lambda: render.KeyValue("r", name="kv"),
        frozenset({"internal_connection_string", "external_connection_string", "cli_command"}),
    ),
    render.Postgres: (
        lambda: render.Postgres("r", name="db"),
        frozenset(
            {"internal_connection_string", "external_connection_string", "password", "psql_command"}
        ),
    ),
    render.Service: (
        lambda: render.Service("r", name="web", type="web"),
        frozenset({"env_vars", "secret_files"}),
    ),
    # ``settings`` takes any key of UpdateAuthConfigBody verbatim: smtp_pass, external_*_secret...
    supabase.AuthConfig: (
        lambda: supabase.AuthConfig("r", project_ref="ref"),
        frozenset({"settings"}),
    ),
    supabase.Branch: (
        lambda: supabase.Branch("r", parent_ref="ref", name="pr-1"),
        frozenset(
            {
                "database_password",
                "jwt_secret",
                "anon_key",
                "service_role_key",
                "database_url",
                "pooler_url",
            }
        ),
    ),
    supabase.DatabaseConfig: (lambda: supabase.DatabaseConfig("r", project_ref="ref"), frozenset()),
    supabase.FunctionSecrets: (
        lambda: supabase.FunctionSecrets("r", project_ref="ref", values={"K": "v"}),
        frozenset({"values", "digests"}),
    ),
    supabase.Migrations: (
        lambda: supabase.Migrations("r", project_ref="ref", folder="migrations"),
        frozenset(),
    ),
    supabase.NetworkRestrictions: (
        lambda: supabase.NetworkRestrictions("r", project_ref="ref"),
        frozenset(),
    ),
    supabase.Project: (
        lambda: supabase.Project("r", organization_id="acme", name="p"),
        frozenset(
            {"database_password", "anon_key", "service_role_key", "database_url", "pooler_url"}
        ),
    ),
    upstash.RedisDatabase: (
        lambda: upstash.RedisDatabase("r", name="cache", primary_region="us-east-1"),
        frozenset({"password", "rest_token", "read_only_rest_token", "redis_url"}),
    ),
    GeneratedSecret: (lambda: GeneratedSecret("r"), frozenset({"value"})),
    Record: (lambda: Record("r", value="v"), frozenset()),  # the benchmark floor: no vendor
    # The salt makes the stack's owner tag: whoever reads it can forge the marker.
    StackOwner: (lambda: StackOwner("r", stack="o/p/s", renamed_from=None), frozenset({"salt"})),
}


@pytest.fixture
def asked_secret(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Resource name -> the ``additionalSecretOutputs`` its registration asked for."""
    asked: dict[str, list[str]] = {}
    register = MockMonitor.RegisterResource

    def recording(self: MockMonitor, request: Any) -> Any:
        asked[request.name] = list(request.additionalSecretOutputs)
        return register(self, request)  # type: ignore[no-untyped-call]

    monkeypatch.setattr(MockMonitor, "RegisterResource", recording)
    return asked


def declared_outputs(kind: type[pulumi.Resource]) -> set[str]:
    return {name for name, hint in inspect.get_annotations(kind).items() if "Output" in str(hint)}


def package_resources() -> set[type[pulumi.Resource]]:
    found: set[type[pulumi.Resource]] = set()
    for info in pkgutil.walk_packages(paas_stacks.providers.__path__, "paas_stacks.providers."):
        for value in vars(importlib.import_module(info.name)).values():
            if (
                inspect.isclass(value)
                and issubclass(value, dynamic.Resource)
                and value not in (dynamic.Resource, VendorResource)
            ):
                found.add(value)
    return found


def test_every_dynamic_resource_of_the_package_says_which_outputs_are_sensitive() -> None:
    assert package_resources() == set(SENSITIVE)


@pytest.mark.parametrize("kind", list(SENSITIVE), ids=lambda kind: kind.__qualname__)
def test_sensitive_outputs_are_registered_as_secret_outputs(
    kind: type[pulumi.Resource], asked_secret: dict[str, list[str]]
) -> None:
    make, sensitive = SENSITIVE[kind]
    build(make)
    asked = set(asked_secret["r"])
    assert sensitive <= asked, f"not kept secret: {sorted(sensitive - asked)}"
    # A misspelt name would protect nothing: each one is an output the resource has.
    assert asked <= declared_outputs(kind)


def test_a_render_services_env_vars_are_secret_outputs_even_when_given_as_plain_values(
    asked_secret: dict[str, list[str]],
) -> None:
    # A plain env var can hold a linked secret (a connection string): the state must not show
    # it, whether or not the program marked the input secret.
    plain = {"DATABASE_URL": "postgresql://u:pw@db/app", "LOG_LEVEL": "info"}
    build(lambda: render.Service("api", name="api", type="web", env_vars=plain))
    assert {"env_vars", "secret_files"} <= set(asked_secret["api"])
