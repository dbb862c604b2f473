"""Project API keys: the legacy ``anon``/``service_role`` JWTs and the new ``sb_*`` keys.

Legacy keys are HS256 JWTs signed with the project's own JWT secret, claims
``{iss: "supabase", ref, role, iat, exp}``, always shown in full (as the real API does). New-style
``sb_secret_...`` keys are masked unless ``reveal=true``; ``sb_publishable_...`` keys are public.
New projects start with one ``default`` publishable and one ``default`` secret key.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from typing import Annotated, Any

import jwt
from fastapi import APIRouter, Query

from sandbox.supabase.auth import Caller, CallerDep
from sandbox.supabase.errors import ApiError, not_found
from sandbox.supabase.models import CreateApiKeyBody, UpdateApiKeyBody
from sandbox.supabase.state import (
    API_KEY,
    VENDOR,
    Doc,
    children,
    iso,
    load_project,
    save_project,
)

router = APIRouter()
TEN_YEARS = 10 * 365 * 24 * 3600
Reveal = Annotated[bool, Query()]


def _legacy(project: Doc, role: str, now: float) -> Doc:
    claims = {
        "iss": "supabase",
        "ref": project["ref"],
        "role": role,
        "iat": int(now),
        "exp": int(now) + TEN_YEARS,
    }
    token = jwt.encode(claims, project["jwt_secret"], algorithm="HS256")
    return {
        "id": role,
        "type": "legacy",
        "name": role,
        "api_key": token,
        "prefix": None,
        "description": f"Legacy {role} API key",
        "hash": None,
        "secret_jwt_template": None,
        "inserted_at": None,
        "updated_at": None,
    }


def _new_key(kind: str, name: str, description: str | None, now: float) -> Doc:
    random = secrets.token_urlsafe(24)[:22]
    value = f"sb_{kind}_{random}_{hashlib.sha256(random.encode()).hexdigest()[:8]}"
    template = {"role": "service_role"} if kind == "secret" else None
    return {
        "id": str(uuid.uuid4()),
        "type": kind,
        "name": name,
        "api_key": value,
        "prefix": value[: len(f"sb_{kind}_") + 4],
        "description": description,
        "hash": hashlib.sha256(value.encode()).hexdigest(),
        "secret_jwt_template": template,
        "inserted_at": iso(now),
        "updated_at": iso(now),
    }


def _save(caller: Caller, ref: str, key: Doc) -> Doc:
    doc = {**key, "ref": ref, "key": f"{ref}/{key['id']}"}
    caller.ctx.store.put(VENDOR, API_KEY, doc["key"], caller.org, doc)
    return doc


def create_default_keys(caller: Caller, project: Doc) -> None:
    now = caller.ctx.now()
    for key in (
        _legacy(project, "anon", now),
        _legacy(project, "service_role", now),
        _new_key("publishable", "default", None, now),
        _new_key("secret", "default", None, now),
    ):
        _save(caller, project["ref"], key)


def view(key: Doc, reveal: bool) -> dict[str, Any]:
    """ApiKeyResponse; a secret key's value is its prefix and bullets unless revealed."""
    shown = {name: value for name, value in key.items() if name not in ("ref", "key")}
    if key["type"] == "secret" and not reveal:
        shown["api_key"] = f"{key['prefix']}{'•' * 16}"
    return shown


def _load_key(caller: Caller, ref: str, key_id: str) -> Doc:
    load_project(caller, ref)
    key = caller.ctx.store.get(VENDOR, API_KEY, f"{ref}/{key_id}", owner=caller.org)
    if key is None:
        raise not_found("API key")
    return key


@router.get("/v1/projects/{ref}/api-keys")
def list_keys(ref: str, who: CallerDep, reveal: Reveal = False) -> list[dict[str, Any]]:
    load_project(who, ref)
    return [view(key, reveal) for key in children(who, API_KEY, ref)]


@router.post("/v1/projects/{ref}/api-keys", status_code=201)
def create_key(
    ref: str, body: CreateApiKeyBody, who: CallerDep, reveal: Reveal = False
) -> dict[str, Any]:
    load_project(who, ref)
    # UNCONFIRMED: the real API's answer to a duplicate name; the sandbox refuses it with 409.
    if any(key["name"] == body.name for key in children(who, API_KEY, ref)):
        raise ApiError(409, f"API key with name {body.name} already exists")
    key = _new_key(body.type, body.name, body.description, who.ctx.now())
    if body.type == "secret" and body.secret_jwt_template is not None:
        key["secret_jwt_template"] = body.secret_jwt_template
    return view(_save(who, ref, key), reveal)


# Registered before ``/api-keys/{key_id}``: otherwise ``legacy`` is taken for a key id (a PUT
# there answered 405).
@router.get("/v1/projects/{ref}/api-keys/legacy")
def get_legacy_keys(ref: str, who: CallerDep) -> dict[str, bool]:
    """Whether the ``anon``/``service_role`` JWT keys are enabled (``LegacyApiKeysResponse``)."""
    return {"enabled": bool(load_project(who, ref).get("legacy_api_keys_enabled", True))}


@router.put("/v1/projects/{ref}/api-keys/legacy")
def set_legacy_keys(ref: str, who: CallerDep, enabled: Annotated[bool, Query()]) -> dict[str, bool]:
    """Enable or disable the legacy keys. Bookkeeping: the keys stay listed and signed (what
    disabling does to requests that present them is the platform's gateway, not modelled)."""
    project = load_project(who, ref)
    project["legacy_api_keys_enabled"] = enabled
    save_project(who, project)
    return {"enabled": enabled}


@router.get("/v1/projects/{ref}/api-keys/{key_id}")
def get_key(ref: str, key_id: str, who: CallerDep, reveal: Reveal = False) -> dict[str, Any]:
    return view(_load_key(who, ref, key_id), reveal)


@router.patch("/v1/projects/{ref}/api-keys/{key_id}")
def update_key(
    ref: str, key_id: str, body: UpdateApiKeyBody, who: CallerDep, reveal: Reveal = False
) -> dict[str, Any]:
    key = _load_key(who, ref, key_id)
    if key["type"] == "legacy":
        raise ApiError(400, "Legacy API keys cannot be updated")
    key.update(body.model_dump(exclude_unset=True))
    key["updated_at"] = iso(who.ctx.now())
    return view(_save(who, ref, key), reveal)


@router.delete("/v1/projects/{ref}/api-keys/{key_id}")
def delete_key(ref: str, key_id: str, who: CallerDep, reveal: Reveal = False) -> dict[str, Any]:
    # ``was_compromised`` and ``reason`` are accepted and have no further effect here.
    key = _load_key(who, ref, key_id)
    if key["type"] == "legacy":
        raise ApiError(400, "Legacy API keys cannot be deleted")
    who.ctx.store.delete(VENDOR, API_KEY, key["key"])
    return view(key, reveal)
