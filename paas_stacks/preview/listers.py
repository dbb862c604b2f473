"""Listers of the vendor objects that can carry an owner marker, one per marked kind.

The rule that matters here: where a kind keeps its marker is read by that kind's own provider
(``owners`` / ``owners_at``) and every delete goes through its own ``delete`` (which reads the
marker again and refuses another stack's object): this module only lists and names objects.
Credentials come from the environment, as ``pulumi destroy`` reads them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from paas_stacks.errors import CredentialsError, PreviewError, ResourceError, VendorError
from paas_stacks.providers._ownership import Marker
from paas_stacks.providers._resource import VendorProvider
from paas_stacks.providers.fly import AppProvider
from paas_stacks.providers.fly.app import PERSONAL
from paas_stacks.providers.render import EnvGroupProvider, ServiceProvider
from paas_stacks.providers.supabase import ProjectProvider
from paas_stacks.providers.upstash import RedisDatabaseProvider

__all__ = ["SOURCES", "Found", "Source", "Vendors"]

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
