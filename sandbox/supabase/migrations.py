"""Database migrations, recorded where the real platform records them.

Applied migrations live in the project's own database, in
``supabase_migrations.schema_migrations`` (version, statements, name, ...), exactly the table
the Supabase CLI reads. ``POST`` runs the SQL and the history insert as ONE implicit
transaction (one multi-statement query), so a failing migration leaves no trace. Versions are
UTC timestamps ``YYYYMMDDHHMMSS``, bumped by a second when one is already taken.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response

from sandbox.supabase.auth import Caller, CallerDep
from sandbox.supabase.database import run_sql
from sandbox.supabase.errors import bad_request, not_found
from sandbox.supabase.models import MigrationBody, PatchMigrationBody
from sandbox.supabase.state import Doc, load_project

router = APIRouter()
PATH = "/v1/projects/{ref}/database/migrations"
TABLE = "supabase_migrations.schema_migrations"
ENSURE = (
    "CREATE SCHEMA IF NOT EXISTS supabase_migrations;"
    f" CREATE TABLE IF NOT EXISTS {TABLE} (version text NOT NULL PRIMARY KEY,"
    " statements text[], name text, created_by text, idempotency_key text UNIQUE,"
    " rollback text[]);"
)
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]


def quote(text: str | None) -> str:
    """A dollar-quoted literal whose tag cannot occur in the text."""
    if text is None:
        return "NULL"
    tag = f"$m{secrets.token_hex(6)}$"
    return f"{tag}{text}{tag}"


def history(caller: Caller, project: Doc) -> list[dict[str, Any]]:
    exists = run_sql(caller, project, f"SELECT to_regclass('{TABLE}') IS NOT NULL AS found")
    if not exists[0]["found"]:
        return []
    listing = f"SELECT version, name, idempotency_key FROM {TABLE} ORDER BY version"  # noqa: S608
    return run_sql(caller, project, listing)


def next_version(caller: Caller, taken: set[str]) -> str:
    moment = datetime.fromtimestamp(caller.ctx.now(), UTC)
    while (version := moment.strftime("%Y%m%d%H%M%S")) in taken:
        moment += timedelta(seconds=1)
    return version


def record(caller: Caller, project: Doc, body: MigrationBody, key: str | None, apply: bool) -> None:
    """Apply (or only record) one migration; an Idempotency-Key seen before is a no-op."""
    rows = history(caller, project)
    if key is not None and any(row["idempotency_key"] == key for row in rows):
        return
    version = next_version(caller, {row["version"] for row in rows})
    rollback = "NULL" if body.rollback is None else f"ARRAY[{quote(body.rollback)}]"
    # Every value is dollar-quoted with a random tag (or a checked timestamp): no injection.
    columns = "version, statements, name, created_by, idempotency_key, rollback"
    values = f"'{version}', ARRAY[{quote(body.query)}], {quote(body.name)}, 'sandbox', {quote(key)}"
    insert = f"INSERT INTO {TABLE} ({columns}) VALUES ({values}, {rollback});"  # noqa: S608
    script = f"{ENSURE}\n{body.query}\n;\n{insert}" if apply else f"{ENSURE}\n{insert}"
    run_sql(caller, project, script)


def snapshot(caller: Caller, project: Doc) -> list[dict[str, Any]]:
    """Every recorded migration, oldest first, with all it needs to be applied again."""
    if not history(caller, project):
        return []
    columns = "version, statements, name, created_by, idempotency_key, rollback"
    return run_sql(caller, project, f"SELECT {columns} FROM {TABLE} ORDER BY version")  # noqa: S608


def _array(items: list[str] | None) -> str:
    if items is None:
        return "NULL"
    return f"ARRAY[{', '.join(quote(item) for item in items)}]::text[]"


def replay(caller: Caller, project: Doc, rows: list[dict[str, Any]]) -> None:
    """Apply ``rows`` (from ``snapshot``) under their own versions, as ONE transaction: a branch
    reset rebuilds its schema this way and a merge brings a branch's migrations to its parent."""
    if not rows:
        return
    script = [ENSURE]
    columns = "version, statements, name, created_by, idempotency_key, rollback"
    for row in rows:
        if not str(row["version"]).isdigit():
            raise bad_request(f"Invalid migration version: {row['version']}")
        script.extend(row["statements"] or [])
        values = ", ".join(
            (
                f"'{row['version']}'",
                _array(row["statements"]),
                quote(row["name"]),
                quote(row["created_by"]),
                quote(row["idempotency_key"]),
                _array(row["rollback"]),
            )
        )
        script.append(f"INSERT INTO {TABLE} ({columns}) VALUES ({values})")  # noqa: S608
    run_sql(caller, project, "\n;\n".join(script))


