"""Preview branches: each one a project of its own, with a REAL database, role and password.

The rule that matters: a branch's ``project_ref`` is an ordinary project here (its database
``postgres_<ref>`` owned by role ``postgres.<ref>``, its own JWT secret and API keys), so every
project endpoint (api-keys, secrets, migrations, database query, pooler, billing) works on it
as on the real platform. ``with_data: true`` copies the parent's schema and rows into it;
otherwise it starts empty. Branching is enabled by creating the default branch
(``is_default: true``, which stands for the parent project itself), needs a paid plan, and a
persistent branch cannot be deleted until it is made ephemeral (422, as the Supabase Terraform
provider expects). Deleting a branch drops its database and role.
"""

from __future__ import annotations

import re
import secrets
import subprocess
import threading
import uuid
from typing import Annotated, Any, get_args

from fastapi import APIRouter, Query, Response

from sandbox.supabase import actions, migrations
from sandbox.supabase.auth import Caller, CallerDep
from sandbox.supabase.errors import ApiError, bad_request
from sandbox.supabase.models import REGIONS, BranchActionBody, CreateBranchBody, UpdateBranchBody
from sandbox.supabase.organizations import BRANCH_LIMITS, plan_of
from sandbox.supabase.projects import close_project, create_database, is_branch, open_project
from sandbox.supabase.projects import status_of as project_status
from sandbox.supabase.secrets import check_names, store_secrets
from sandbox.supabase.state import BRANCH, PROJECT, VENDOR, Doc, iso, load_project, save_project

router = APIRouter()
_CREATING = threading.Lock()
BRANCH_PATH = "/v1/branches/{branch_id_or_ref}"
_REF = re.compile(r"^[a-z]{20}$")
#: What ``DELETE ?force=false`` waits before the branch really goes (the spec's "1-hour grace").
GRACE_SECONDS = 3600.0
#: UNCONFIRMED: the size a branch gets when ``desired_instance_size`` is omitted. The pricing
#: docs price preview branches as Micro compute.
DEFAULT_BRANCH_SIZE = "micro"
#: A free plan's refusal. The Supabase CLI's own test of this case answers 402 with this
#: message and then reads the ``branching_limit`` entitlement (UNCONFIRMED against the real API).
PAID_PLAN_ONLY = "branching requires a paid plan"
#: What a free organization gets when it lists branches, as a user reported it from the real
#: API (dyad-sh/dyad#2525).
NO_PRIVILEGES = (
    "Your account does not have the necessary privileges to access this endpoint. For more"
    " details, refer to our documentation https://supabase.com/docs/guides/platform/access-control"
)


# -- lookups --------------------------------------------------------------------------------
def branches_of(who: Caller, parent_ref: str) -> list[Doc]:
    sweep(who)
    return who.ctx.store.all(
        VENDOR, BRANCH, owner=who.org, where=lambda d: d["parent_ref"] == parent_ref
    )


def load_branch(who: Caller, branch_id_or_ref: str) -> Doc:
    """By its id (a UUID, deprecated) or its project ref; another organization's is 404."""
    sweep(who)
    if _REF.match(branch_id_or_ref):
        found = who.ctx.store.all(
            VENDOR, BRANCH, owner=who.org, where=lambda d: d["project_ref"] == branch_id_or_ref
        )
        branch = found[0] if found else None
    else:
        try:
            uuid.UUID(branch_id_or_ref)
        except ValueError:
            raise bad_request("branch_id_or_ref must be a project ref or a branch id") from None
        branch = who.ctx.store.get(VENDOR, BRANCH, branch_id_or_ref, owner=who.org)
    if branch is None:
        raise ApiError(404, "Branch not found")
    return branch


def own_project(who: Caller, branch: Doc) -> Doc:
    return load_project(who, branch["project_ref"])


def sweep(who: Caller) -> None:
    """Branches whose scheduled deletion is due really go now (lazily: at the next branch call)."""
    due = who.ctx.store.all(
        VENDOR,
        BRANCH,
        owner=who.org,
        where=lambda d: (
            d.get("deletion_scheduled_at") is not None
            and d["deletion_scheduled_at"] <= who.ctx.now()
        ),
    )
    for branch in due:
        drop(who, branch)


def drop(who: Caller, branch: Doc) -> None:
    """Drop the branch's database and role and forget it (never the default branch's)."""
    if not branch["is_default"]:
        own = who.ctx.store.get(VENDOR, PROJECT, branch["project_ref"], owner=who.org)
        if own is not None:
            close_project(who, own)
    who.ctx.store.delete(VENDOR, BRANCH, branch["id"])


