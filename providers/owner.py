"""Who owns a stack's vendor objects: one ``StackOwner`` per stack, its marker on every object.

The rule that matters here: the marker is ``<organization>/<project>/<stack>#<tag>``, where the
tag is an HMAC of the stack's id under a random salt drawn once and kept (secret) in the stack's
STATE. Two stacks of different names differ by the id; two same-named stacks on two backends
(two teammates' local ``staging``) differ by the salt, since each state drew its own. A run of
this stack that was killed or lost an answer still finds its marker, because the state keeps
the salt. The salt never leaves the state; the marker is not secret (vendors show it).

A state that turns up under another stack id (a copied state file, or ``pulumi stack rename``)
is refused in ``check``, before any vendor call, unless the stack's config names the old id in
``paas-stacks:renamed-from``: then the salt and the marker stay, so a renamed stack still owns
its objects.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
import weakref
from typing import Any, final

import pulumi
from pulumi import dynamic
from pulumi.runtime import settings

from paas_stacks.providers._ownership import Marker
from paas_stacks.providers._resource import is_unknown

__all__ = ["RENAMED_FROM", "StackOwner", "StackOwnerProvider", "stack_id", "stack_owner"]

#: ``pulumi config set paas-stacks:renamed-from <org>/<project>/<old stack>`` after a rename.
RENAMED_FROM = "renamed-from"
RESOURCE_NAME = "paas-stacks-owner"


def stack_id() -> str:
    """``<organization>/<project>/<stack>`` of the program that is running."""
    # A file backend's organization is "organization"; unit-test mocks may leave it unset.
    organization = pulumi.get_organization() or "organization"
    return f"{organization}/{pulumi.get_project()}/{pulumi.get_stack()}"


def tag_of(salt: str, origin: str) -> str:
    digest = hmac.new(bytes.fromhex(salt), origin.encode(), hashlib.sha256).hexdigest()
    return digest[: Marker.TAG_LENGTH]


def _refusal(recorded: str, now: str) -> str:
    return (
        f"paas-stacks owner: this state was made by stack {recorded}, not {now} (a copied "
        "state file, or a renamed stack): a copy must not act on the original's vendor "
        f"objects; after `pulumi stack rename` only, run `pulumi config set "
        f"paas-stacks:{RENAMED_FROM} {recorded}` to keep owning them"
    )


@final
class StackOwnerProvider(dynamic.ResourceProvider):
    """Draws the salt on create; every later operation keeps it (no HTTP at all)."""

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.CheckResult:
        recorded, now = olds.get("stack"), news.get("stack")
        failures = []
        if (
            isinstance(recorded, str)
            and isinstance(now, str)
            and not is_unknown(now)
            and recorded != now
            and news.get("renamed_from") != recorded
        ):
            failures.append(dynamic.CheckFailure("stack", _refusal(recorded, now)))
        return dynamic.CheckResult(news, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.DiffResult:
        changed = [key for key in ("stack",) if olds.get(key) != news.get(key)]
        return dynamic.DiffResult(changes=bool(changed), replaces=[])

    def create(self, props: dict[str, Any]) -> dynamic.CreateResult:
        origin = str(props["stack"])
        salt = secrets.token_hex(32)
        marker = Marker(tag_of(salt, origin), origin)
        outs = {"stack": origin, "origin": origin, "salt": salt, "marker": str(marker)}
        return dynamic.CreateResult(id_=f"owner-{uuid.uuid4().hex}", outs=outs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.UpdateResult:
        # Only an acknowledged rename gets here (check refuses the rest): the salt, origin and
        # marker stay, so the objects marked before the rename are still this stack's.
        return dynamic.UpdateResult(outs={**olds, "stack": news["stack"]})

    def read(self, id_: str, props: dict[str, Any]) -> dynamic.ReadResult:
        return dynamic.ReadResult(id_=id_, outs=props)  # the salt lives only in state

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None


@final
class StackOwner(dynamic.Resource, module="owner", name="StackOwner"):
    """The stack's owner marker (``marker``, plain) and the salt behind it (``salt``, secret)."""

    stack: pulumi.Output[str]
    origin: pulumi.Output[str]
    salt: pulumi.Output[str]
    marker: pulumi.Output[str]

    def __init__(self, resource_name: str, *, stack: str, renamed_from: str | None) -> None:
        props = {
            "stack": stack,
            "renamed_from": renamed_from,
            "origin": None,
            "salt": None,
            "marker": None,
        }
        opts = pulumi.ResourceOptions(additional_secret_outputs=["salt"])
        super().__init__(StackOwnerProvider(), resource_name, props, opts)


# One owner per running program: unit tests run many programs in one process, each with its own
# RPC manager, so the owner is remembered per manager, not per process.
_OWNERS: weakref.WeakKeyDictionary[Any, StackOwner] = weakref.WeakKeyDictionary()


def stack_owner() -> pulumi.Output[str]:
    """The running stack's marker, declaring its ``StackOwner`` on first use."""
    key = settings.SETTINGS.rpc_manager
    owner = _OWNERS.get(key)
    if owner is None:
        renamed = pulumi.Config("paas-stacks").get(RENAMED_FROM)
        owner = StackOwner(RESOURCE_NAME, stack=stack_id(), renamed_from=renamed)
        _OWNERS[key] = owner
    return owner.marker
