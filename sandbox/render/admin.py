"""The Render emulator's own admin calls, beside the shared ``/_sandbox`` ones.

The rule that matters here: these stand in for what happens outside the Render API (a ``git
push`` to a connected repository, a build that breaks), so tests can drive the paths a real
team meets: an auto-deploy made behind the stack's back, a failing deploy.

- ``POST /_sandbox/git/push`` ``{repo, branch, commit, message?}``: the branch's new head;
  services following that branch with ``autoDeploy: yes`` start deploying it
  (answers ``{commit, deploys}``).
- ``POST /_sandbox/deploys/fail`` ``{commit | image, status}``: later deploys of that commit
  (or image digest/reference) end as ``status`` (``build_failed``, ``update_failed``,
  ``pre_deploy_failed``); ``live`` clears it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

from sandbox.core.context import VendorContext
from sandbox.render import sources
from sandbox.render.deploys import auto_deploy
from sandbox.render.errors import RenderError

__all__ = ["admin_router"]


class Push(BaseModel):
    repo: str
    branch: str
    commit: str
    message: str = ""


class Failing(BaseModel):
    commit: str | None = None
    image: str | None = None
    status: str = "build_failed"


def admin_router(ctx: VendorContext) -> APIRouter:
    router = APIRouter()

    @router.post("/_sandbox/git/push")
    def git_push(body: Push) -> dict[str, Any]:
        with _as_http():
            commit = sources.push(ctx, body.repo, body.branch, body.commit, body.message)
        return {"commit": commit, "deploys": auto_deploy(ctx, body.repo, body.branch)}

    @router.post("/_sandbox/deploys/fail", status_code=204)
    def fail(body: Failing) -> None:
        with _as_http():
            sources.mark_failing(ctx, commit=body.commit, image=body.image, status=body.status)

    return router


@contextmanager
def _as_http() -> Iterator[None]:
    """The admin app has no Render error handlers: a refusal becomes a plain HTTP error."""
    try:
        yield
    except RenderError as exc:
        raise HTTPException(exc.status, exc.message) from None