@router.get(PATH)
def list_migrations(ref: str, who: CallerDep) -> list[dict[str, str]]:
    rows = history(who, load_project(who, ref))
    return [
        {"version": row["version"], **({"name": row["name"]} if row["name"] else {})}
        for row in rows
    ]


@router.post(PATH)
def apply_migration(
    ref: str, body: MigrationBody, who: CallerDep, key: IdempotencyKey = None
) -> Response:
    # 200 with no body: the spec declares no response content for this operation.
    record(who, load_project(who, ref), body, key, apply=True)
    return Response(status_code=200)


@router.put(PATH)
def upsert_migration(
    ref: str, body: MigrationBody, who: CallerDep, key: IdempotencyKey = None
) -> Response:
    record(who, load_project(who, ref), body, key, apply=False)
    return Response(status_code=200)


def _one(caller: Caller, project: Doc, version: str) -> dict[str, Any] | None:
    if not version.isdigit() or not history(caller, project):
        return None
    columns = "version, name, statements, rollback, created_by, idempotency_key"
    rows = run_sql(caller, project, f"SELECT {columns} FROM {TABLE} WHERE version = $1", [version])  # noqa: S608
    return rows[0] if rows else None


@router.get(PATH + "/{version}")
def get_migration(ref: str, version: str, who: CallerDep) -> dict[str, Any]:
    """``V1GetMigrationResponse``: the stored row; columns that are NULL are left out (the spec
    types them as plain strings and arrays)."""
    row = _one(who, load_project(who, ref), version)
    if row is None:
        raise not_found("Migration")
    return {name: value for name, value in row.items() if value is not None}


@router.patch(PATH + "/{version}")
def patch_migration(ref: str, version: str, body: PatchMigrationBody, who: CallerDep) -> Response:
    """Rename a migration or replace its rollback SQL (200, no body: the spec declares none)."""
    project = load_project(who, ref)
    if _one(who, project, version) is None:
        raise not_found("Migration")
    if body.name is not None:
        run_sql(
            who,
            project,
            f"UPDATE {TABLE} SET name = $1 WHERE version = $2",  # noqa: S608
            [body.name, version],
        )
    if body.rollback is not None:
        run_sql(
            who,
            project,
            f"UPDATE {TABLE} SET rollback = ARRAY[$1] WHERE version = $2",  # noqa: S608
            [body.rollback, version],
        )
    return Response(status_code=200)


@router.delete(PATH)
def rollback_migrations(ref: str, who: CallerDep, gte: Annotated[str, Query()]) -> Response:
    """Run the rollback SQL of every migration >= ``gte`` (newest first), then forget them."""
    if not gte.isdigit():
        raise bad_request("gte must be a migration version (digits)")
    project = load_project(who, ref)
    if not history(who, project):
        return Response(status_code=200)
    newest_first = f"SELECT rollback FROM {TABLE} WHERE version >= $1 ORDER BY version DESC"  # noqa: S608
    rows = run_sql(who, project, newest_first, [gte])
    undo = "\n;\n".join(sql for row in rows for sql in row["rollback"] or [])
    run_sql(who, project, f"{undo}\n;\nDELETE FROM {TABLE} WHERE version >= '{gte}';")
    return Response(status_code=200)
