"""Lifecycle routes: list, create, get, delete, rename, reset-password (paths under ``/v2``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from sandbox.upstash.auth import Caller, caller_of
from sandbox.upstash.creation import normalise
from sandbox.upstash.models import CreateDatabaseBody, RenameBody
from sandbox.upstash.records import present
from sandbox.upstash.service import Databases

CallerDep = Annotated[Caller, Depends(caller_of)]


def database_routes(databases: Databases) -> APIRouter:
    router = APIRouter()

    @router.get("/redis/databases")
    def list_databases(caller: CallerDep) -> list[dict[str, Any]]:
        return [present(doc) for doc in databases.list(caller)]

    @router.post("/redis/database")
    def create_database(caller: CallerDep, body: CreateDatabaseBody) -> dict[str, Any]:
        # The spec declares 200 (not 201) for a created database; create is synchronous.
        return present(databases.create(caller, normalise(body)))

    @router.get("/redis/database/{database_id}")
    def get_database(
        caller: CallerDep, database_id: str, credentials: str | None = None
    ) -> dict[str, Any]:
        return present(databases.get(caller, database_id), hide_credentials=credentials == "hide")

    @router.delete("/redis/database/{database_id}")
    def delete_database(caller: CallerDep, database_id: str) -> str:
        databases.delete(caller, database_id)
        return "OK"

    @router.post("/redis/rename/{database_id}")
    def rename_database(caller: CallerDep, database_id: str, body: RenameBody) -> dict[str, Any]:
        return present(databases.rename(caller, database_id, body.name))

    @router.post("/redis/reset-password/{database_id}")
    def reset_password(caller: CallerDep, database_id: str) -> dict[str, Any]:
        # Any body (S5 sends {}, Terraform-style clients send null) is ignored.
        return present(databases.reset_password(caller, database_id))

    return router
