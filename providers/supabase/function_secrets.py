"""Edge Function secrets of a project: values go in, only their SHA-256 digests come back.

The rule that matters here: drift is judged on digests. ``GET .../secrets`` answers each name
with the SHA-256 of its value (what the CLI shows as DIGEST), so the declared values are hashed
and compared with it; the values themselves are kept only as secret outputs. Only declared names
are owned: a name dropped from the program is deleted, names set by others are left alone. When
every owned secret was deleted by hand, the resource reads as gone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, final

import pulumi
from pydantic import Field, field_validator

from paas_stacks.providers._resource import Inputs, Live, VendorResource, is_unknown
from paas_stacks.providers.supabase.common import ProjectChildInputs, ProjectChildProvider
from paas_stacks.providers.supabase.ownership import is_owner_secret


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class FunctionSecretsInputs(ProjectChildInputs):
    values: dict[str, str] = Field(default_factory=dict)

    @field_validator("values")
    @classmethod
    def _names(cls, values: dict[str, str]) -> dict[str, str]:
        for name, value in values.items():
            if not name or len(name) > 256:
                raise ValueError(f"secret name {name!r} must be 1-256 characters")
            if name.upper().startswith("SUPABASE_"):
                raise ValueError(
                    f"secret name {name!r}: names starting with SUPABASE_ are reserved"
                )
            if is_owner_secret(name):
                raise ValueError(f"secret name {name!r} is reserved for the owner marker")
            if len(value) > 24576:
                raise ValueError(f"secret {name!r}: a value may hold at most 24576 characters")
        return values


@final
class FunctionSecretsProvider(ProjectChildProvider):
    kind: ClassVar[str] = "Supabase function secrets"
    inputs_type: ClassVar[type[Inputs]] = FunctionSecretsInputs
    compared: ClassVar[tuple[str, ...]] = ("project_ref", "digests")
    suffix: ClassVar[str] = "secrets"
    secret_inputs: ClassVar[tuple[str, ...]] = ("values",)

    def desired(self, inputs: FunctionSecretsInputs) -> dict[str, Any]:
        digests = {name: digest(value) for name, value in inputs.values.items()}
        return {"project_ref": inputs.project_ref, "digests": digests}

    def changed_keys(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
        if is_unknown(news.get("values")):
            return ["digests"]
        return super().changed_keys(olds, news)

    def create_new(self, inputs: FunctionSecretsInputs) -> Live:
        # POST overwrites existing names, so this also adopts secrets that already exist.
        if inputs.values:
            self.client.put_secrets(inputs.project_ref, inputs.values)
        return self._live(inputs.project_ref)

    def fetch(self, id_: str, previous: Mapping[str, Any]) -> Live | None:
        ref = self.ref_of(id_)
        listed = self.gone_if_missing(lambda: self.client.secrets(ref))
        owned = previous.get("values") or {}
        if listed is None or (owned and not any(entry["name"] in owned for entry in listed)):
            # Every secret we own was deleted by hand: the resource is gone, up recreates it.
            return None
        return {"id": id_, "project_ref": ref, "listed": listed}

    def change(
        self,
        id_: str,
        inputs: FunctionSecretsInputs,
        changed: Sequence[str],
        previous: Mapping[str, Any],
    ) -> Live:
        ref = inputs.project_ref
        observed: Mapping[str, str] = previous.get("digests") or {}
        dropped = [name for name in observed if name not in inputs.values]
        if dropped:
            self.client.delete_secrets(ref, dropped)
        stale = {
            name: value
            for name, value in inputs.values.items()
            if observed.get(name) != digest(value)
        }
        if stale:
            self.client.put_secrets(ref, stale)
        return self._live(ref)

    def remove(self, id_: str, previous: Mapping[str, Any]) -> None:
        names = list(previous.get("digests") or previous.get("values") or {})
        if names:
            self.gone_if_missing(lambda: self.client.delete_secrets(self.ref_of(id_), names))

    def observe(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        owned: Mapping[str, str] = written.get("values") or {}
        listed = {str(entry["name"]): str(entry.get("value")) for entry in live["listed"]}
        present = [name for name in owned if name in listed]
        return {
            "project_ref": live["project_ref"],
            # From the vendor: drift (changed or deleted by hand) shows up here.
            "digests": {name: listed[name] for name in present},
            # Write-only: what we last sent, for the names that still exist.
            "values": {name: owned[name] for name in present},
        }

    def _live(self, ref: str) -> Live:
        return {"id": self.child_id(ref), "project_ref": ref, "listed": self.client.secrets(ref)}


@final
class FunctionSecrets(VendorResource, module="supabase", name="FunctionSecrets"):
    """Edge Function secrets (name -> value) of a project; values are secret everywhere.

    Replaced when changed: ``project_ref``. Values change in place (POST .../secrets
    overwrites); names dropped from ``values`` are deleted (DELETE .../secrets).
    """

    project_ref: pulumi.Output[str]
    values: pulumi.Output[dict[str, str]]
    digests: pulumi.Output[dict[str, str]]

    def __init__(
        self,
        resource_name: str,
        *,
        project_ref: pulumi.Input[str],
        values: pulumi.Input[Mapping[str, pulumi.Input[str]]],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = {"project_ref": project_ref, "values": pulumi.Output.secret(values)}
        super().__init__(
            FunctionSecretsProvider(),
            resource_name,
            inputs,
            outputs=("digests",),
            secret_outputs=("values", "digests"),
            opts=opts,
        )