def save_branch(who: Caller, branch: Doc) -> None:
    who.ctx.store.put(VENDOR, BRANCH, branch["id"], who.org, branch)


# -- views ----------------------------------------------------------------------------------
def deprecated_status(who: Caller, branch: Doc) -> str:
    """The branch's deprecated ``status``, read off its latest action run."""
    if branch.get("status_override"):
        return str(branch["status_override"])
    run = actions.latest_run(who, branch["project_ref"], branch["id"])
    if run is None or actions.finished(who, run):
        return "MIGRATIONS_PASSED"
    return "CREATING_PROJECT" if run["kind"] == "create" else "RUNNING_MIGRATIONS"


def branch_view(who: Caller, branch: Doc) -> dict[str, Any]:
    """BranchResponse. Optional fields the branch has no value for are left out (the spec types
    them as non-nullable strings)."""
    own = who.ctx.store.get(VENDOR, PROJECT, branch["project_ref"], owner=who.org)
    view: dict[str, Any] = {
        "id": branch["id"],
        "name": branch["name"],
        "project_ref": branch["project_ref"],
        "parent_project_ref": branch["parent_ref"],
        "is_default": branch["is_default"],
        "persistent": branch["persistent"],
        "status": deprecated_status(who, branch),
        "created_at": iso(branch["created_at"]),
        "updated_at": iso(branch["updated_at"]),
        "with_data": branch["with_data"],
    }
    if own is not None:
        view["preview_project_status"] = project_status(who, own)
    for key in ("git_branch", "notify_url"):
        if branch.get(key) is not None:
            view[key] = branch[key]
    for key in ("review_requested_at", "deletion_scheduled_at"):
        if branch.get(key) is not None:
            view[key] = iso(branch[key])
    return view


def detail_view(who: Caller, branch: Doc) -> dict[str, Any]:
    """BranchDetailResponse: where the branch's database is and how to log in to it.

    The real answer is host ``db.<ref>.supabase.co``, port 5432, user ``postgres``; here it is
    the sandbox's server, the branch's own role, and its password. The database name is not in
    this answer: the branch ref's pooler config gives it (``postgres_<ref>`` here, ``postgres``
    on the platform). The default branch is the parent project, whose password the sandbox
    never keeps, so ``db_pass`` is left out for it."""
    own = own_project(who, branch)
    view: dict[str, Any] = {
        "ref": own["ref"],
        "postgres_version": own["db"]["version"],
        "postgres_engine": "15",
        "release_channel": "ga",
        "status": project_status(who, own),
        "db_host": who.ctx.postgres.host,
        "db_port": who.ctx.postgres.port,
        "db_user": own["db"]["user"],
        "jwt_secret": own["jwt_secret"],
    }
    if "db_pass" in own:
        view["db_pass"] = own["db_pass"]
    return view


# -- the project's branches -----------------------------------------------------------------
def _parent(who: Caller, ref: str) -> Doc:
    parent = load_project(who, ref)
    if is_branch(parent):
        # UNCONFIRMED: the real answer to branching a preview branch.
        raise ApiError(422, "Cannot create a branch of a preview branch")
    return parent


@router.get("/v1/projects/{ref}/branches")
def list_branches(ref: str, who: CallerDep) -> list[dict[str, Any]]:
    """Empty until branching is enabled (the Terraform provider treats [] and 422 alike)."""
    load_project(who, ref)
    if BRANCH_LIMITS[plan_of(who.ctx, who.org)] == 0:
        raise ApiError(403, NO_PRIVILEGES)
    return [branch_view(who, branch) for branch in branches_of(who, ref)]


@router.get("/v1/projects/{ref}/branches/{name}")
def get_branch_by_name(ref: str, name: str, who: CallerDep) -> dict[str, Any]:
    load_project(who, ref)
    for branch in branches_of(who, ref):
        if branch["name"] == name:
            return branch_view(who, branch)
    raise ApiError(404, "Branch not found")


def _check_create(who: Caller, body: CreateBranchBody, existing: list[Doc]) -> None:
    """Every refusal before anything is made, so a refused create leaves nothing behind."""
    limit = BRANCH_LIMITS[plan_of(who.ctx, who.org)]
    if limit == 0:
        raise ApiError(402, PAID_PLAN_ONLY)
    if any(branch["name"] == body.branch_name for branch in existing):
        raise ApiError(409, "Branch name already in use")
    has_default = any(branch["is_default"] for branch in existing)
    if body.is_default:
        if has_default:
            raise ApiError(409, "Project already has a default branch")  # UNCONFIRMED message
        return
    if not has_default:
        raise ApiError(422, "Preview branching is not enabled")
    previews = sum(1 for branch in existing if not branch["is_default"])
    if limit is not None and previews >= limit:
        # UNCONFIRMED: status and message once the plan's branch count is reached.
        raise ApiError(402, f"Branch limit of {limit} reached for this organization's plan")
    if body.region is not None and body.region not in get_args(REGIONS):
        raise ApiError(422, "Invalid region")
    check_names(list((body.secrets or {}).keys()))


