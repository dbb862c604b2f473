"""Orphans of a preview stack: vendor objects that carry its owner marker but are not in its state.

The rule that matters here: an object is deleted only when its markers are judged this stack's
(``_ownership.judge``, the rule the providers apply) AND its id is nowhere in the stack's state;
an object another stack marked, or one with no marker, is never touched, and the delete itself
goes through the provider's ``delete``, which reads the marker again before it writes.

Where an orphan comes from: a create whose answer was lost in a run killed before the state was
written, or a state that was lost. ``pulumi destroy`` cannot see either. The owner tag comes
from the stack's state (the ``StackOwner``'s plain ``marker``). Without a state it cannot be
derived (the tag is an HMAC under a salt kept only in that state), so a removed preview's
objects are found by the whole marker that some kinds keep readable
(``<org>/<project>/pr-N#tag``: Render services and env groups); they are REPORTED with their tag,
never deleted on that evidence, because a same-named stack of another backend (two clones on
file backends are both ``organization/paas-stacks/pr-3``) carries the same stack id. Deleting
them takes the tag given explicitly (``orphans --pr N --owner-tag TAG --delete``).

Where each kind keeps its marker (what is searched): Render services and env groups, an env var
with the whole marker; Supabase projects, a function secret named after the tag (or the
creating name ``<name> (paas-stacks <tag>)``); Upstash databases, the name suffix ``-ps-<tag>``;
Fly apps, a secret named after the tag. Render Postgres and Key Value keep none
(``UNMARKABLE``), so their orphans cannot be found by anyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from paas_stacks.errors import OwnershipError, PreviewError, ResourceError
from paas_stacks.preview.listers import SOURCES, Found, Source, Vendors
from paas_stacks.preview.pulumi_cli import Pulumi
from paas_stacks.providers._ownership import Marker, Verdict, judge
from paas_stacks.providers.fly.app import PERSONAL

__all__ = [
    "OWNER_TAG",
    "OWNER_TYPE",
    "SOURCES",
    "Found",
    "Source",
    "StateView",
    "Vendors",
    "clean",
    "read_state",
    "state_of",
    "unclaimed",
]

#: The frozen type token of ``providers.owner.StackOwner`` (tests/unit/test_type_tokens.py).
OWNER_TYPE = "pulumi-python:dynamic/owner:StackOwner"
FLY_APP_TYPE = "pulumi-python:dynamic/fly:App"
#: The stack tag that keeps a preview's owner tag while it is being destroyed.
OWNER_TAG = "paas:owner-tag"


@dataclass(frozen=True)
class StateView:
    """What a stack's state says about ownership: its marker, and every object id it holds."""

    stack: str
    marker: Marker | None
    ids: frozenset[str] = frozenset()
    fly_orgs: frozenset[str] = frozenset({PERSONAL})

    def clean(self, vendors: Vendors, *, delete: bool) -> list[str]:
        """This stack's orphans, found (and with ``delete``, deleted): one line each."""
        if self.marker is None:
            return [
                f"{self.stack}: no owner marker (no state, or never updated): its orphans "
                "cannot be found without --owner-tag (the `python -m paas_stacks.preview sweep` "
                "report lists the tags of removed previews)"
            ]
        vendors.fly_orgs = vendors.fly_orgs | self.fly_orgs
        return clean(vendors, self.marker, self.ids, delete=delete)


def read_state(stack: str, exported: Mapping[str, Any]) -> StateView:
    """From ``pulumi stack export``: the ``StackOwner``'s marker (plain, not secret) and the ids.

    A state whose ``StackOwner`` is gone (a destroy that got that far) still names its marker in
    every vendor resource's ``owner`` input, so those are read too."""
    deployment = exported.get("deployment") or {}
    resources = list(deployment.get("resources") or [])
    markers = [
        Marker.parse((resource.get("outputs") or {}).get("marker"))
        for resource in resources
        if resource.get("type") == OWNER_TYPE
    ] + [Marker.parse((resource.get("inputs") or {}).get("owner")) for resource in resources]
    marker = next((found for found in markers if found is not None), None)
    ids = frozenset(str(resource["id"]) for resource in resources if resource.get("id"))
    orgs = {
        str((resource.get("inputs") or {}).get("org") or PERSONAL)
        for resource in resources
        if resource.get("type") == FLY_APP_TYPE
    }
    return StateView(stack, marker, ids, frozenset({PERSONAL, *orgs}))


