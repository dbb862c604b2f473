"""App secrets. Values are write-only unless ``show_secrets=true``; every change bumps the app's
secrets ``version`` (what ``min_secrets_version`` on machine create/update refers to).

``digest`` is the sha256 hex of the value: Fly's real digest algorithm is UNCONFIRMED, callers
should only compare digests for equality.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from fastapi import APIRouter, Depends

from sandbox.core.context import VendorContext
from sandbox.fly import limits
from sandbox.fly.apps import load_app
from sandbox.fly.auth import org_of
from sandbox.fly.errors import FlyError, not_found
from sandbox.fly.models import AppSecretsUpdateRequest, SetAppSecretRequest
from sandbox.fly.util import iso

V = "fly"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")  # secrets become environment variables


def _view(doc: dict[str, Any], show: bool) -> dict[str, Any]:
    out = {k: doc[k] for k in ("name", "digest", "created_at", "updated_at")}
    if show:
        out["value"] = doc["value"]
    return out


def _bump(ctx: VendorContext, app: dict[str, Any]) -> int:
    app["secrets_version"] = int(app.get("secrets_version", 0)) + 1
    ctx.store.put(V, "app", app["name"], app["org"], app)
    return int(app["secrets_version"])


def _set(ctx: VendorContext, app: dict[str, Any], name: str, value: str | None) -> None:
    key = f"{app['name']}/{name}"
    if value is None:
        ctx.store.delete(V, "secret", key)
        return
    now = iso(ctx.now())
    old = ctx.store.get(V, "secret", key)
    digest = hashlib.sha256(value.encode()).hexdigest()
    doc = {
        "key": key,
        "app": app["name"],
        "name": name,
        "value": value,
        "digest": digest,
        "created_at": old["created_at"] if old else now,
        "updated_at": now,
    }
    ctx.store.put(V, "secret", key, app["org"], doc)


def _check_name(name: str) -> None:
    if not _NAME.match(name):
        raise FlyError(400, f"invalid secret name {name!r}")


def _all(ctx: VendorContext, app: str) -> list[dict[str, Any]]:
    return ctx.store.all(V, "secret", where=lambda d: d["app"] == app)


def router(ctx: VendorContext) -> APIRouter:
    api = APIRouter(prefix="/apps/{app_name}/secrets")

    @api.get("")
    def list_secrets(
        app_name: str,
        show_secrets: bool = False,
        min_version: int | None = None,
        org: str = Depends(org_of),
    ) -> Any:
        load_app(ctx, org, app_name)
        return {"secrets": [_view(d, show_secrets) for d in _all(ctx, app_name)]}

    @api.post("")
    def update_secrets(
        app_name: str, body: AppSecretsUpdateRequest, org: str = Depends(org_of)
    ) -> Any:
        app = load_app(ctx, org, app_name)
        limits.check(ctx, "secrets_update", app_name)
        for name in body.values:
            _check_name(name)
        for name, value in body.values.items():
            _set(ctx, app, name, value)
        version = _bump(ctx, app)
        secrets = [_view(d, False) for d in _all(ctx, app_name)]
        return {"secrets": secrets, "version": version, "Version": version}

    @api.get("/{secret_name}")
    def get_secret(
        app_name: str, secret_name: str, show_secrets: bool = False, org: str = Depends(org_of)
    ) -> Any:
        load_app(ctx, org, app_name)
        doc = ctx.store.get(V, "secret", f"{app_name}/{secret_name}")
        if doc is None:
            raise not_found("secret")
        return _view(doc, show_secrets)

    @api.post("/{secret_name}", status_code=201)
    def set_secret(
        app_name: str, secret_name: str, body: SetAppSecretRequest, org: str = Depends(org_of)
    ) -> Any:
        app = load_app(ctx, org, app_name)
        limits.check(ctx, "secrets_update", app_name)
        _check_name(secret_name)
        _set(ctx, app, secret_name, body.value)
        version = _bump(ctx, app)
        doc = ctx.store.get(V, "secret", f"{app_name}/{secret_name}") or {}
        return {**_view(doc, False), "version": version, "Version": version}

    @api.delete("/{secret_name}")
    def delete_secret(app_name: str, secret_name: str, org: str = Depends(org_of)) -> Any:
        app = load_app(ctx, org, app_name)
        limits.check(ctx, "secrets_update", app_name)
        if ctx.store.get(V, "secret", f"{app_name}/{secret_name}") is None:
            raise not_found("secret")
        _set(ctx, app, secret_name, None)
        version = _bump(ctx, app)
        return {"version": version, "Version": version}

    return api
