"""What every Render route shares: the context, the caller's workspace, ids, times, pages, bodies.

The rule that matters: a request's workspace comes only from its API key, and every lookup is
scoped to that workspace, so another workspace's ids are indistinguishable from unknown ones.
"""

from __future__ import annotations

import json
import secrets
import string
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request
from pydantic import BaseModel, TypeAdapter, ValidationError

from sandbox.core.context import VendorContext
from sandbox.render.errors import RenderError, bad_request, describe_errors, not_found

VENDOR = "render"
_ALPHABET = string.ascii_lowercase + string.digits
ModelT = TypeVar("ModelT", bound=BaseModel)


def get_ctx(request: Request) -> VendorContext:
    ctx: VendorContext = request.app.state.ctx
    return ctx


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def auth_owner(request: Request) -> str:
    """The workspace of the API key; 401 for a missing or unknown key."""
    token = bearer_token(request)
    owner = get_ctx(request).tokens.get(token or "")
    if owner is None:
        raise RenderError(401, "unauthorized")
    return owner


Ctx = Annotated[VendorContext, Depends(get_ctx)]
Owner = Annotated[str, Depends(auth_owner)]


def new_id(prefix: str, suffix: str = "") -> str:
    """Render-looking ids: ``srv-`` + 20 lowercase alphanumerics (Postgres adds ``-a``)."""
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(20)) + suffix


def random_secret(length: int = 32) -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(length))


def iso(timestamp: float) -> str:
    """ISO-8601 UTC with a ``Z``, as Render writes its timestamps."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def owner_json(owner_id: str) -> dict[str, Any]:
    """The workspace object; the sandbox invents a name and email from the id."""
    short = owner_id.removeprefix("tea-")
    return {
        "id": owner_id,
        "name": f"Sandbox workspace {short}",
        "email": f"{short}@sandbox.invalid",
        "twoFactorAuthEnabled": False,
        "type": "team",
    }


class Page:
    """``cursor``/``limit`` query parameters (limit 1..100, default 20; bad values are a 400)."""

    def __init__(
        self,
        cursor: Annotated[str | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
    ) -> None:
        self.cursor = cursor
        self.limit = limit

    def slice(self, items: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
        """Items after ``cursor`` (an item's own cursor), at most ``limit`` of them."""
        start = 0
        if self.cursor:
            keys = [key for key, _ in items]
            start = keys.index(self.cursor) + 1 if self.cursor in keys else len(items)
        return [item for _, item in items[start : start + self.limit]]


PageParams = Annotated[Page, Depends(Page)]


def multi(request: Request, name: str) -> list[str]:
    """A form-style array query parameter: ``?type=a,b`` or ``?type=a&type=b``."""
    values: list[str] = []
    for raw in request.query_params.getlist(name):
        values.extend(part for part in raw.split(",") if part)
    return values


async def json_body(request: Request) -> Any:
    """The parsed JSON body; malformed JSON is a 400 like any other bad input."""
    raw = await request.body()
    try:
        return json.loads(raw) if raw else None
    except ValueError as exc:
        raise bad_request(f"invalid JSON body: {exc}") from exc


Body = Annotated[Any, Depends(json_body)]


def parse(model: type[ModelT] | TypeAdapter[Any], body: Any) -> Any:
    """Validate ``body`` against a request model; every problem becomes one 400 message."""
    if body is None:
        raise bad_request("request body is required")
    try:
        if isinstance(model, TypeAdapter):
            return model.validate_python(body)
        return model.model_validate(body)
    except ValidationError as exc:
        raise bad_request(describe_errors(exc.errors())) from exc


def load(ctx: VendorContext, kind: str, id_: str, owner: str, what: str) -> dict[str, Any]:
    """One of the caller's objects, or 404 (also for another workspace's)."""
    doc = ctx.store.get(VENDOR, kind, id_, owner)
    if doc is None:
        raise not_found(what)
    return doc


def check_owner(owner: str, owner_id: str, status: int = 404) -> None:
    """A body's ``ownerId`` must be the caller's own workspace."""
    if owner_id != owner:
        raise RenderError(status, f"owner {owner_id} not found")
