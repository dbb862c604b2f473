"""Owners (workspaces): an API key sees exactly the one workspace it belongs to."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from sandbox.render.common import Owner, PageParams, multi, owner_json
from sandbox.render.errors import not_found

router = APIRouter()


@router.get("/owners")
def list_owners(request: Request, owner: Owner, page: PageParams) -> list[dict[str, Any]]:
    item = owner_json(owner)
    names, emails = multi(request, "name"), multi(request, "email")
    if (names and item["name"] not in names) or (emails and item["email"] not in emails):
        return []
    return page.slice([(owner, {"owner": item, "cursor": owner})])


@router.get("/owners/{ownerId}")
def get_owner(ownerId: str, owner: Owner) -> dict[str, Any]:
    if ownerId != owner:
        raise not_found("owner")
    return owner_json(owner)
