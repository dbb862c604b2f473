"""Programs through the real engine against the sandbox, counting the vendor calls of each step.

Use the ``engine`` fixture (tests/conftest.py): ``run = engine.stack("render-life", program,
config={"variant": "v1"})`` gives an :class:`EngineRun`; ``run.up()``, ``run.refresh()``,
``run.destroy()`` return the engine's result plus the sandbox calls made meanwhile.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi import automation as auto

from sandbox import Sandbox

VENDORS = ("render", "fly", "supabase", "upstash")


@dataclass
class Calls:
    """Vendor requests made during one engine operation: ``{"render": {"GET": 3, ...}}``."""

    by_vendor: dict[str, dict[str, int]]

    def writes(self, vendor: str | None = None) -> int:
        vendors = [vendor] if vendor else list(self.by_vendor)
        return sum(
            count
            for name in vendors
            for key, count in self.by_vendor.get(name, {}).items()
            if key in {"POST", "PUT", "PATCH", "DELETE"}
        )

    def routes(self, vendor: str) -> dict[str, int]:
        """Per ``"METHOD /route"`` counts (the sandbox's route templates)."""
        return {k: v for k, v in self.by_vendor.get(vendor, {}).items() if " " in k}


@dataclass
class EngineRun:
    """One stack of an inline program, on the test's file backend, pointed at the sandbox."""

    stack: auto.Stack
    sandbox: Sandbox
    secrets: list[str] = field(default_factory=list)

    def set_config(self, **values: str) -> None:
        for key, value in values.items():
            self.stack.set_config(key, auto.ConfigValue(value))

    def _counted(self, action: Callable[[], Any]) -> tuple[Any, Calls]:
        marks = {v: self.sandbox.log(v).last_seq() for v in VENDORS}
        result = action()
        calls = {v: self.sandbox.log(v).counters(since=marks[v]) for v in VENDORS}
        return result, Calls(calls)

    def up(self, **config: str) -> tuple[auto.UpResult, Calls]:
        self.set_config(**config)
        return self._counted(lambda: self.stack.up(on_output=_quiet, color="never"))

    def preview(self, **config: str) -> tuple[auto.PreviewResult, Calls]:
        self.set_config(**config)
        return self._counted(lambda: self.stack.preview(on_output=_quiet, color="never"))

    def refresh(self) -> tuple[auto.RefreshResult, Calls]:
        return self._counted(lambda: self.stack.refresh(on_output=_quiet, color="never"))

    def destroy(self) -> tuple[auto.DestroyResult, Calls]:
        return self._counted(lambda: self.stack.destroy(on_output=_quiet, color="never"))

    def export(self, show_secrets: bool = False) -> str:
        """``pulumi stack export`` as text, plain or with ``--show-secrets``."""
        args = ["stack", "export", "--stack", self.stack.name]
        if show_secrets:
            args.append("--show-secrets")
        workspace = self.stack.workspace
        done = subprocess.run(
            ["pulumi", *args],
            cwd=workspace.work_dir,
            env={**os.environ, **workspace.env_vars},
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def assert_state_hides(self, secrets: Iterable[str], tokens: Iterable[str]) -> None:
        """No secret value or token in the plain export; no token even with ``--show-secrets``."""
        plain = self.export()
        shown = self.export(show_secrets=True)
        for value in secrets:
            assert value, "an empty secret proves nothing"
            assert value not in plain, "a secret value is in the plain state export"
        for token in tokens:
            assert token not in plain, "an API token is in the plain state export"
            assert token not in shown, "an API token is in the --show-secrets state export"

    def assert_no_leak(self) -> None:
        """The state hides every secret the sandbox holds and every sandbox credential."""
        self.assert_state_hides(handed_out_secrets(self.sandbox), credentials(self.sandbox))

    def outputs(self) -> dict[str, Any]:
        return {k: v.value for k, v in self.stack.outputs().items()}

    def resources(self) -> list[dict[str, Any]]:
        deployment = json.loads(self.export())
        return list(deployment.get("deployment", {}).get("resources", []))


SECRET_WORDS = ("password", "token", "secret", "connection", "db_pass")


def credentials(sandbox: Sandbox) -> list[str]:
    """Every API credential the sandbox accepts (Upstash's as ``email:key`` and the key alone)."""
    found: list[str] = []
    for vendor in VENDORS:
        for credential in sandbox.tokens(vendor):
            found.append(credential)
            if vendor == "upstash":
                found.append(credential.partition(":")[2])
    return found


def handed_out_secrets(sandbox: Sandbox) -> list[str]:
    """Secret values of the objects the sandbox holds now: passwords, tokens, connection strings,
    secret values (long enough not to match by accident)."""
    found: set[str] = set()

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, str(k).lower())
        elif isinstance(value, list):
            for item in value:
                walk(item, key)
        elif isinstance(value, str) and len(value) >= 12 and any(w in key for w in SECRET_WORDS):
            found.add(value)

    for vendor, kind, _count in sandbox.store.kinds():
        if not vendor.startswith("_") and not kind.startswith("_"):
            for document in sandbox.store.all(vendor, kind):
                walk(document)
    return sorted(found)


def changes(result: auto.UpResult | auto.DestroyResult | auto.RefreshResult) -> dict[str, int]:
    """The summary's resource changes without the ``same`` count.

    The stack itself (``pulumi:pulumi:Stack``) is a resource too: it counts in the first ``up``'s
    ``create`` and in ``destroy``'s ``delete``.
    """
    summary = result.summary.resource_changes or {}
    return {k: v for k, v in summary.items() if k != "same"}


def _quiet(_line: str) -> None:
    return None


def differing(now: Mapping[str, object], then: Mapping[str, object]) -> list[str]:
    """The names of the outputs that changed: names only, since the values hold secrets that
    an assertion's diff would print."""
    return sorted(key for key in now.keys() | then.keys() if now.get(key) != then.get(key))
