"""The sweeper's Supabase half: ``pr-<N>`` branches of a base's project whose PR is closed or
whose age passed the TTL are deleted, even when their preview stack is gone (a stack removed
without ``destroy``, a run killed mid-way: its branch may still carry the tagged name
``pr-<N>-ps-<tag>``).

The rule that matters here: only a ``pr-<N>`` branch is ever considered, never the default
branch, and a persistent branch is deleted only when it carries a paas-stacks owner marker (a
preview made it persistent); one made by hand or another tool is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from paas_stacks.components.spec import SupabasePostgresSpec, load_stack
from paas_stacks.preview.databases import base_project_refs
from paas_stacks.preview.plan import pr_number, require_base
from paas_stacks.preview.pulumi_cli import Pulumi
from paas_stacks.providers._ownership import Marker
from paas_stacks.providers.supabase import BranchProvider, SupabaseClient
from paas_stacks.providers.supabase.ownership import secret_markers

__all__ = ["stale_reason", "sweep_base_branches", "sweep_branches"]


def stale_reason(
    branch: dict[str, Any], open_prs: set[int] | None, now: datetime, ttl_days: int
) -> str | None:
    """Why ``branch`` (a BranchResponse) is to be deleted, or ``None`` to keep it."""
    # A run killed before its rename left the owner's tag on the name (``pr-3-ps-<tag>``).
    declared = Marker.split_name(str(branch.get("name") or ""))[0]
    number = pr_number(declared)
    if number is None or branch.get("is_default"):
        return None
    if open_prs is not None and number not in open_prs:
        return f"PR #{number} is not open"
    created = _time(branch.get("created_at"))
    if created is not None and now - created > timedelta(days=ttl_days):
        return f"created {(now - created).days} days ago, older than the TTL of {ttl_days} days"
    return None


def sweep_branches(
    client: SupabaseClient,
    parents: Iterable[str],
    open_prs: set[int] | None,
    now: datetime,
    ttl_days: int,
) -> list[str]:
    """Delete the stale ``pr-<N>`` branches of each parent project; one line per branch."""
    remover = BranchProvider()
    remover.use(client)
    done = []
    for parent in dict.fromkeys(parents):
        for branch in client.list_branches(parent):
            why = stale_reason(branch, open_prs, now, ttl_days)
            if why is None:
                continue
            if branch.get("persistent") and not secret_markers(
                client.secrets(str(branch["project_ref"]))
            ):
                done.append(
                    f"branch {branch['name']} of {parent}: kept ({why}, but it is persistent "
                    "and paas-stacks did not make it)"
                )
                continue
            remover.remove(f"{parent}/{branch['project_ref']}", {})
            done.append(f"branch {branch['name']} of {parent}: deleted ({why})")
    return done


def sweep_base_branches(
    pulumi: Pulumi,
    stacks_dir: Path,
    bases: Sequence[str],
    *,
    open_prs: set[int] | None,
    now: datetime,
    ttl_days: int,
) -> list[str]:
    """``sweep --base``: the stale ``pr-<N>`` branches of each base's Supabase projects (found
    as ``prepare`` finds them), deleted; nothing to do without a base."""
    parents: list[str] = []
    for base in bases:
        spec = load_stack(require_base(base), stacks_dir, check_secrets=False)
        parents += base_project_refs(pulumi, base, spec).values()
        parents += [
            db.branch.parent_ref
            for db in spec.postgres.values()
            if isinstance(db, SupabasePostgresSpec) and db.branch is not None
        ]
    if not parents:
        return []
    return sweep_branches(SupabaseClient.from_config(None), parents, open_prs, now, ttl_days)


def _time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
