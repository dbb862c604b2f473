"""Fly App: a globally unique name in one organization.

The rule that matters here: app names are global across every Fly org, so a name that another
org holds is reported as taken (422 ``name_taken``), never silently adopted; an app of the same
name in our own org is adopted only if it is this stack's.

The owner marker is an app secret NAMED ``PAAS_STACKS_OWNER_<TAG>`` (the Machines API keeps no
metadata on apps, and secret values are write-only: a GET shows names and digests). It is
written right after ``POST /apps``, so a lost create answer finds the app unmarked but absent a
moment before, which ``_owned.admit`` accepts as this run's; only a run killed in the instant
between the two calls leaves an app the next run refuses (``adopt_id <name>`` takes it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, final

import pulumi
from pydantic import field_validator

from paas_stacks.errors import ConflictError, ResourceError
from paas_stacks.providers._ownership import Marker, Ownership
from paas_stacks.providers._resource import Inputs, Live, VendorResource
from paas_stacks.providers._wait import Backoff, poll_until
from paas_stacks.providers.fly.base import FlyProvider

__all__ = ["App", "AppInputs", "AppProvider"]

_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
PERSONAL = "personal"
DELETE_WAIT_SECONDS = 60.0


class AppInputs(Inputs):
    name: str
    org: str = PERSONAL

    @field_validator("name")
    @classmethod
    def _valid_name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError(
                "Fly app names are 1-63 lowercase letters, digits and dashes, "
                f"not starting or ending with a dash (got {value!r})"
            )
        return value


def _taken(name: str) -> ResourceError:
    return ResourceError(
        f"Fly app name {name!r} is taken by another organization "
        "(Fly app names are global): pick another name"
    )


@final
class AppProvider(FlyProvider[AppInputs]):
    kind: ClassVar[str] = "Fly App"
    inputs_type: ClassVar[type[Inputs]] = AppInputs
    # The Machines API has no rename or org move: /apps/{app_name} offers only GET and DELETE.
    replace_on: ClassVar[tuple[str, ...]] = ("name", "org")
    ownership: ClassVar[Ownership] = Ownership.MARKED

    def find(self, inputs: AppInputs) -> Live | None:
        try:
            found = self.client.get_app(inputs.name)
        except ConflictError:
            # The app exists in an org this token cannot see: the name is taken, stop before
            # any write (FlyClient reads the 403 of an app read as that conflict).
            raise _taken(inputs.name) from None
        if found is None:
            return None
        slug = _slug(found)
        if inputs.org not in (PERSONAL, slug):
            raise ResourceError(
                f"Fly app name {inputs.name!r} already exists in org {slug!r}, "
                f"not in {inputs.org!r}: app names are global, pick another name"
            )
        return found

    def create_new(self, inputs: AppInputs) -> Live:
        try:
            created = self.client.create_app(inputs.name, inputs.org)
        except ConflictError:
            raise _taken(inputs.name) from None
        ours = Marker.parse(inputs.owner)
        if ours is not None:
            self.claim(inputs.name, created, ours, [])
        return created

    # -- ownership: a secret named after the owner's tag ----------------------------------------
    def owners(self, live: Live) -> list[Marker]:
        return self.owners_at(self.identify(live), {}) or []

    def owners_at(self, id_: str, previous: Mapping[str, Any]) -> list[Marker] | None:
        listed = self.client.list_secrets(id_)
        if listed is None:
            return None
        found = (Marker.from_secret_name(str(entry.get("name") or "")) for entry in listed)
        return [marker for marker in found if marker is not None]

    def claim(self, id_: str, live: Live | None, ours: Marker, others: list[Marker]) -> None:
        values: dict[str, str | None] = {ours.secret_name: str(ours)}
        values.update(dict.fromkeys(m.secret_name for m in others if m.tag != ours.tag))
        self.client.update_secrets(id_, values)

    def fetch(self, id_: str, previous: Mapping[str, Any]) -> Live | None:
        return self.client.get_app(id_)

    def change(
        self, id_: str, inputs: AppInputs, changed: Sequence[str], previous: Mapping[str, Any]
    ) -> Live:
        # Every compared key replaces, so only adoption reaches here, after ``find`` checked the
        # org; what can differ then is the ``personal`` alias against the org it stands for.
        live = self.client.get_app(id_)
        if live is None or set(changed) - {"org"}:
            raise ResourceError(f"Fly app {id_!r}: {', '.join(changed)} cannot change in place")
        return live

    def remove(self, id_: str, previous: Mapping[str, Any]) -> None:
        self.client.delete_app(id_)

        # Deletion is asynchronous (202): wait until the name is free, so a replacement of the
        # same name does not hit ``name_taken``.
        def give_up(_app: Live | None, _waited: float) -> Live | None:
            raise ResourceError(
                f"Fly app {id_!r}: still present {DELETE_WAIT_SECONDS:.0f}s "
                "after DELETE was accepted"
            )

        poll_until(
            lambda: self.client.get_app(id_),
            lambda app: app is None,
            limit=DELETE_WAIT_SECONDS,
            sleep=self.client.pause,
            say=lambda *_: self.progress(f"Fly app {id_!r}: waiting for the deletion to finish"),
            timeout=give_up,
            backoff=Backoff(first=0.2, cap=5.0),
        )

    def identify(self, live: Live) -> str:
        return str(live["name"])

    def observe(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        slug = _slug(live)
        # ``personal`` is an alias of the token's own org: keep the alias while the app stays in
        # the org it resolved to, so a no-op ``up`` sees no change.
        declared = written.get("org", PERSONAL)  # absent input: the default, ``personal``
        known = written.get("org_slug")
        keep_alias = declared == PERSONAL and known in (None, slug)
        return {
            "name": live["name"],
            "org": PERSONAL if keep_alias else slug,
            "org_slug": slug,
            "app_id": str(live.get("id") or live["name"]),
            "hostname": f"{live['name']}.fly.dev",
            "network": live.get("network") or "default",
        }

    def label(self, inputs: Mapping[str, Any], id_: str | None = None) -> str:
        return f"Fly App '{inputs.get('name') or id_ or '?'}'"


def _slug(app: Live) -> str:
    org = app.get("organization") or {}
    return str(org.get("slug") or "")


@final
class App(VendorResource, module="fly", name="App"):
    """A Fly app (the namespace for machines, secrets, volumes and IPs).

    Replaced when ``name`` or ``org`` changes: the Machines API has no rename or move
    (spec: ``/apps/{app_name}`` has only GET and DELETE).
    """

    name: pulumi.Output[str]
    org: pulumi.Output[str]
    org_slug: pulumi.Output[str]
    app_id: pulumi.Output[str]
    hostname: pulumi.Output[str]
    network: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        org: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = {"name": name, "org": org, "adopt_id": adopt_id}
        outputs = ("org_slug", "app_id", "hostname", "network")
        super().__init__(AppProvider(), resource_name, inputs, outputs=outputs, opts=opts)
