"""SQL migrations from a folder, applied once each through ``POST .../database/migrations``.

The rule that matters here: a migration runs exactly once. The folder is read in ``check`` into
``files`` (name -> sha256) and ``sources`` (name -> SQL); new names are applied in name order,
each with an ``Idempotency-Key`` of name and digest so a resend after a lost answer is a no-op;
and a file that was applied and then edited is an error naming it and both digests, never a
silent re-run. Deleting the resource (or a file) does not un-apply anything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, final

import pulumi
from pulumi import dynamic
from pydantic import Field

from paas_stacks.errors import ResourceError
from paas_stacks.providers._resource import Inputs, Live, VendorResource, is_unknown
from paas_stacks.providers.supabase.common import ProjectChildInputs, ProjectChildProvider


class MigrationsInputs(ProjectChildInputs):
    folder: str
    #: Filled in by ``check`` from the folder: name -> sha256 hex, and name -> SQL text.
    files: dict[str, str] = Field(default_factory=dict)
    sources: dict[str, str] = Field(default_factory=dict)


def read_folder(folder: str) -> tuple[dict[str, str], dict[str, str]]:
    """The folder's ``*.sql`` files in name order: digests and contents."""
    path = Path(folder)
    if not path.is_dir():
        raise ValueError(f"{folder!r} is not a folder")
    digests, sources = {}, {}
    for file in sorted(path.glob("*.sql"), key=lambda f: f.name):
        data = file.read_bytes()
        try:
            sources[file.name] = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError(f"{file.name} is not UTF-8 text") from None
        digests[file.name] = hashlib.sha256(data).hexdigest()
    return digests, sources


@final
class MigrationsProvider(ProjectChildProvider):
    kind: ClassVar[str] = "Supabase migrations"
    inputs_type: ClassVar[type[Inputs]] = MigrationsInputs
    compared: ClassVar[tuple[str, ...]] = ("project_ref", "files")
    suffix: ClassVar[str] = "migrations"

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.CheckResult:
        folder = news.get("folder")
        if isinstance(folder, str) and not is_unknown(folder):
            try:
                files, sources = read_folder(folder)
            except (OSError, ValueError) as exc:
                failure = dynamic.CheckFailure("folder", f"migrations folder: {exc}")
                return dynamic.CheckResult(news, [failure])
            news = {**news, "files": files, "sources": sources}
        return super().check(olds, news)

    def changed_keys(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
        """``files`` changes only when there is a new file; an edited applied one is an error;
        a file removed from the folder stays applied (and listed) and is no change."""
        if is_unknown(news.get("project_ref")):
            return ["project_ref", "files"]
        # The owner marker is unknown in the preview that first adds a stack's StackOwner (a
        # stack made before markers): it is never compared, so it must not fail the parse.
        inputs = self.parse({k: v for k, v in news.items() if not is_unknown(v) or k != "owner"})
        if inputs.project_ref != olds.get("project_ref"):
            return ["project_ref", "files"]
        if is_unknown(news.get("files")):
            return ["files"]
        applied: Mapping[str, str] = olds.get("files") or {}
        self._refuse_edits(inputs, applied)
        return ["files"] if any(name not in applied for name in inputs.files) else []

    def create_new(self, inputs: MigrationsInputs) -> Live:
        return self._apply_pending(inputs, {})

    def fetch(self, id_: str, previous: Mapping[str, Any]) -> Live | None:
        ref = self.ref_of(id_)
        history = self.gone_if_missing(lambda: self.client.migrations(ref))
        if history is None:
            return None
        return {"id": id_, "project_ref": ref, "history": _names(history)}

    def change(
        self,
        id_: str,
        inputs: MigrationsInputs,
        changed: Sequence[str],
        previous: Mapping[str, Any],
    ) -> Live:
        self._refuse_edits(inputs, previous.get("files") or {})
        return self._apply_pending(inputs, dict(previous.get("files") or {}))

    def remove(self, id_: str, previous: Mapping[str, Any]) -> None:
        # Nothing to undo: Supabase keeps applied migrations (rolling back is a separate,
        # deliberate act: DELETE .../database/migrations?gte=<version>).
        return None

    def observe(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        known: Mapping[str, str] = live.get("digests") or written.get("files") or {}
        history: list[str] = live["history"]
        applied = [name for name in history if name in known]
        return {
            "project_ref": live["project_ref"],
            "files": {name: known[name] for name in applied},
            "applied": applied,
        }

    def _apply_pending(self, inputs: MigrationsInputs, digests: dict[str, str]) -> Live:
        ref = inputs.project_ref
        history = _names(self.client.migrations(ref))
        label = self.label(inputs.model_dump())
        # Name order, always: a property bag does not keep the order ``check`` read them in.
        for name, digest in sorted(inputs.files.items()):
            if name in history:
                # Applied before (by us, or a lost answer we now see): never again.
                digests.setdefault(name, digest)
                continue
            self.progress(f"{label}: applying {name}")
            key = f"paas-stacks:{name}:{digest}"
            self.client.apply_migration(ref, name, inputs.sources[name], key)
            history.append(name)
            digests[name] = digest
        return {
            "id": self.child_id(ref),
            "project_ref": ref,
            "history": history,
            "digests": digests,
        }

    def _refuse_edits(self, inputs: MigrationsInputs, applied: Mapping[str, str]) -> None:
        edited = [
            f"{name} was applied with sha256 {applied[name]} but now has sha256 {digest}"
            for name, digest in inputs.files.items()
            if name in applied and applied[name] != digest
        ]
        if edited:
            raise ResourceError(
                f"{self.label(inputs.model_dump())}: applied migrations changed: "
                + "; ".join(edited)
                + ". An applied migration never runs again: restore the file and put the "
                "change in a new migration file."
            )


def _names(history: list[dict[str, Any]]) -> list[str]:
    """Migration names in the order they were applied (versions are timestamps)."""
    ordered = sorted(history, key=lambda row: str(row.get("version", "")))
    return [str(row["name"]) for row in ordered if row.get("name")]


@final
class Migrations(VendorResource, module="supabase", name="Migrations"):
    """The ``*.sql`` files of ``folder``, applied in name order, each once.

    Replaced when changed: ``project_ref`` (migrations belong to one project's database). An
    edited applied file is refused; deleting the resource does not un-apply anything.
    """

    project_ref: pulumi.Output[str]
    files: pulumi.Output[dict[str, str]]
    applied: pulumi.Output[list[str]]

    def __init__(
        self,
        resource_name: str,
        *,
        project_ref: pulumi.Input[str],
        folder: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        # Absolute, so the provider (whose working directory may differ) reads the same folder.
        where = pulumi.Output.from_input(folder).apply(lambda f: str(Path(f).resolve()))
        inputs = {"project_ref": project_ref, "folder": where}
        super().__init__(
            MigrationsProvider(), resource_name, inputs, outputs=("files", "applied"), opts=opts
        )