def _new_branch(who: Caller, parent: Doc, body: CreateBranchBody, project_ref: str) -> Doc:
    now = who.ctx.now()
    return {
        "id": str(uuid.uuid4()),
        "name": body.branch_name,
        "parent_ref": parent["ref"],
        "project_ref": project_ref,
        "is_default": bool(body.is_default),
        "git_branch": body.git_branch,
        # The default branch is the production project: never swept away (UNCONFIRMED).
        "persistent": bool(body.is_default if body.persistent is None else body.persistent),
        "with_data": bool(body.with_data),
        "notify_url": None if body.notify_url is None else str(body.notify_url),
        "created_at": now,
        "updated_at": now,
    }


def _open_branch_project(who: Caller, parent: Doc, body: CreateBranchBody, branch_id: str) -> Doc:
    """The branch's own project and real database: empty, or a copy of the parent's. A failed
    copy removes what was made (nothing half-created)."""
    password = secrets.token_urlsafe(24)
    size = body.desired_instance_size or DEFAULT_BRANCH_SIZE
    region = body.region or parent["region"]
    extra = {"branch_id": branch_id, "db_pass": password, "parent_ref": parent["ref"]}
    project = open_project(who, body.branch_name, region, size, password, extra=extra)
    try:
        if body.with_data:
            who.ctx.postgres.copy_database(parent["db"]["name"], project["db"]["name"])
        store_secrets(who, project["ref"], body.secrets or {})
    except (subprocess.CalledProcessError, OSError) as error:
        close_project(who, project)
        raise ApiError(500, "Failed to create database branch") from error
    return project


@router.post("/v1/projects/{ref}/branches", status_code=201)
def create_branch(ref: str, body: CreateBranchBody, who: CallerDep) -> dict[str, Any]:
    parent = _parent(who, ref)
    # One create at a time: two of the same name must not both pass the name check.
    with _CREATING:
        existing = branches_of(who, ref)
        _check_create(who, body, existing)
        if body.is_default:
            branch = _new_branch(who, parent, body, project_ref=ref)
            save_branch(who, branch)
            return branch_view(who, branch)
        branch = _new_branch(who, parent, body, project_ref="")
        project = _open_branch_project(who, parent, body, branch["id"])
        branch["project_ref"] = project["ref"]
        save_branch(who, branch)
    actions.start_run(who, project["ref"], branch["id"], "create", project["ready_at"])
    return branch_view(who, branch)


@router.delete("/v1/projects/{ref}/branches")
def disable_branching(ref: str, who: CallerDep) -> Response:
    """Deletes every branch of the project, persistent ones too, and the default branch record
    (the parent itself stays). 200 with no body, as recorded by the Supabase CLI."""
    load_project(who, ref)
    existing = branches_of(who, ref)
    if not any(branch["is_default"] for branch in existing):
        raise ApiError(422, "Preview branching is not enabled")  # UNCONFIRMED for disable
    for branch in existing:
        drop(who, branch)
    return Response(status_code=200)


# -- one branch -----------------------------------------------------------------------------
@router.get(BRANCH_PATH)
def get_branch(branch_id_or_ref: str, who: CallerDep) -> dict[str, Any]:
    return detail_view(who, load_branch(who, branch_id_or_ref))


@router.patch(BRANCH_PATH)
def update_branch(branch_id_or_ref: str, body: UpdateBranchBody, who: CallerDep) -> dict[str, Any]:
    branch = load_branch(who, branch_id_or_ref)
    if body.branch_name is not None and body.branch_name != branch["name"]:
        siblings = branches_of(who, branch["parent_ref"])
        if any(other["name"] == body.branch_name for other in siblings):
            raise ApiError(409, "Branch name already in use")
        branch["name"] = body.branch_name
    if body.git_branch is not None:
        branch["git_branch"] = body.git_branch
    if body.persistent is not None:
        branch["persistent"] = body.persistent
    if body.status is not None:
        branch["status_override"] = body.status
    if body.notify_url is not None:
        branch["notify_url"] = str(body.notify_url)
    if body.request_review is not None:
        branch["review_requested_at"] = who.ctx.now() if body.request_review else None
    branch["updated_at"] = who.ctx.now()
    save_branch(who, branch)
    return branch_view(who, branch)


