"""Fly app secrets: a name -> value map this resource owns on one app.

The rule that matters here: Fly never returns a value, only a ``digest`` per name, and its digest
algorithm is not documented (spec: ``AppSecret.digest`` is a bare string; the sandbox README calls
it UNCONFIRMED), so drift is the live digest differing from the digest Fly answered when we last
wrote the value. A drifted value is reported as not matching, and the next ``up`` writes it again.
Only declared names are owned: secrets set by hand under other names are left alone.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, final

import pulumi
from pydantic import field_validator

from paas_stacks.errors import NotFoundError
from paas_stacks.providers._ownership import reserved
from paas_stacks.providers._resource import Inputs, Live, VendorResource
from paas_stacks.providers.fly.base import FlyProvider

__all__ = ["DRIFTED", "Secrets", "SecretsInputs", "SecretsProvider"]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Stands in for a value changed outside Pulumi (we cannot know what it now is).
DRIFTED = "(changed outside pulumi)"


class SecretsInputs(Inputs):
    app: str
    values: dict[str, str]

    @field_validator("values")
    @classmethod
    def _names(cls, value: dict[str, str]) -> dict[str, str]:
        bad = sorted(name for name in value if not _NAME.match(name))
        if bad:
            raise ValueError(f"secret names are environment variable names (got {bad})")
        if taken := reserved(value):
            raise ValueError(f"{taken} are reserved for the owner marker; rename them")
        return value


@final
class SecretsProvider(FlyProvider[SecretsInputs]):
    kind: ClassVar[str] = "Fly Secrets"
    inputs_type: ClassVar[type[Inputs]] = SecretsInputs
    # Secrets belong to an app; there is no move (paths are /apps/{app_name}/secrets).
    replace_on: ClassVar[tuple[str, ...]] = ("app",)
    delete_first: ClassVar[bool] = False
    secret_inputs: ClassVar[tuple[str, ...]] = ("values",)

    def find(self, inputs: SecretsInputs) -> Live | None:
        # Existing names are taken over; their values are unknown, so ``_converge`` rewrites
        # them (an observed value never equals a declared one without a recorded digest).
        listed = self.client.list_secrets(inputs.app)
        return None if listed is None else {"app": inputs.app, "secrets": listed}

    def create_new(self, inputs: SecretsInputs) -> Live:
        return self._write(inputs, {})

    def fetch(self, id_: str, previous: Mapping[str, Any]) -> Live | None:
        app = id_.partition("/")[0]
        listed = self.client.list_secrets(app)
        return None if listed is None else {"app": app, "secrets": listed}

    def change(
        self, id_: str, inputs: SecretsInputs, changed: Sequence[str], previous: Mapping[str, Any]
    ) -> Live:
        return self._write(inputs, dict(previous.get("values") or {}))

    def remove(self, id_: str, previous: Mapping[str, Any]) -> None:
        app = id_.partition("/")[0]
        owned = dict(previous.get("values") or {})
        if not owned:
            return
        # A 404: the app, and its secrets with it, is already gone.
        with contextlib.suppress(NotFoundError):
            self.client.update_secrets(app, dict.fromkeys(owned))

    def identify(self, live: Live) -> str:
        return f"{live['app']}/secrets"

    def observe(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        """``values`` holds each declared name whose live digest is the one we wrote."""
        declared: Mapping[str, str] = written.get("values") or {}
        recorded: Mapping[str, str] = written.get("digests") or {}
        digests = {s["name"]: str(s.get("digest") or "") for s in live["secrets"]}
        values: dict[str, str] = {}
        for name, value in declared.items():
            if name not in digests:
                continue  # deleted by hand: missing from the outputs, so it is written again
            # Right after our write (create/update) nothing is recorded yet and the live digest
            # is the fresh one; on read it must still be the digest recorded then.
            unchanged = recorded.get(name, digests[name]) == digests[name]
            values[name] = value if unchanged else DRIFTED
        owned = sorted(values)
        return {
            "app": live["app"],
            "names": owned,
            "values": values,
            "digests": {name: digests[name] for name in owned},
        }

    def label(self, inputs: Mapping[str, Any], id_: str | None = None) -> str:
        return f"Fly Secrets of app '{inputs.get('app') or (id_ or '?').partition('/')[0]}'"

    def _write(self, inputs: SecretsInputs, before: Mapping[str, str]) -> Live:
        """One call: set new or changed values, delete names no longer declared (null)."""
        update: dict[str, str | None] = {
            name: value for name, value in inputs.values.items() if before.get(name) != value
        }
        update.update(dict.fromkeys(set(before) - set(inputs.values)))
        if not update:
            return {"app": inputs.app, "secrets": self.client.list_secrets(inputs.app) or []}
        answer = self.client.update_secrets(inputs.app, update)
        return {"app": inputs.app, "secrets": list(answer.get("secrets") or [])}


@final
class Secrets(VendorResource, module="fly", name="Secrets"):
    """Secrets of a Fly app (names this resource declares; others are left alone).

    Replaced when ``app`` changes. ``values`` and ``digests`` are secret in state; ``names`` is
    plain. A changed value takes effect in machines at their next update or restart (as on Fly).
    """

    app: pulumi.Output[str]
    names: pulumi.Output[list[str]]
    values: pulumi.Output[dict[str, str]]
    digests: pulumi.Output[dict[str, str]]

    def __init__(
        self,
        resource_name: str,
        *,
        app: pulumi.Input[str],
        values: pulumi.Input[Mapping[str, pulumi.Input[str]]],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = {"app": app, "values": pulumi.Output.secret(values)}
        super().__init__(
            SecretsProvider(),
            resource_name,
            inputs,
            outputs=("names", "digests"),
            secret_outputs=("values", "digests"),
            opts=opts,
        )
