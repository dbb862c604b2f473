"""Run the project's own program (``__main__.py``) under mocks with a seed stack's config, and
read back what it declared: the checklist tests of ``test_seed_*.py`` share this.

``deploy(stack)`` validates ``stacks/Pulumi.<stack>.yaml`` with ``load_stack``, then runs
``__main__.py`` the way ``pulumi up`` would: the stack's own ``paas-stacks:environment`` object
as JSON config (``extends`` is resolved by the program from the stack files on disk) and a
made-up value for every secret config key the stack references. It returns the recorded
resources, the resolved stack outputs, which outputs are secret, the program's globals, and each
resource's options as declared (``protect``, ``depends_on``: the mock monitor does not see them),
recorded by a stack transformation.
"""

from __future__ import annotations

import contextlib
import json
import runpy
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import yaml
from pulumi.runtime import rpc, settings
from pulumi.runtime.stack import Stack

from paas_stacks.components.spec import EnvironmentSpec, load_stack
from paas_stacks.providers.generated import encode
from tests.mocks import DYNAMIC, MockResource, RecordingMocks, build

ROOT = Path(__file__).resolve().parents[3]
STACKS = ROOT / "stacks"
MAIN = ROOT / "__main__.py"
GET_ZONE = "cloudflare:index/getZone:getZone"
ZONE_ID = "zone-seed"


