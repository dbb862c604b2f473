"""Organizations and projects: a project is COMING_UP until ``delays.project`` seconds passed.

Each project owns a REAL database and login role on the sandbox's PostgreSQL server. The role is
named ``postgres.<ref>`` (the user name the real Supavisor pooler hands out) and its password is
the ``db_pass`` given at creation; the database is ``postgres_<ref>``.
"""

from __future__ import annotations

import secrets
import string
from typing import Annotated, Any

from fastapi import APIRouter, Query
from psycopg import sql

from sandbox.core.postgres import SUPERUSER
from sandbox.supabase import apikeys
from sandbox.supabase.auth import Caller, CallerDep
from sandbox.supabase.errors import ApiError, bad_request
from sandbox.supabase.models import CreateProjectBody, UpdateProjectBody
from sandbox.supabase.state import (
    PROJECT,
    VENDOR,
    Doc,
    delete_children,
    iso,
    load_project,
    save_project,
)

router = APIRouter()
SMART_GROUPS = {"americas": "us-east-1", "emea": "eu-central-1", "apac": "ap-southeast-1"}
SERVICES = ("auth", "db", "db_postgres_user", "pooler", "realtime", "rest", "storage", "pg_bouncer")


def status_of(caller: Caller, project: Doc) -> str:
    """Computed from the stored timestamp, so it advances across restarts without a thread.
    ``ready_at`` is moved on by a compute resize (billing.py), which reads as RESIZING."""
    if caller.ctx.now() >= project["ready_at"]:
        return "ACTIVE_HEALTHY"
    return "RESIZING" if project.get("resizing") else "COMING_UP"


def project_view(caller: Caller, project: Doc) -> dict[str, Any]:
    """V1ProjectResponse; ``id`` and ``organization_id`` are the deprecated twins of ref/slug."""
    return {
        "id": project["ref"],
        "ref": project["ref"],
        "organization_id": project["organization_slug"],
        "organization_slug": project["organization_slug"],
        "name": project["name"],
        "region": project["region"],
        "created_at": iso(project["created_at"]),
        "status": status_of(caller, project),
    }


def project_with_database(caller: Caller, project: Doc) -> dict[str, Any]:
    """V1ProjectWithDatabaseResponse. The real host is ``db.<ref>.supabase.co``; here the
    database really lives on 127.0.0.1 (its port is in the pooler config)."""
    database = {
        "host": caller.ctx.postgres.host,
        "version": project["db"]["version"],
        "postgres_engine": "15",
        "release_channel": "ga",
    }
    return {**project_view(caller, project), "database": database}


@router.get("/v1/organizations")
def list_organizations(who: CallerDep) -> list[dict[str, str]]:
    # A token sees exactly one organization; the deprecated ``id`` equals the slug.
    return [{"id": who.org, "slug": who.org, "name": f"{who.org} (sandbox)"}]


@router.get("/v1/projects")
def list_projects(who: CallerDep) -> list[dict[str, Any]]:
    projects = who.ctx.store.all(VENDOR, PROJECT, owner=who.org)
    return [project_with_database(who, project) for project in projects]


def _region(body: CreateProjectBody) -> str:
    if body.region and body.region_selection:
        raise bad_request("Only one of region or region_selection can be specified.")
    if body.region_selection is not None:
        code = body.region_selection.code
        return SMART_GROUPS.get(code, code)
    return body.region or "us-east-1"


def _create_database(caller: Caller, ref: str, password: str) -> Doc:
    """The project's real database; the superuser acts as the project role inside it, so the
    tables that /database/query and migrations create belong to the role clients log in as."""
    name, user = f"postgres_{ref}", f"postgres.{ref}"
    caller.ctx.postgres.create_database(name, user, password)
    caller.ctx.postgres.query(
        "postgres",
        sql.SQL("ALTER ROLE {} IN DATABASE {} SET role = {}")
        .format(sql.Identifier(SUPERUSER), sql.Identifier(name), sql.Literal(user))
        .as_string(None),
    )
    version = caller.ctx.postgres.query("postgres", "SHOW server_version")[0]["server_version"]
    return {"name": name, "user": user, "version": str(version).split()[0]}


@router.post("/v1/projects", status_code=201)
def create_project(body: CreateProjectBody, who: CallerDep) -> dict[str, Any]:
    if body.organization_slug != who.org:
        raise ApiError(404, "Organization not found")
    region = _region(body)
    ref = "".join(secrets.choice(string.ascii_lowercase) for _ in range(20))
    now = who.ctx.now()
    project: Doc = {
        "ref": ref,
        "number": who.ctx.store.next_number("supabase.project"),
        "name": body.name,
        "organization_slug": who.org,
        "region": region,
        "created_at": now,
        "ready_at": now + who.ctx.delays.project,
        # "Omit this field to always default to the smallest possible size" (the spec): nano.
        # UNCONFIRMED: projects of paid organizations may start on micro instead.
        "instance_size": body.desired_instance_size or "nano",
        "jwt_secret": secrets.token_urlsafe(32),
        "pooler": {"default_pool_size": 15, "max_client_conn": 200, "pool_mode": "transaction"},
        "db": _create_database(who, ref, body.db_pass),
    }
    save_project(who, project)
    apikeys.create_default_keys(who, project)
    return project_view(who, project)


@router.get("/v1/projects/{ref}")
def get_project(ref: str, who: CallerDep) -> dict[str, Any]:
    return project_with_database(who, load_project(who, ref))


@router.patch("/v1/projects/{ref}")
def update_project(ref: str, body: UpdateProjectBody, who: CallerDep) -> dict[str, Any]:
    project = load_project(who, ref)
    project["name"] = body.name
    save_project(who, project)
    return {"id": project["number"], "ref": ref, "name": project["name"]}


@router.delete("/v1/projects/{ref}")
def delete_project(ref: str, who: CallerDep) -> dict[str, Any]:
    """Drops the real database and role, then forgets the project and all it owned."""
    project = load_project(who, ref)
    who.ctx.postgres.drop_database(project["db"]["name"], project["db"]["user"])
    delete_children(who, ref)
    who.ctx.store.delete(VENDOR, PROJECT, ref)
    return {"id": project["number"], "ref": ref, "name": project["name"]}


@router.get("/v1/projects/{ref}/health")
def project_health(
    ref: str,
    who: CallerDep,
    services: Annotated[list[str] | None, Query()] = None,
) -> list[dict[str, Any]]:
    """``services`` may repeat (``?services=db&services=auth``) or be comma-separated."""
    project = load_project(who, ref)
    names = [name for value in services or [] for name in value.split(",") if name]
    if not names:
        raise bad_request("services is required")
    unknown = [name for name in names if name not in SERVICES]
    if unknown:
        raise bad_request(f"services must be one of {', '.join(SERVICES)}: got {unknown[0]}")
    healthy = status_of(who, project) == "ACTIVE_HEALTHY"
    status = "ACTIVE_HEALTHY" if healthy else "COMING_UP"
    return [{"name": name, "healthy": healthy, "status": status} for name in names]
