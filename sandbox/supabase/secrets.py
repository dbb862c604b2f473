"""Edge Function secrets: names may not start with ``SUPABASE_``; values are never shown back.

The spec says only ``[{name, value, updated_at?}]``. The Supabase CLI prints this ``value`` in a
column headed DIGEST, so the sandbox returns the SHA-256 hex digest of the value (UNCONFIRMED
beyond that) and stores nothing else: the plain value is never kept.
"""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, Response

from sandbox.supabase.auth import Caller, CallerDep
from sandbox.supabase.errors import bad_request
from sandbox.supabase.models import SecretBody
from sandbox.supabase.state import SECRET, VENDOR, children, iso, load_project

router = APIRouter()
PATH = "/v1/projects/{ref}/secrets"


@router.get(PATH)
def list_secrets(ref: str, who: CallerDep) -> list[dict[str, str]]:
    load_project(who, ref)
    return [
        {"name": doc["name"], "value": doc["digest"], "updated_at": doc["updated_at"]}
        for doc in children(who, SECRET, ref)
    ]


def check_names(names: list[str]) -> None:
    """One bad name refuses the whole batch."""
    bad = [name for name in names if name.startswith("SUPABASE_")]
    if bad:
        raise bad_request(f"Env var name cannot start with SUPABASE_: {bad[0]}")


def store_secrets(who: Caller, ref: str, values: dict[str, str]) -> None:
    """Keep only each value's digest; existing names are overwritten."""
    now = iso(who.ctx.now())
    for name, value in values.items():
        digest = hashlib.sha256(value.encode()).hexdigest()
        key = f"{ref}/{name}"
        doc = {"key": key, "ref": ref, "name": name, "digest": digest, "updated_at": now}
        who.ctx.store.put(VENDOR, SECRET, key, who.org, doc)


@router.post(PATH)
def create_secrets(ref: str, body: list[SecretBody], who: CallerDep) -> Response:
    """All or nothing: one bad name refuses the whole batch. Existing names are overwritten."""
    load_project(who, ref)
    check_names([secret.name for secret in body])
    store_secrets(who, ref, {secret.name: secret.value for secret in body})
    return Response(status_code=201)


@router.delete(PATH)
def delete_secrets(ref: str, body: list[str], who: CallerDep) -> Response:
    """Unknown names are ignored, so a retried delete succeeds."""
    load_project(who, ref)
    for name in body:
        who.ctx.store.delete(VENDOR, SECRET, f"{ref}/{name}")
    return Response(status_code=200)
