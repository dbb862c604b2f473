"""Where a Supabase project carries its owner: an Edge Function secret NAMED after the owner's tag.

The rule that matters here: a project cannot be marked before it exists and is healthy (its
secrets live with it), so it is CREATED under a name that carries the tag,
``<name> (paas-stacks <tag>)``, and renamed to the declared name only once the secret
``PAAS_STACKS_OWNER_<TAG>`` is written. A run killed while the project came up leaves the tagged
name behind, which the next run recognises as its own. Secret values are write-only (GET answers
a digest), so the tag is in the secret's name; its value is the whole marker, for Edge Functions
that want to know their stack.
"""

from __future__ import annotations

import re
from typing import Any

from paas_stacks.providers._ownership import OWNER_VAR, Marker
from paas_stacks.providers.supabase.client import SupabaseClient

__all__ = ["CREATING", "claim", "creating_name", "secret_markers", "split_creating"]

CREATING = re.compile(r"^(?P<name>.+) \(paas-stacks (?P<tag>[0-9a-f]{12})\)$")
#: What the creating name adds to the declared one.
CREATING_EXTRA = len(" (paas-stacks 0123456789ab)")


def creating_name(name: str, ours: Marker | None) -> str:
    return name if ours is None else f"{name} (paas-stacks {ours.tag})"


def split_creating(name: str) -> tuple[str, Marker | None]:
    """``(declared name, owner)`` of a project name, the owner only while it is being created."""
    match = CREATING.match(name)
    return (match["name"], Marker(match["tag"])) if match else (name, None)


def secret_markers(secrets: list[dict[str, Any]]) -> list[Marker]:
    found = (Marker.from_secret_name(str(entry.get("name") or "")) for entry in secrets)
    return [marker for marker in found if marker is not None]


def claim(client: SupabaseClient, ref: str, ours: Marker, others: list[Marker]) -> None:
    """Write our marker secret; remove other owners' (a deliberate ``adopt_id`` takeover)."""
    client.put_secrets(ref, {ours.secret_name: str(ours)})
    stale = [marker.secret_name for marker in others if marker.tag != ours.tag]
    if stale:
        client.delete_secrets(ref, stale)


def is_owner_secret(name: str) -> bool:
    return name.upper().startswith(OWNER_VAR)
