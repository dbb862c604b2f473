"""Render Postgres backed by a REAL database and login role on the sandbox's PostgreSQL server.

``status`` reads ``creating`` until ``delays.database`` seconds after creation, then
``available`` (computed from timestamps). The database exists from the first answer on, so
connection-info works at once. Both connection strings point at ``127.0.0.1:<port>``: the
sandbox has no private network, so the "internal" string is the reachable one too.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from fastapi import APIRouter, Request, Response

from sandbox.core.context import VendorContext
from sandbox.render.common import (
    VENDOR,
    Body,
    Ctx,
    Owner,
    PageParams,
    check_owner,
    iso,
    load,
    multi,
    new_id,
    owner_json,
    parse,
    random_secret,
)
from sandbox.render.errors import bad_request
from sandbox.render.models_data import PostgresPatch, PostgresPost

router = APIRouter()
KIND = "postgres"
_RESERVED = {"postgres", "sandbox", "template0", "template1", "public"}
_FREE_DAYS = 30 * 86400.0
_SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def _identifier(name: str) -> str:
    ident = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_") or "db"
    # PostgreSQL reserves role names starting with pg_; Render's generated names never clash.
    if ident.startswith("pg"):
        ident = f"db_{ident}"
    return ident[:40]


def _suffix() -> str:
    return "".join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(4))


def _names(ctx: VendorContext, body: PostgresPost) -> tuple[str, str]:
    """Database and user names as Render makes them, unique on the one shared sandbox server.

    Recorded (sandbox/render/README.md): the database name always gets a random 4-character
    suffix, also an explicit one (``db_name`` -> ``db_name_ehyv``); without one it is the
    instance name as an identifier plus the suffix. An explicit user is kept verbatim; the
    default user is ``<databaseName>_user``, suffix included.
    """
    docs = ctx.store.all(VENDOR, KIND)
    used = {d["postgres"]["databaseName"] for d in docs} | {
        d["postgres"]["databaseUser"] for d in docs
    }
    base = body.databaseName or _identifier(body.name)
    database = f"{base[:58]}_{_suffix()}"
    while database in used:
        database = f"{base[:58]}_{_suffix()}"
    user = body.databaseUser or f"{database}_user"
    for wanted in (database, user):
        if wanted in used | _RESERVED:
            # Render gives every database its own server; the sandbox shares one (a limitation).
            raise bad_request(f"{wanted} is already in use on the sandbox's shared server")
    return database, user


def postgres_json(ctx: VendorContext, doc: dict[str, Any]) -> dict[str, Any]:
    """The stored object with ``status`` as of now.

    As recorded: no ``project`` field (the spec requires one), and ``parameterOverrides`` only
    when some are set. ``connectionPool`` is what the official SDK requires (``none``: the
    sandbox runs no PgBouncer).
    """
    out = dict(doc["postgres"])
    out.pop("project", None)
    out.setdefault("connectionPool", "none")
    if not out.get("parameterOverrides"):
        out.pop("parameterOverrides", None)
    out["status"] = "available" if ctx.now() >= doc["readyAt"] else "creating"
    return out


@router.post("/postgres", status_code=201)
def create_postgres(ctx: Ctx, owner: Owner, body: Body) -> dict[str, Any]:
    request = parse(PostgresPost, body)
    check_owner(owner, request.ownerId)
    database, user = _names(ctx, request)
    password = random_secret()
    ctx.postgres.create_database(database, user, password)
    postgres_id, now = new_id("dpg-", "-a"), ctx.now()
    item: dict[str, Any] = {
        "id": postgres_id,
        "name": request.name,
        "owner": owner_json(owner),
        "createdAt": iso(now),
        "updatedAt": iso(now),
        "dashboardUrl": f"https://dashboard.render.com/d/{postgres_id}",
        "databaseName": database,
        "databaseUser": user,
        "plan": request.plan,
        "region": request.region,
        "version": request.version,
        "role": "primary",
        "suspended": "not_suspended",
        "suspenders": [],
        "connectionPool": "none",
        "highAvailabilityEnabled": request.enableHighAvailability,
        "diskAutoscalingEnabled": request.enableDiskAutoscaling,
        "diskSizeGB": request.diskSizeGB or (1 if request.plan == "free" else 15),
        "ipAllowList": [c.model_dump() for c in request.ipAllowList or []],
        "readReplicas": [],
        "parameterOverrides": request.parameterOverrides or {},
    }
    if request.plan == "free":
        item["expiresAt"] = iso(now + _FREE_DAYS)
    if request.environmentId is not None:
        item["environmentId"] = request.environmentId
    _apply(item, request)
    doc = {"postgres": item, "password": password, "readyAt": now + ctx.delays.database}
    ctx.store.put(VENDOR, KIND, postgres_id, owner, doc)
    return postgres_json(ctx, doc)


def _apply(item: dict[str, Any], request: PostgresPost | PostgresPatch) -> None:
    """Read replicas as recorded: ids are the primary's with ``-b``, ``-c``... instead of ``-a``;
    a replica keeps its id while its name stays; ``parameterOverrides`` only when given."""
    if request.readReplicas is None:
        return
    kept = {r["name"]: r["id"] for r in item.get("readReplicas", [])}
    base = item["id"].removesuffix("-a")
    letters = iter(c for c in "bcdefghijklmnopqrstuvwxyz" if f"{base}-{c}" not in kept.values())
    replicas = []
    for replica in request.readReplicas:
        entry: dict[str, Any] = {
            "id": kept.get(replica.name) or f"{base}-{next(letters)}",
            "name": replica.name,
        }
        if replica.parameterOverrides:
            entry["parameterOverrides"] = replica.parameterOverrides
        replicas.append(entry)
    item["readReplicas"] = replicas


@router.get("/postgres")
def list_postgres(
    request: Request, ctx: Ctx, owner: Owner, page: PageParams
) -> list[dict[str, Any]]:
    def wanted(doc: dict[str, Any]) -> bool:
        item = doc["postgres"]
        names, regions = multi(request, "name"), multi(request, "region")
        return (not names or item["name"] in names) and (not regions or item["region"] in regions)

    docs = ctx.store.all(VENDOR, KIND, owner, where=wanted)
    views = [postgres_json(ctx, d) for d in docs]
    return page.slice([(v["id"], {"postgres": v, "cursor": v["id"]}) for v in views])


@router.get("/postgres/{postgresId}")
def get_postgres(postgresId: str, ctx: Ctx, owner: Owner) -> dict[str, Any]:
    return postgres_json(ctx, load(ctx, KIND, postgresId, owner, "postgres instance"))


@router.patch("/postgres/{postgresId}")
def update_postgres(postgresId: str, ctx: Ctx, owner: Owner, body: Body) -> dict[str, Any]:
    doc = load(ctx, KIND, postgresId, owner, "postgres instance")
    request = parse(PostgresPatch, body)
    item = doc["postgres"]
    renamed = {
        "enableDiskAutoscaling": "diskAutoscalingEnabled",
        "enableHighAvailability": "highAvailabilityEnabled",
    }
    for field in ("name", "plan", "diskSizeGB", "parameterOverrides", *renamed):
        value = getattr(request, field)
        if value is not None:
            item[renamed.get(field, field)] = value
    if request.ipAllowList is not None:
        item["ipAllowList"] = [c.model_dump() for c in request.ipAllowList]
    _apply(item, request)
    item["updatedAt"] = iso(ctx.now())
    ctx.store.put(VENDOR, KIND, postgresId, owner, doc)
    return postgres_json(ctx, doc)


@router.delete("/postgres/{postgresId}", status_code=204)
def delete_postgres(postgresId: str, ctx: Ctx, owner: Owner) -> Response:
    item = load(ctx, KIND, postgresId, owner, "postgres instance")["postgres"]
    ctx.postgres.drop_database(item["databaseName"], item["databaseUser"])
    ctx.store.delete(VENDOR, KIND, postgresId)
    return Response(status_code=204)


@router.get("/postgres/{postgresId}/connection-info")
def postgres_connection_info(postgresId: str, ctx: Ctx, owner: Owner) -> dict[str, str]:
    doc = load(ctx, KIND, postgresId, owner, "postgres instance")
    item, password = doc["postgres"], doc["password"]
    host, port = ctx.postgres.host, ctx.postgres.port
    user, database = item["databaseUser"], item["databaseName"]
    url = f"postgresql://{user}:{password}@{host}:{port}/{database}"
    return {
        "password": password,
        "internalConnectionString": url,
        "externalConnectionString": url,
        "psqlCommand": f"PGPASSWORD={password} psql -h {host} -p {port} -U {user} {database}",
    }
