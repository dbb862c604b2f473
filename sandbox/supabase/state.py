"""Where Supabase objects live in the shared store, and the lookups every route shares.

A project is one document (kind ``project``, id = its ref) owned by its organization's slug;
everything hanging off a project (API keys, secrets, configs) carries ``ref`` so deleting the
project can sweep it. Config documents use "_" kinds: they are settings, not objects a user made.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sandbox.supabase.auth import Caller
from sandbox.supabase.errors import not_found

VENDOR = "supabase"
PROJECT = "project"
API_KEY = "api_key"
SECRET = "secret"  # noqa: S105 - a store kind, not a credential
AUTH_CONFIG = "_auth_config"
POSTGRES_CONFIG = "_postgres_config"
NETWORK = "_network_restrictions"
POSTGREST_CONFIG = "_postgrest_config"
#: A branch of a project (id = its uuid, ``parent_ref``); a preview branch's own project is a
#: ``project`` document too, marked with ``branch_id``.
BRANCH = "branch"
ACTION_RUN = "action_run"
PROJECT_CHILDREN = (
    API_KEY,
    SECRET,
    AUTH_CONFIG,
    POSTGRES_CONFIG,
    NETWORK,
    POSTGREST_CONFIG,
    ACTION_RUN,
)

Doc = dict[str, Any]


def iso(timestamp: float) -> str:
    """ISO-8601 UTC with milliseconds and a Z, as the real API prints timestamps."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def load_project(caller: Caller, ref: str) -> Doc:
    """The caller's project, or 404 (another organization's project is just as unknown)."""
    project = caller.ctx.store.get(VENDOR, PROJECT, ref, owner=caller.org)
    if project is None:
        raise not_found("Project")
    return project


def save_project(caller: Caller, project: Doc) -> None:
    caller.ctx.store.put(VENDOR, PROJECT, project["ref"], caller.org, project)


def children(caller: Caller, kind: str, ref: str) -> list[Doc]:
    return caller.ctx.store.all(VENDOR, kind, owner=caller.org, where=lambda d: d["ref"] == ref)


def delete_children(caller: Caller, ref: str) -> None:
    for kind in PROJECT_CHILDREN:
        for doc in children(caller, kind, ref):
            caller.ctx.store.delete(VENDOR, kind, doc["key"])


def get_setting(caller: Caller, kind: str, ref: str) -> Doc | None:
    doc = caller.ctx.store.get(VENDOR, kind, ref, owner=caller.org)
    return None if doc is None else dict(doc["value"])


def put_setting(caller: Caller, kind: str, ref: str, value: Doc) -> None:
    caller.ctx.store.put(VENDOR, kind, ref, caller.org, {"key": ref, "ref": ref, "value": value})
