"""Taking previews down: ``destroy`` one preview stack (its objects, then its orphans, then the
stack), ``sweep`` every preview whose PR is closed or whose time is up.

The rule that matters here: only a ``pr-<number>`` stack is ever destroyed (``require_preview``),
and an orphan is deleted only when it carries that stack's owner marker.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml

from paas_stacks.components.spec.loading import PROJECT
from paas_stacks.errors import PreviewError
from paas_stacks.preview.orphans import Vendors, state_of, unclaimed
from paas_stacks.preview.plan import (
    TAG_CREATED,
    TAG_TTL,
    PreviewStack,
    parse_time,
    require_preview,
    sweep_reasons,
)
from paas_stacks.preview.pulumi_cli import Pulumi


def destroy(pulumi: Pulumi, stacks_dir: Path, stack: str, vendors: Vendors | None = None) -> str:
    """Destroy and remove a preview stack (and its generated file); a missing one is done.

    Its orphans go after the destroy (which holds the stack's lock, so no update of it is
    creating objects meanwhile) and before the stack's removal (its marker is read first)."""
    require_preview(stack)
    path = stacks_dir / f"Pulumi.{stack}.yaml"
    if pulumi.exists(stack):
        owned = state_of(pulumi, stack, remember=True)
        pulumi.run("destroy", "--yes", "--skip-preview", "--stack", stack, show=True)
        vendors = vendors or Vendors()
        found = owned.clean(vendors, delete=True)
        if vendors.failed:
            kept = f"{stack}: destroyed but kept, so the next destroy or sweep retries its orphans"
            raise PreviewError("; ".join([*(line for line in found if "NOT" in line), kept]))
        pulumi.run("stack", "rm", "--yes", "--stack", stack)
        outcome = "\n".join([*found, f"{stack}: destroyed and removed"])
    else:
        outcome = f"{stack}: no such stack; nothing to destroy"
    path.unlink(missing_ok=True)
    return outcome


def sweep(
    pulumi: Pulumi,
    stacks_dir: Path,
    ttl_days: int,
    open_prs: set[int] | None,
    now: datetime,
    *,
    vendors: Vendors | None = None,
) -> list[str]:
    """Destroy each expired or orphaned preview; returns one line per stack it destroyed (and
    per orphan), then the report of marked objects whose preview stack is already gone."""
    vendors = vendors or Vendors()
    previews = []
    for name in pulumi.stacks():
        if not name.rsplit("/", 1)[-1].startswith("pr-"):
            continue  # never even read a non-preview stack's tags
        tags = pulumi.tags(name)
        created = parse_time(tags[TAG_CREATED]) if TAG_CREATED in tags else None
        ttl = int(tags[TAG_TTL]) if tags.get(TAG_TTL, "").isdigit() else None
        previews.append(PreviewStack(name, created, ttl))
    done = []
    for name, why in sweep_reasons(previews, open_prs, now, ttl_days):
        lines = destroy(pulumi, stacks_dir, name, vendors).splitlines()
        done += [*lines[:-1], f"{lines[-1]} ({why})"]
    return done + unclaimed(vendors, _project(pulumi), pulumi.stacks())


def _project(pulumi: Pulumi) -> str:
    """The Pulumi project's name, which every owner marker of its stacks names."""
    path = pulumi.cwd / "Pulumi.yaml"
    loaded = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    found = loaded.get("name") if isinstance(loaded, dict) else None
    return found if isinstance(found, str) else PROJECT
