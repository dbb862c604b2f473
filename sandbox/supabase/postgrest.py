"""The project's PostgREST settings (``/v1/projects/{ref}/postgrest``).

``GET`` answers ``PostgrestConfigWithJWTSecretResponse``: the settings plus the project's JWT
secret, which the Supabase CLI reads to sign its own keys; ``PATCH`` answers the settings
without it. Defaults are the platform's (and the CLI's ``config.toml``): schemas
``public,graphql_public``, extra search path ``public,extensions``, 1000 rows, pool sized by
compute (``null``). Bookkeeping only: no PostgREST runs here.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from sandbox.supabase.auth import CallerDep
from sandbox.supabase.models import UpdatePostgrestBody
from sandbox.supabase.state import POSTGREST_CONFIG, get_setting, load_project, put_setting

router = APIRouter()
PATH = "/v1/projects/{ref}/postgrest"
DEFAULTS: dict[str, Any] = {
    "db_schema": "public,graphql_public",
    "max_rows": 1000,
    "db_extra_search_path": "public,extensions",
    "db_pool": None,
}


@router.get(PATH)
def get_postgrest(ref: str, who: CallerDep) -> dict[str, Any]:
    project = load_project(who, ref)
    settings = get_setting(who, POSTGREST_CONFIG, ref) or DEFAULTS
    return {**settings, "jwt_secret": project["jwt_secret"]}


@router.patch(PATH)
def update_postgrest(ref: str, body: UpdatePostgrestBody, who: CallerDep) -> dict[str, Any]:
    load_project(who, ref)
    settings = {**(get_setting(who, POSTGREST_CONFIG, ref) or DEFAULTS)}
    settings.update(body.model_dump(exclude_unset=True))
    put_setting(who, POSTGREST_CONFIG, ref, settings)
    return settings
