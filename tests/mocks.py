"""Pulumi mocks that record every resource, with plausible outputs for the ones we use.

Use :func:`build`: ``program = build(lambda: WebService(...))`` runs the function under mocks,
waits for every registration, and returns a :class:`Built` with the recorded resources and the
function's return value resolved (Outputs inside dicts/lists are resolved too).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.runtime import mocks as pulumi_mocks

DYNAMIC = "pulumi-python:dynamic/"
#: The stack's owner (``paas_stacks.providers.owner``): one per program that declares a vendor
#: resource, at the top of the stack, not inside any component.
OWNER = f"{DYNAMIC}owner:StackOwner"
#: The marker the mocked owner reports.
MARKER_TAG = "0123456789ab"


@dataclass
class MockResource:
    type: str
    name: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    provider: str | None


def _dynamic(kind: str) -> str:
    return f"{DYNAMIC}{kind}"


def _fake_outputs(typ: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """What a vendor would report; only the keys components read."""
    vendor_name = inputs.get("name") or name
    fakes: dict[str, dict[str, Any]] = {
        _dynamic("render:Service"): {
            "url": f"https://{vendor_name}.onrender.com",
            "slug": vendor_name,
        },
        _dynamic("render:Postgres"): {
            "internal_connection_string": f"postgresql://u:pw-{name}@dpg-{name}-a/db",
            "external_connection_string": f"postgresql://u:pw-{name}@dpg-{name}.render.com/db",
            "password": f"pw-{name}",
        },
        _dynamic("render:KeyValue"): {
            "internal_connection_string": f"redis://red-{name}:6379",
            "external_connection_string": f"rediss://default:pw-{name}@red-{name}.render.com:6379",
        },
        _dynamic("supabase:Project"): {
            "ref": f"ref{name}",
            "api_url": f"https://ref{name}.supabase.co",
            "anon_key": f"anon-{name}",
            "service_role_key": f"service-{name}",
            "database_password": f"pw-{name}",
            "database_host": f"db.ref{name}.supabase.co",
            "database_url": f"postgresql://postgres:pw-{name}@db.ref{name}.supabase.co:5432/postgres",
            "pooler_url": f"postgresql://postgres.ref{name}:pw-{name}@pooler.supabase.com:6543/postgres",
        },
        _dynamic("supabase:Branch"): {
            "ref": f"br{name}",
            "branch_id": f"id-{name}",
            "api_url": f"https://br{name}.supabase.co",
            "anon_key": f"anon-{name}",
            "service_role_key": f"service-{name}",
            "database_password": f"pw-{name}",
            "jwt_secret": f"jwt-{name}",
            "database_host": f"db.br{name}.supabase.co",
            "database_url": f"postgresql://postgres:pw-{name}@db.br{name}.supabase.co:5432/postgres",
            "pooler_url": f"postgresql://postgres.br{name}:pw-{name}@pooler.supabase.com:6543/postgres",
        },
        _dynamic("upstash:RedisDatabase"): {
            "endpoint": f"{name}.upstash.io",
            "port": 6379,
            "password": f"pw-{name}",
            "redis_url": f"rediss://default:pw-{name}@{name}.upstash.io:6379",
        },
        _dynamic("fly:App"): {"hostname": f"{vendor_name}.fly.dev"},
        _dynamic("fly:Certificate"): {
            "status": "pending_validation",
            "issued": False,
            "cname_target": f"{inputs.get('app')}.fly.dev",
            "acme_challenge_name": f"_acme-challenge.{inputs.get('hostname')}",
            "acme_challenge_target": f"{inputs.get('hostname')}.abc123.flydns.net",
            "ownership_name": f"_fly-ownership.{inputs.get('hostname')}",
            "ownership_value": "app-0123456789ab",
        },
        _dynamic("generated:GeneratedSecret"): {"value": f"generated-{name}"},
        OWNER: {"marker": f"{inputs.get('stack')}#{MARKER_TAG}", "salt": "00" * 32},
    }
    return fakes.get(typ, {})


@dataclass
class RecordingMocks(pulumi.runtime.Mocks):
    """Records each registration; outputs are the inputs plus the fakes above."""

    resources: list[MockResource] = field(default_factory=list)
    extra_outputs: dict[str, Callable[[str, dict[str, Any]], dict[str, Any]]] = field(
        default_factory=dict
    )

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        inputs = dict(args.inputs)
        outputs = {**inputs, **_fake_outputs(args.typ, args.name, inputs)}
        if args.typ in self.extra_outputs:
            outputs.update(self.extra_outputs[args.typ](args.name, inputs))
        self.resources.append(MockResource(args.typ, args.name, inputs, outputs, args.provider))
        return f"{args.name}-id", outputs

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, []

    # -- queries for tests ----------------------------------------------------------------------
    def of_type(self, typ: str) -> list[MockResource]:
        """``"upstash:RedisDatabase"`` (our dynamic kinds) or a full type token."""
        return [r for r in self.resources if r.type in (typ, _dynamic(typ))]

    def one(self, typ: str, name: str | None = None) -> MockResource:
        found = [r for r in self.of_type(typ) if name is None or r.name == name]
        assert len(found) == 1, f"expected one {typ} {name or ''}, found {[r.name for r in found]}"
        return found[0]

    def types(self) -> list[str]:
        return sorted(r.type for r in self.resources)


@dataclass
class Built:
    mocks: RecordingMocks
    value: Any


def build(
    program: Callable[[], Any],
    *,
    config: dict[str, str] | None = None,
    stack: str = "test",
    project: str = "paas-stacks",
    preview: bool = False,
    mocks: RecordingMocks | None = None,
) -> Built:
    """Run ``program`` under fresh mocks (or ``mocks``, e.g. a subclass answering invokes) and
    return what it registered and returned."""
    recorder = mocks or RecordingMocks()
    _ensure_event_loop()
    pulumi.runtime.set_mocks(recorder, project=project, stack=stack, preview=preview)
    pulumi.runtime.set_all_config(config or {}, [])
    result: dict[str, Any] = {}

    @pulumi_mocks.test  # type: ignore[untyped-decorator]
    def run() -> Any:
        returned = program()
        return pulumi.Output.from_input(_outputs_only(returned)).apply(
            lambda value: result.__setitem__("value", value)
        )

    try:
        run()
    finally:
        pulumi.runtime.set_all_config({}, [])
    return Built(recorder, result.get("value"))


def _ensure_event_loop() -> None:
    """Pulumi's mocks run on the thread's current loop; ``asyncio.run`` elsewhere (an earlier
    test) leaves none set, so set a fresh one rather than fail in an unrelated test."""
    try:
        asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:
        asyncio.set_event_loop(asyncio.new_event_loop())


def _outputs_only(value: Any) -> Any:
    """Resources are not inputs; keep plain data, Outputs and containers of them."""
    if isinstance(value, pulumi.Resource):
        return None
    if isinstance(value, dict):
        return {k: _outputs_only(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_outputs_only(v) for v in value]
    return value