def _generated(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """A drawn value as the provider encodes it (fixed bytes: the tests compare shapes)."""
    del name
    drawn = bytes(range(int(inputs["length_bytes"])))
    return {"value": encode(drawn, inputs["encoding"])}


def _seed_outputs() -> dict[str, Callable[[str, dict[str, Any]], dict[str, Any]]]:
    return {f"{DYNAMIC}generated:GeneratedSecret": _generated}


@dataclass
class SeedMocks(RecordingMocks):
    """Records resources, draws generated secrets (the shared mocks report no ``value``) and
    answers Cloudflare's zone lookup (a stack with a domain needs it)."""

    extra_outputs: dict[str, Callable[[str, dict[str, Any]], dict[str, Any]]] = field(
        default_factory=_seed_outputs
    )
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        self.calls.append((args.token, dict(args.args)))
        if args.token == GET_ZONE:
            return {"id": ZONE_ID, "name": args.args["filter"]["name"]}, []
        return {}, []


@dataclass(frozen=True)
class Declared:
    """A resource as the program declared it: what mocks do not see (its options)."""

    type: str
    name: str
    protect: bool
    #: Pulumi names of the resources in its ``depends_on``.
    depends_on: set[str]


@dataclass
class Deployed:
    """What one run of ``__main__.py`` declared and exported."""

    stack: str
    #: The validated environment (``load_stack``, extends resolved).
    spec: EnvironmentSpec
    mocks: SeedMocks
    #: Stack outputs, resolved to plain values.
    outputs: dict[str, Any]
    #: Names of the stack outputs that are secret.
    secret_outputs: set[str]
    #: The program's module globals after it ran (``environment``, ``spec``, ``left_out``).
    program: dict[str, Any]
    #: The config keys given made-up secret values (``paas-stacks:<key>``).
    secret_keys: list[str]
    #: Every resource as declared (options included), in declaration order.
    declared: list[Declared]

    def of_type(self, typ: str) -> list[MockResource]:
        return self.mocks.of_type(typ)

    def one(self, typ: str, name: str | None = None) -> MockResource:
        return self.mocks.one(typ, name)

    def inputs(self, typ: str, name: str | None = None) -> dict[str, Any]:
        """The resource's inputs with every secret marker removed (values kept), without the
        dynamic provider's pickled ``__provider`` and the stack's ``owner`` marker (the same on
        every resource; tests/unit/providers/test_ownership.py is about it)."""
        found = unwrap(self.one(typ, name).inputs)
        return {key: value for key, value in found.items() if key not in ("__provider", "owner")}

    def names(self, typ: str) -> list[str]:
        return sorted(r.name for r in self.of_type(typ))

    def env_vars(self, service: str) -> dict[str, Any]:
        """The env vars of the Render service of component ``service``, unwrapped."""
        return dict(unwrap(self.one("render:Service", f"{service}-service").inputs["env_vars"]))

    def types(self) -> set[str]:
        return {r.type for r in self.mocks.resources}

    def protected(self) -> set[str]:
        """Pulumi names of every declared resource with ``protect`` set."""
        return {d.name for d in self.declared if d.protect}

    def waits_for(self, typ: str, name: str) -> set[str]:
        """The names of the resources ``name`` (of type ``typ``) declares it depends on."""
        found = [d for d in self.declared if d.name == name and d.type == typ]
        assert len(found) == 1, f"expected one {typ} {name}, found {len(found)}"
        return found[0].depends_on


def own_environment(stack: str) -> dict[str, Any]:
    """The stack file's own ``paas-stacks:environment`` object, as ``pulumi config`` holds it."""
    document = yaml.safe_load((STACKS / f"Pulumi.{stack}.yaml").read_text(encoding="utf-8"))
    raw = document["config"]["paas-stacks:environment"]
    assert isinstance(raw, dict)
    return raw


def referenced_secret_keys(spec: EnvironmentSpec) -> list[str]:
    """Every ``paas-stacks:<key>`` the stack reads with ``require_secret``."""
    keys = [key for secrets in spec.secrets.values() for key in secrets.from_config.values()]
    for store in spec.object_stores.values():
        keys += [k for k in (store.access_key_from_config, store.secret_key_from_config) if k]
    return sorted(set(keys))


def dummy(key: str) -> str:
    """The made-up value a secret config key gets in these tests."""
    return f"seed-{key}-value"


def deploy(stack: str, extra_config: Mapping[str, str] | None = None) -> Deployed:
    """Validate the stack file, then run ``__main__.py`` under mocks with its config (plus
    ``extra_config``, e.g. ``paas-stacks:offline``)."""
    spec = load_stack(stack, STACKS, check_secrets=False)
    keys = referenced_secret_keys(spec)
    config = {"paas-stacks:environment": json.dumps(own_environment(stack))}
    config.update({f"paas-stacks:{key}": dummy(key) for key in keys})
    config.update(extra_config or {})
    globals_: dict[str, Any] = {}
    declared: list[Declared] = []

    def record(args: pulumi.ResourceTransformationArgs) -> None:
        opts = args.opts or pulumi.ResourceOptions()
        needs = opts.depends_on if isinstance(opts.depends_on, list) else []
        names = {r.pulumi_resource_name for r in needs if isinstance(r, pulumi.Resource)}
        declared.append(Declared(args.type_, args.name, bool(opts.protect), names))

    def program() -> dict[str, Any]:
        root = settings.get_root_resource()
        assert isinstance(root, Stack)
        # The mock root stack outlives a build: start from no exports and our recorder only.
        root.outputs.clear()
        root._transformations = [record]
        globals_.update(runpy.run_path(str(MAIN)))
        exported = dict(root.outputs)
        flags = {name: _secretness(value) for name, value in exported.items()}
        return {"outputs": exported, "secret": flags}

    mocks = SeedMocks()
    # The program reads ``stacks/`` and the migrations folders relative to the project root.
    try:
        with contextlib.chdir(ROOT):
            built = build(program, config=config, stack=stack, mocks=mocks)
    finally:
        root = settings.get_root_resource()
        if root is not None:
            root._transformations = []
    value = built.value
    secret = {name for name, flag in value["secret"].items() if flag}
    return Deployed(stack, spec, mocks, value["outputs"], secret, globals_, keys, declared)


def _secretness(value: Any) -> pulumi.Output[bool]:
    """Whether an exported value is secret, as an Output resolved with the others."""
    output: pulumi.Output[Any] = pulumi.Output.from_input(value)
    answer: Awaitable[bool] = output.is_secret()
    return pulumi.Output.from_input(answer)


# -- secret values as the mock monitor receives them --------------------------------------------
def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(rpc._special_sig_key) == rpc._special_secret_sig


def unwrap(value: Any) -> Any:
    """``value`` with every secret marker (at any depth) replaced by what it wraps."""
    if is_secret(value):
        return unwrap(value["value"])
    if isinstance(value, dict):
        return {key: unwrap(item) for key, item in value.items()}
    if isinstance(value, list):
        return [unwrap(item) for item in value]
    return value


def stack_file_lists(stack: str) -> list[str]:
    """The config keys the stack file's header says to set once (``#   key key ...`` lines
    under ``Secrets to set once``); empty when it says none."""
    lines = (STACKS / f"Pulumi.{stack}.yaml").read_text(encoding="utf-8").splitlines()
    keys: list[str] = []
    listing = False
    for line in lines:
        if not line.startswith("#"):
            break
        if "Secrets to set once" in line:
            listing = True
            continue
        if listing and line.startswith("#   "):
            keys += line[1:].split()
        elif listing:
            listing = False
    return sorted(keys)
