"""Projects: a project is COMING_UP until ``delays.project`` seconds passed.

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
    BRANCH,
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


@router.get("/v1/projects")
def list_projects(who: CallerDep) -> list[dict[str, Any]]:
    """A preview branch's own project is not listed (UNCONFIRMED): it is reached through the
    branch endpoints and its ``project_ref``, and listing it would make a branch look like one
    more project of the organization."""
    projects = who.ctx.store.all(VENDOR, PROJECT, owner=who.org, where=lambda d: not is_branch(d))
    return [project_with_database(who, project) for project in projects]


def is_branch(project: Doc) -> bool:
    return "branch_id" in project


def _region(body: CreateProjectBody) -> str:
    if body.region and body.region_selection:
        raise bad_request("Only one of region or region_selection can be specified.")
    if body.region_selection is not None:
        code = body.region_selection.code
        return SMART_GROUPS.get(code, code)
    return body.region or "us-east-1"


def create_database(caller: Caller, ref: str, password: str) -> Doc:
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


def open_project(
    who: Caller, name: str, region: str, size: str, password: str, *, extra: Doc | None = None
) -> Doc:
    """A new project with its real database, role and default API keys; ``extra`` marks what
    a preview branch's project carries besides (``branch_id``, ``db_pass``)."""
    ref = "".join(secrets.choice(string.ascii_lowercase) for _ in range(20))
    now = who.ctx.now()
    project: Doc = {
        "ref": ref,
        "number": who.ctx.store.next_number("supabase.project"),
        "name": name,
        "organization_slug": who.org,
        "region": region,
        "created_at": now,
        "ready_at": now + who.ctx.delays.project,
        "instance_size": size,
        "jwt_secret": secrets.token_urlsafe(32),
        "pooler": {"default_pool_size": 15, "max_client_conn": 200, "pool_mode": "transaction"},
        "db": create_database(who, ref, password),
        **(extra or {}),
    }
    save_project(who, project)
    apikeys.create_default_keys(who, project)
    return project


def close_project(who: Caller, project: Doc) -> None:
    """Drop the real database and role, forget all the project owned, and do the same for every
    branch of it (a project's preview branches go with it)."""
    ref = project["ref"]
    for branch in who.ctx.store.all(
        VENDOR, BRANCH, owner=who.org, where=lambda d: d["parent_ref"] == ref
    ):
        own = who.ctx.store.get(VENDOR, PROJECT, branch["project_ref"], owner=who.org)
        if own is not None and branch["project_ref"] != ref:
            close_project(who, own)
        who.ctx.store.delete(VENDOR, BRANCH, branch["id"])
    who.ctx.postgres.drop_database(project["db"]["name"], project["db"]["user"])
    delete_children(who, ref)
    who.ctx.store.delete(VENDOR, PROJECT, ref)


@router.post("/v1/projects", status_code=201)
def create_project(body: CreateProjectBody, who: CallerDep) -> dict[str, Any]:
    if body.organization_slug != who.org:
        raise ApiError(404, "Organization not found")
    # "Omit this field to always default to the smallest possible size" (the spec): nano.
    # UNCONFIRMED: projects of paid organizations may start on micro instead.
    size = body.desired_instance_size or "nano"
    project = open_project(who, body.name, _region(body), size, body.db_pass)
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
    """Drops the real database and role, then forgets the project and all it owned, its
    preview branches included. A branch's own project is deleted as a branch (UNCONFIRMED: the
    real answer to deleting it here is not documented)."""
    project = load_project(who, ref)
    if is_branch(project):
        raise bad_request("This project is a preview branch: delete it with DELETE /v1/branches")
    close_project(who, project)
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
