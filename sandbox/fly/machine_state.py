"""Machine documents and their lazy state machine.

A transition stores the state to show now (``starting``...) plus ``next_state``/``next_at``; the
first read after ``next_at`` settles it and records the event. Nothing runs in the background,
so a restart of the sandbox loses nothing and delays are honoured across it. A settled
transition may plan the next one (``machine_task``: a one-off machine exits, then auto-destroys),
dated from the previous one, so the timeline does not depend on when it is read.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from sandbox.core.context import VendorContext
from sandbox.fly import machine_task
from sandbox.fly.errors import not_found
from sandbox.fly.util import iso, machine_id, ulid

V = "fly"
DEFAULT_REGION = "iad"  # Fly picks the region nearest the caller; the sandbox's "near" is iad.
SETTLED = frozenset({"started", "stopped", "suspended", "failed", "destroyed"})
_RUNNING = frozenset({"starting", "started", "updating", "restarting", "replacing", "stopping"})
_SUMMARY_DROPS = ("config", "incomplete_config", "checks", "events", "nonce", "host_status")
_WORDS = ("quiet", "bold", "misty", "sunny", "little", "ancient", "silent", "lively")
_NOUNS = ("river", "meadow", "frost", "sky", "forest", "dawn", "leaf", "thunder")


def image_ref(image: str) -> dict[str, Any]:
    """Split ``[registry/]repository[:tag][@digest]`` the way Fly reports ``image_ref``."""
    rest, _, digest = image.partition("@")
    first, slash, remainder = rest.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        registry, rest = first, remainder
    else:
        registry = "docker-hub-mirror.fly.io"
        rest = rest if "/" in rest else f"library/{rest}"
    repository, _, tag = rest.partition(":")
    digest = digest or "sha256:" + hashlib.sha256(image.encode()).hexdigest()
    return {
        "registry": registry,
        "repository": repository,
        "tag": tag or "latest",
        "digest": digest,
        "labels": {},
    }


def _event(
    kind: str, status: str, at: float, source: str, request: dict[str, Any] | None = None
) -> dict[str, Any]:
    event = {
        "id": ulid(at),
        "type": kind,
        "status": status,
        "source": source,
        "timestamp": int(at * 1000),
    }
    if request is not None:
        event["request"] = request
    return event


def record(ctx: VendorContext, doc: dict[str, Any], kind: str, status: str, source: str) -> None:
    """Show ``status`` now and log the event (newest first, as Fly lists them)."""
    at = ctx.now()
    doc["m"]["state"] = status
    doc["m"]["updated_at"] = iso(at)
    doc["m"]["events"] = [_event(kind, status, at, source), *doc["m"]["events"]][:20]


def schedule(ctx: VendorContext, doc: dict[str, Any], state: str, kind: str) -> None:
    """Reach ``state`` after the configured machine delay (event ``kind`` marks it)."""
    _plan(doc, (state, kind, ctx.now() + ctx.delays.machine, None))


def _plan(doc: dict[str, Any], step: machine_task.Step) -> None:
    # The event request travels with the transition so a restart of the sandbox keeps it too.
    doc["next_state"], doc["next_kind"], doc["next_at"], doc["next_request"] = step


def settle(ctx: VendorContext, doc: dict[str, Any]) -> dict[str, Any]:
    """Apply every due transition (and persist them) before anyone looks at the machine.

    A transition may plan the next one (a task machine's command exits, then it auto-destroys),
    each dated from the previous one, so a late reader sees the same history as a prompt one.
    """
    settled = False
    while doc.get("next_state") and ctx.now() >= doc["next_at"]:
        _apply(ctx, doc)
        settled = True
    if settled:
        ctx.store.put(V, "machine", doc["key"], doc["org"], doc)
    return doc


def _apply(ctx: VendorContext, doc: dict[str, Any]) -> None:
    state, kind, at = doc["next_state"], doc["next_kind"], doc["next_at"]
    doc["next_state"] = None
    doc["m"]["state"] = state
    doc["m"]["updated_at"] = iso(at)
    event = _event(kind, state, at, "flyd", doc.get("next_request"))
    doc["m"]["events"] = [event, *doc["m"]["events"]][:20]
    if state == "destroyed":
        doc["destroyed"] = True  # auto_destroy: gone from listings, like a DELETE
    config = doc["m"].get("config") or {}
    if step := machine_task.follow_up(config, state, kind, at, ctx.delays.machine):
        _plan(doc, step)


def new_machine(
    ctx: VendorContext, org: str, app: str, config: dict[str, Any], *, name: str | None, region: str
) -> dict[str, Any]:
    mid, now = machine_id(), ctx.now()
    n = ctx.store.next_number("fly/machine")
    org_hash = hashlib.sha256(org.encode()).hexdigest()[:4]
    machine = {
        "id": mid,
        "name": name or f"{secrets.choice(_WORDS)}-{secrets.choice(_NOUNS)}-{n}",
        "state": "created",
        "region": region,
        "instance_id": ulid(now),
        "private_ip": f"fdaa:0:{org_hash}:a7b:{n % 65536:x}:{secrets.token_hex(2)}:0:2",
        "config": config,
        "image_ref": image_ref(str(config.get("image", ""))),
        "events": [],
        "checks": [],
        "host_status": "ok",
        "created_at": iso(now),
        "updated_at": iso(now),
    }
    version = {"version": machine["instance_id"], "user_config": config}
    return {
        "key": mid,
        "app": app,
        "org": org,
        "destroyed": False,
        "next_state": None,
        "m": machine,
        "versions": [version],
    }


def save(ctx: VendorContext, doc: dict[str, Any]) -> dict[str, Any]:
    return ctx.store.put(V, "machine", doc["key"], doc["org"], doc)


def load(ctx: VendorContext, org: str, app: str, mid: str, live: bool = False) -> dict[str, Any]:
    """A machine of ``app`` (settled); ``live`` refuses destroyed ones as not found."""
    doc = ctx.store.get(V, "machine", mid, owner=org)
    if doc is None or doc["app"] != app:
        raise not_found("machine")
    settle(ctx, doc)  # first: an auto_destroy may be due, and then it is gone for actions too
    if live and doc["destroyed"]:
        raise not_found("machine")
    return doc


def view(doc: dict[str, Any], summary: bool = False) -> dict[str, Any]:
    machine = dict(doc["m"])
    for key in _SUMMARY_DROPS if summary else ():
        machine.pop(key, None)
    return machine


def is_running(doc: dict[str, Any]) -> bool:
    """Started, or on its way there (a created machine with a pending launch counts)."""
    return doc["m"]["state"] in _RUNNING or doc.get("next_state") in ("started", "stopped")


def reached(state: str, targets: set[str]) -> bool:
    return state in targets or ("settled" in targets and state in SETTLED)


def auto_destroy_exit(machine: dict[str, Any]) -> dict[str, Any] | None:
    """The ``exit`` event a task machine logged just before flyd auto-destroyed it, if it was."""
    events = machine["events"]
    if len(events) >= 2 and events[0]["type"] == "destroy" and events[0]["source"] == "flyd":
        return events[1] if events[1]["type"] == "exit" else None
    return None