def state_of(
    pulumi: Pulumi, stack: str, owner_tag: str | None = None, *, remember: bool = False
) -> StateView:
    """Preview ``stack``'s owner: from its state, or ``owner_tag`` when the state is gone (a tag
    that contradicts the state's is refused: it would be another stack's).

    ``remember`` keeps the tag as the stack tag ``paas:owner-tag`` too: a destroy empties the
    state, so if the orphans cannot all be deleted and the stack is kept, the next try still
    knows its owner."""
    view = _recorded(pulumi, stack, remember=remember) if pulumi.exists(stack) else None
    if owner_tag is None:
        return view or StateView(stack, None)
    given = Marker.parse(f"#{owner_tag}")
    if given is None:
        raise PreviewError(f"--owner-tag must be 12 lowercase hex digits; got {owner_tag!r}")
    if view is None or view.marker is None:
        return StateView(stack, given, view.ids if view else frozenset())
    if view.marker.tag != given.tag:
        raise PreviewError(
            f"--owner-tag {given.tag} is not {stack}'s: its state records owner tag "
            f"{view.marker.tag}; drop --owner-tag to clean this stack's own orphans"
        )
    return view


def _recorded(pulumi: Pulumi, stack: str, *, remember: bool) -> StateView:
    view = read_state(stack, pulumi.export(stack))
    kept = pulumi.tags(stack).get(OWNER_TAG)
    if view.marker is None:
        return replace(view, marker=Marker.parse(f"#{kept}") if kept else None)
    if view.marker.stack is not None and view.marker.stack.rsplit("/", 1)[-1] != stack:
        raise PreviewError(
            f"{stack}: its state carries the owner marker of stack {view.marker.stack} (a copied "
            "state file): refusing to act on that stack's objects from this one"
        )
    if remember and kept != view.marker.tag:
        pulumi.set_tag(stack, OWNER_TAG, view.marker.tag)
    return view


def orphans_of(found: Iterable[Found], owner: Marker, in_state: frozenset[str]) -> list[Found]:
    """The objects ``owner``'s markers make its own that its state does not hold."""
    return [
        item
        for item in found
        if judge(item.markers, owner)[0] is Verdict.OURS and item.id not in in_state
    ]


def clean(vendors: Vendors, owner: Marker, in_state: frozenset[str], *, delete: bool) -> list[str]:
    """Find (and with ``delete``, delete) ``owner``'s orphans; one line per object, and one per
    object that could not be deleted (the others still go)."""
    lines: list[str] = []
    for orphan in orphans_of(vendors.scan(), owner, in_state):
        if not delete:
            lines.append(orphan.line("orphan found"))
            continue
        try:
            vendors.delete(orphan, owner)
        except OwnershipError as exc:  # re-read: no longer this stack's, so not an orphan
            lines.append(orphan.line("orphan NOT deleted", str(exc)))
        except ResourceError as exc:  # one line each; the rest still go
            vendors.failed = True
            lines.append(orphan.line("orphan NOT deleted", str(exc)))
        else:
            lines.append(orphan.line("orphan deleted"))
    return [*vendors.take_notes(), *lines]


def unclaimed(vendors: Vendors, project: str, live_stacks: Iterable[str]) -> list[str]:
    """Marked objects of this project's previews whose stack the backend no longer has.

    Reported, not deleted: the whole marker names the stack, but only the lost salt could prove
    the object is this backend's stack's and not a same-named stack's elsewhere. Each group's tag
    is given, and with it every kind that keeps only the tag (Upstash, Fly, Supabase) is found."""
    alive = {name.rsplit("/", 1)[-1] for name in live_stacks}
    found = vendors.scan()
    gone: dict[str, str] = {}  # tag -> stack id, from the readable whole markers
    for item in found:
        for marker in item.markers:
            if marker.stack is None:
                continue
            _org, _, rest = marker.stack.partition("/")
            their_project, _, stack = rest.partition("/")
            if their_project == project and stack.startswith("pr-") and stack not in alive:
                gone[marker.tag] = marker.stack
    lines = vendors.take_notes()
    for tag, stack in sorted(gone.items(), key=lambda pair: pair[1]):
        pr = stack.rsplit("/pr-", 1)[-1]
        for item in found:
            if any(marker.tag == tag for marker in item.markers):
                lines.append(item.line(f"orphan of removed stack {stack} (owner tag {tag})"))
        lines.append(
            f"{stack} is gone from this backend; if it was this repository's, delete its "
            f"orphans with `python -m paas_stacks.preview orphans --pr {pr} --owner-tag {tag} "
            "--delete`"
        )
    return lines