Force = Annotated[bool, Query()]


@router.delete(BRANCH_PATH)
def delete_branch(branch_id_or_ref: str, who: CallerDep, force: Force = True) -> dict[str, str]:
    """Drops the branch's database and role at once, or with ``force=false`` an hour later
    (``restore`` cancels). A persistent branch is refused with 422 until it is PATCHed
    ``persistent: false``; the default branch goes only with ``DELETE .../branches``."""
    branch = load_branch(who, branch_id_or_ref)
    if branch["is_default"]:
        raise bad_request("The default branch cannot be deleted: disable branching instead")
    if branch["persistent"]:
        # The status is what the Terraform provider expects; the message is UNCONFIRMED.
        raise ApiError(422, "Persistent branches cannot be deleted: make the branch ephemeral")
    if force:
        drop(who, branch)
    else:
        branch["deletion_scheduled_at"] = who.ctx.now() + GRACE_SECONDS
        save_branch(who, branch)
    return {"message": "ok"}


@router.post(BRANCH_PATH + "/restore")
def restore_branch(branch_id_or_ref: str, who: CallerDep) -> dict[str, str]:
    """Cancels a scheduled deletion (the spec's "restore")."""
    branch = load_branch(who, branch_id_or_ref)
    if branch.get("deletion_scheduled_at") is None:
        raise bad_request("Branch is not scheduled for deletion")  # UNCONFIRMED
    branch["deletion_scheduled_at"] = None
    branch["updated_at"] = who.ctx.now()
    save_branch(who, branch)
    return {"message": "Branch restoration initiated"}


def _preview(who: Caller, branch_id_or_ref: str, action: str) -> tuple[Doc, Doc]:
    branch = load_branch(who, branch_id_or_ref)
    if branch["is_default"]:
        raise bad_request(f"The default branch cannot be {action}")  # UNCONFIRMED
    return branch, own_project(who, branch)


def _until(rows: list[dict[str, Any]], version: str | None) -> list[dict[str, Any]]:
    if version is None:
        return rows
    if not version.isdigit():
        raise bad_request("migration_version must be a migration version (digits)")
    return [row for row in rows if str(row["version"]) <= version]


def _started(who: Caller, branch: Doc, kind: str, ends_at: float) -> dict[str, str]:
    run = actions.start_run(who, branch["project_ref"], branch["id"], kind, ends_at)
    branch["updated_at"] = who.ctx.now()
    branch.pop("status_override", None)
    save_branch(who, branch)
    return {"workflow_run_id": run["id"], "message": "ok"}


@router.post(BRANCH_PATH + "/reset", status_code=201)
def reset_branch(branch_id_or_ref: str, body: BranchActionBody, who: CallerDep) -> dict[str, str]:
    """A fresh database (same role and password) rebuilt from the branch's recorded migrations,
    up to ``migration_version`` when given. Rows are gone, a ``with_data`` copy's too."""
    branch, own = _preview(who, branch_id_or_ref, "reset")
    rows = _until(migrations.snapshot(who, own), body.migration_version)
    who.ctx.postgres.drop_database(own["db"]["name"], own["db"]["user"])
    create_database(who, own["ref"], own["db_pass"])
    migrations.replay(who, own, rows)
    own["ready_at"] = who.ctx.now() + who.ctx.delays.project
    save_project(who, own)
    return _started(who, branch, "reset", own["ready_at"])


@router.post(BRANCH_PATH + "/push", status_code=201)
def push_branch(branch_id_or_ref: str, body: BranchActionBody, who: CallerDep) -> dict[str, str]:
    """The platform applies the Git branch's new migrations; the sandbox has no Git
    repository, so a push records its action run and changes nothing."""
    branch, _ = _preview(who, branch_id_or_ref, "pushed")
    return _started(who, branch, "push", who.ctx.now() + who.ctx.delays.project)


@router.post(BRANCH_PATH + "/merge", status_code=201)
def merge_branch(branch_id_or_ref: str, body: BranchActionBody, who: CallerDep) -> dict[str, str]:
    """Applies to the parent, in one transaction, the branch's migrations the parent lacks (up
    to ``migration_version``), under their own versions."""
    branch, own = _preview(who, branch_id_or_ref, "merged")
    parent = load_project(who, branch["parent_ref"])
    known = {str(row["version"]) for row in migrations.snapshot(who, parent)}
    rows = _until(migrations.snapshot(who, own), body.migration_version)
    migrations.replay(who, parent, [row for row in rows if str(row["version"]) not in known])
    return _started(who, branch, "merge", who.ctx.now() + who.ctx.delays.project)
