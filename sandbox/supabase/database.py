"""SQL over the API, the database password and the pooler settings, all against the REAL database.

``POST /database/query`` answers 201 with the JSON array of result rows: the spec declares no
response body; the real API (pg-meta underneath) returns the rows. ``parameters`` bind to ``$1``,
``$2``... placeholders as in node-postgres. SQL errors are 400 with Postgres's message.
"""

from __future__ import annotations

import re
from typing import Any

import psycopg
from fastapi import APIRouter

from sandbox.supabase.auth import Caller, CallerDep
from sandbox.supabase.errors import ApiError
from sandbox.supabase.models import RunQueryBody, UpdatePasswordBody, UpdatePoolerBody
from sandbox.supabase.state import Doc, load_project, save_project

router = APIRouter()
_PLACEHOLDER = re.compile(r"\$(\d+)")


def sql_error(error: psycopg.Error) -> ApiError:
    diag = error.diag
    primary = diag.message_primary or str(error)
    return ApiError(400, f"Failed to run sql query: ERROR:  {diag.sqlstate or 'XX000'}: {primary}")


def bind(query: str, parameters: list[Any] | None) -> tuple[str, list[Any] | None]:
    """Turn ``$n`` placeholders into psycopg's ``%s`` (one per occurrence, in order).

    Quoted text is not parsed: a literal ``$1`` inside a string is rebound too (rare enough)."""
    if not parameters:
        return query, None
    ordered: list[Any] = []

    def swap(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        if index >= len(parameters):
            raise ApiError(400, f"Failed to run sql query: no value for parameter ${index + 1}")
        ordered.append(parameters[index])
        return "%s"

    return _PLACEHOLDER.sub(swap, query.replace("%", "%%")), ordered


def run_sql(
    caller: Caller,
    project: Doc,
    query: str,
    parameters: list[Any] | None = None,
    read_only: bool = False,
) -> list[dict[str, Any]]:
    statement, values = bind(query, parameters)
    try:
        return caller.ctx.postgres.query(project["db"]["name"], statement, values, read_only)
    except psycopg.Error as error:
        raise sql_error(error) from error


@router.post("/v1/projects/{ref}/database/query", status_code=201)
def run_query(ref: str, body: RunQueryBody, who: CallerDep) -> list[dict[str, Any]]:
    project = load_project(who, ref)
    return run_sql(who, project, body.query, body.parameters, bool(body.read_only))


@router.post("/v1/projects/{ref}/database/query/read-only", status_code=201)
def run_read_only_query(ref: str, body: RunQueryBody, who: CallerDep) -> list[dict[str, Any]]:
    project = load_project(who, ref)
    return run_sql(who, project, body.query, body.parameters, read_only=True)


@router.patch("/v1/projects/{ref}/database/password")
def update_password(ref: str, body: UpdatePasswordBody, who: CallerDep) -> dict[str, str]:
    """Really changes the project role's password: the old one stops working at once."""
    project = load_project(who, ref)
    who.ctx.postgres.set_password(project["db"]["user"], body.password)
    if "db_pass" in project:  # a preview branch shows its password: keep it true
        project["db_pass"] = body.password
        save_project(who, project)
    return {"message": "Password updated"}


def pooler_view(caller: Caller, project: Doc) -> dict[str, Any]:
    """SupavisorConfigResponse pointing at the real database. The real service answers
    ``aws-0-<region>.pooler.supabase.com:6543`` with user ``postgres.<ref>`` and database
    ``postgres``; here host, port and database are the sandbox's, the user name is the same, and
    the password is the literal ``[YOUR-PASSWORD]`` placeholder, as the real API prints it."""
    db, pooler = project["db"], project["pooler"]
    host, port = caller.ctx.postgres.host, caller.ctx.postgres.port
    url = f"postgresql://{db['user']}:[YOUR-PASSWORD]@{host}:{port}/{db['name']}"
    return {
        "identifier": project["ref"],
        "database_type": "PRIMARY",
        "is_using_scram_auth": True,
        "db_user": db["user"],
        "db_host": host,
        "db_port": port,
        "db_name": db["name"],
        "connection_string": url,
        "connectionString": url,
        "default_pool_size": pooler["default_pool_size"],
        "max_client_conn": pooler["max_client_conn"],
        "pool_mode": pooler["pool_mode"],
    }


@router.get("/v1/projects/{ref}/config/database/pooler")
def get_pooler(ref: str, who: CallerDep) -> list[dict[str, Any]]:
    return [pooler_view(who, load_project(who, ref))]


@router.patch("/v1/projects/{ref}/config/database/pooler")
def update_pooler(ref: str, body: UpdatePoolerBody, who: CallerDep) -> dict[str, Any]:
    project = load_project(who, ref)
    project["pooler"].update(body.model_dump(exclude_unset=True, exclude_none=True))
    save_project(who, project)
    pooler = project["pooler"]
    return {"default_pool_size": pooler["default_pool_size"], "pool_mode": pooler["pool_mode"]}
