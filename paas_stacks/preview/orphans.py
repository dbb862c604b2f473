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

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from paas_stacks.errors import CredentialsError, OwnershipError, ResourceError, VendorError
from paas_stacks.preview.plan import PreviewError
from paas_stacks.preview.pulumi_cli import Pulumi
from paas_stacks.providers._ownership import Marker, Verdict, judge
from paas_stacks.providers._resource import VendorProvider
from paas_stacks.providers.fly import AppProvider
from paas_stacks.providers.fly.app import PERSONAL
from paas_stacks.providers.render import EnvGroupProvider, ServiceProvider
from paas_stacks.providers.supabase import ProjectProvider
from paas_stacks.providers.upstash import RedisDatabaseProvider

__all__ = [
    "OWNER_TAG",
    "OWNER_TYPE",
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

Live = dict[str, Any]
Provider = VendorProvider[Any, Any]


@dataclass(frozen=True)
class Found:
    """One vendor object and the owner markers it carries (none: nobody's)."""

    vendor: str
    kind: str
    id: str
    name: str
    markers: tuple[Marker, ...]

    def line(self, what: str, why: str = "") -> str:
        """``<what>: <vendor> <kind> <id> '<name>'``: ids and names only, never a value (``why``
        is an error line, which the HTTP layer redacted)."""
        said = f"{what}: {self.vendor} {self.kind} {self.id} {self.name!r}"
        return f"{said}: {why}" if why else said


@dataclass(frozen=True)
class Source:
    """How one marked kind is listed: its provider, its list call, its id and name, its markers.

    ``markers`` is the provider's own reading (``owners`` or ``owners_at``): the rule of where a
    kind keeps its marker lives with the kind, never here."""

    vendor: str
    kind: str
    provider: type[Provider]
    listing: Callable[[Any, frozenset[str]], Iterable[Live]]
    ident: Callable[[Live], tuple[str, str]]
    markers: Callable[[Any, Live], list[Marker] | None]


def _render(path: str, wrapper: str | None) -> Callable[[Any, frozenset[str]], list[Live]]:
    def listing(provider: Any, _orgs: frozenset[str]) -> list[Live]:
        params = {"ownerId": provider.client.owner_id()}
        return list(provider.client.list_all(path, params, wrapper))

    return listing


def _fly_apps(provider: Any, orgs: frozenset[str]) -> list[Live]:
    apps: dict[str, Live] = {}
    for org in sorted(orgs):
        apps.update((str(app["name"]), app) for app in provider.client.list_apps(org))
    return list(apps.values())


def _by_id(provider: Any, live: Live) -> list[Marker] | None:
    markers: list[Marker] | None = provider.owners_at(str(live["id"]), {})
    return markers


def _id_name(id_key: str, name_key: str) -> Callable[[Live], tuple[str, str]]:
    return lambda live: (str(live[id_key]), str(live.get(name_key) or ""))


SOURCES: tuple[Source, ...] = (
    Source(
        "Render",
        "service",
        ServiceProvider,
        _render("/services", "service"),
        _id_name("id", "name"),
        _by_id,  # the env vars are not in the list: one read per service
    ),
    Source(
        "Render",
        "env group",
        EnvGroupProvider,
        _render("/env-groups", None),
        _id_name("id", "name"),
        _by_id,
    ),
    Source(
        "Supabase",
        "project",
        ProjectProvider,
        lambda provider, _orgs: provider.client.list_projects(),
        _id_name("ref", "name"),
        lambda provider, live: provider.owners(live),  # the creating name counts too
    ),
    Source(
        "Upstash",
        "Redis database",
        RedisDatabaseProvider,
        lambda provider, _orgs: provider.client.list_databases(),
        _id_name("database_id", "database_name"),
        lambda provider, live: provider.owners(live),
    ),
    Source(
        "Fly",
        "app",
        AppProvider,
        _fly_apps,
        _id_name("name", "name"),
        lambda provider, live: provider.owners_at(str(live["name"]), {}),
    ),
)


@dataclass
class Vendors:
    """The providers the orphan search reaches, one per source, with credentials from the
    environment (as ``pulumi destroy`` reads them); a vendor without credentials is skipped
    with a note, since nothing of it can have been made from this environment."""

    sources: tuple[Source, ...] = SOURCES
    fly_orgs: frozenset[str] = frozenset({PERSONAL})
    #: Ready clients by vendor name (tests); otherwise each provider's own, from the environment.
    clients: Mapping[str, Any] = field(default_factory=dict)
    #: Lines to show once: vendors skipped, searches that failed.
    notes: list[str] = field(default_factory=list)
    #: A search or delete that failed at the vendor: the stack must be kept to try again.
    failed: bool = False
    _providers: dict[str, Provider | None] = field(default_factory=dict)

    def take_notes(self) -> list[str]:
        notes, self.notes = self.notes, []
        return notes

    def provider(self, source: Source) -> Provider | None:
        if source.kind not in self._providers:
            made: Provider = source.provider()
            if source.vendor in self.clients:
                made.use(self.clients[source.vendor])
            try:
                _ = made.client
            except CredentialsError:
                self.notes.append(f"{source.vendor} {source.kind}s: no credentials, not searched")
                self._providers[source.kind] = None
            else:
                self._providers[source.kind] = made
        return self._providers[source.kind]

    def scan(self) -> list[Found]:
        """Every object of every reachable source, with its markers."""
        found: list[Found] = []
        for source in self.sources:
            provider = self.provider(source)
            if provider is None:
                continue
            try:
                found += self._listed(source, provider)
            except (VendorError, ResourceError) as exc:
                self.failed = True
                self.notes.append(f"{source.vendor} {source.kind}s: NOT searched ({exc})")
        return found

    def _listed(self, source: Source, provider: Provider) -> list[Found]:
        found: list[Found] = []
        for live in source.listing(provider, self.fly_orgs):
            object_id, name = source.ident(live)
            try:
                markers = source.markers(provider, live)
            except (VendorError, ResourceError) as exc:
                # One object whose marker cannot be read (a paused Supabase project answers no
                # secrets) is said and skipped; failing the whole search for it would keep every
                # preview forever for an object that is most likely somebody else's.
                unread = Found(source.vendor, source.kind, object_id, name, ())
                self.notes.append(unread.line("owner marker unreadable, skipped", str(exc)))
                continue
            if markers is not None:  # None: gone between the list and the read
                found.append(Found(source.vendor, source.kind, object_id, name, (*markers,)))
        return found

    def delete(self, found: Found, owner: Marker) -> None:
        """Through the provider's own ``delete``: it re-reads the marker and refuses another's."""
        source = next(s for s in self.sources if (s.vendor, s.kind) == (found.vendor, found.kind))
        provider = self.provider(source)
        if provider is None:  # never: it was listed through this very provider
            raise PreviewError(f"{found.vendor}: no credentials to delete {found.id}")
        provider.delete(found.id, {"owner": str(owner), "name": found.name})


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
