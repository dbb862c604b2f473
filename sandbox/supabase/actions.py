"""Action runs: what creating, resetting, pushing or merging a branch did, step by step.

The branch list's ``status`` is deprecated "in favour of" these (the spec says so), so the run
is the truth and the branch's deprecated status is read off its latest run. A run's steps
(``clone`` ... ``deploy``) each take an equal share of the time until the branch's own project
is up (``delays.project`` after it was made or reset): ``CREATED``, then ``RUNNING``, then
``EXITED``. Computed from the
stored start time, so runs advance across restarts without a thread. A run is listed under the
branch's own project ref; ``branch_id`` is the branch's id (UNCONFIRMED: it may be its ref).
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi.responses import PlainTextResponse

from sandbox.supabase.auth import Caller, CallerDep
from sandbox.supabase.errors import not_found
from sandbox.supabase.models import UpdateRunStatusBody
from sandbox.supabase.state import ACTION_RUN, VENDOR, Doc, children, iso, load_project

router = APIRouter()
PATH = "/v1/projects/{ref}/actions"
STEPS = ("clone", "pull", "health", "configure", "migrate", "seed", "deploy")
#: Crockford base32, lower case: run ids look like the spec's ``run_01hq3q9m7y5q7e4a7x2c8m1p4n``.
_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


def start_run(who: Caller, ref: str, branch_id: str, kind: str, ends_at: float) -> Doc:
    """A new run of ``kind`` (create, reset, push, merge) of the branch whose project is
    ``ref``; its last step exits at ``ends_at`` (when the branch's project is up again)."""
    run_id = "run_" + "".join(secrets.choice(_ALPHABET) for _ in range(26))
    now = who.ctx.now()
    run: Doc = {
        "key": run_id,
        "id": run_id,
        "ref": ref,
        "branch_id": branch_id,
        "kind": kind,
        "started": now,
        "duration": max(0.0, ends_at - now),
        "overrides": {},
    }
    who.ctx.store.put(VENDOR, ACTION_RUN, run_id, who.org, run)
    return run


def _step(run: Doc, index: int, now: float) -> dict[str, str]:
    name = STEPS[index]
    share = run["duration"] / len(STEPS)
    begins, ends = run["started"] + index * share, run["started"] + (index + 1) * share
    if name in run["overrides"]:
        status, changed = run["overrides"][name]
    elif now >= ends:
        status, changed = "EXITED", ends
    elif now >= begins:
        status, changed = "RUNNING", begins
    else:
        status, changed = "CREATED", run["started"]
    return {
        "name": name,
        "status": status,
        "created_at": iso(run["started"]),
        "updated_at": iso(changed),
    }


def run_view(who: Caller, run: Doc) -> dict[str, Any]:
    """ActionRunResponse. ``git_config`` and ``workdir`` are null: no Git repository here."""
    now = who.ctx.now()
    steps = [_step(run, index, now) for index in range(len(STEPS))]
    return {
        "id": run["id"],
        "branch_id": run["branch_id"],
        "run_steps": steps,
        "git_config": None,
        "workdir": None,
        "check_run_id": None,
        "created_at": iso(run["started"]),
        "updated_at": max(step["updated_at"] for step in steps),
    }


def finished(who: Caller, run: Doc) -> bool:
    return all(step["status"] == "EXITED" for step in run_view(who, run)["run_steps"])


def runs_of(who: Caller, ref: str) -> list[Doc]:
    """Newest first (UNCONFIRMED: the spec does not say the order)."""
    return sorted(children(who, ACTION_RUN, ref), key=lambda run: run["started"], reverse=True)


def latest_run(who: Caller, ref: str, branch_id: str) -> Doc | None:
    runs = [run for run in runs_of(who, ref) if run["branch_id"] == branch_id]
    return runs[0] if runs else None


def _load_run(who: Caller, ref: str, run_id: str) -> Doc:
    load_project(who, ref)
    run = who.ctx.store.get(VENDOR, ACTION_RUN, run_id, owner=who.org)
    if run is None or run["ref"] != ref:
        raise not_found("Action run")
    return run


@router.get(PATH)
def list_runs(
    ref: str,
    who: CallerDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int | None, Query(ge=10)] = None,
) -> list[dict[str, Any]]:
    load_project(who, ref)
    runs = runs_of(who, ref)[offset:]
    return [run_view(who, run) for run in (runs if limit is None else runs[:limit])]


@router.head(PATH)
def count_runs(ref: str, who: CallerDep) -> Response:
    load_project(who, ref)
    return Response(status_code=200, headers={"X-Total-Count": str(len(runs_of(who, ref)))})


@router.get(PATH + "/{run_id}")
def get_run(ref: str, run_id: str, who: CallerDep) -> dict[str, Any]:
    return run_view(who, _load_run(who, ref, run_id))


@router.get(PATH + "/{run_id}/logs", response_class=PlainTextResponse)
def get_run_logs(ref: str, run_id: str, who: CallerDep) -> str:
    """One line per step that has started (the real log format is UNCONFIRMED)."""
    view = run_view(who, _load_run(who, ref, run_id))
    lines = [
        f"{step['updated_at']} {step['name']}: {step['status']}"
        for step in view["run_steps"]
        if step["status"] != "CREATED"
    ]
    return "".join(f"{line}\n" for line in lines)


@router.patch(PATH + "/{run_id}/status")
def update_run_status(
    ref: str, run_id: str, body: UpdateRunStatusBody, who: CallerDep
) -> dict[str, str]:
    """Sets the named steps' status from now on (what the runner reports)."""
    run = _load_run(who, ref, run_id)
    now = who.ctx.now()
    for name, status in body.model_dump(exclude_none=True).items():
        run["overrides"][name] = [status, now]
    who.ctx.store.put(VENDOR, ACTION_RUN, run_id, who.org, run)
    return {"message": "ok"}
