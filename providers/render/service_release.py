"""What a Render service runs: the pinned release (a commit or an image) and its deploys.

The rule that matters here: every deploy the provider starts carries the pinned release
(``commitId`` for a service built from a repository, ``imageUrl`` for an image-backed one), so a
deploy made for any reason (new env vars, a new command) never picks up the branch's head
instead; the update waits until that very deploy is live, and a deploy that fails stops the
update with its id and status while the live deploy keeps serving. ``read`` reports the live
deploy's commit and image, so a deploy made elsewhere (dashboard, auto-deploy) is drift.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any

from paas_stacks.errors import InvalidRequestError, ResourceError
from paas_stacks.providers._wait import PROVISIONING, poll_until
from paas_stacks.providers.render.client import RenderClient
from paas_stacks.providers.render.service_inputs import ServiceInputs

__all__ = [
    "DEPLOY_DONE",
    "DEPLOY_FAILED",
    "deploy_body",
    "live_deploy",
    "pin_first_deploy",
    "released",
    "start_deploy",
    "wait_live",
]

#: ``deactivated``: our deploy went live and a newer one has replaced it since.
DEPLOY_DONE = frozenset({"live", "deactivated"})
DEPLOY_FAILED = frozenset({"build_failed", "update_failed", "pre_deploy_failed", "canceled"})
#: How long one deploy may take before the update gives up (a build plus the health check).
DEPLOY_LIMIT_SECONDS = 1800.0
#: Deploys looked through to find the one a 202 (queued, no body) answer started.
RECENT = 10


def deploy_body(inputs: ServiceInputs) -> dict[str, Any]:
    """``POST /services/{id}/deploys``: the pinned commit or image; ``{}`` when nothing is pinned
    (Render then builds the head of the service's branch)."""
    if inputs.runtime == "image" and inputs.image:
        return {"imageUrl": inputs.image}
    if inputs.commit:
        return {"commitId": inputs.commit}
    return {}


def released(deploy: dict[str, Any] | None) -> dict[str, Any]:
    """The release a deploy runs, under the outputs' keys (``None`` where it has none)."""
    commit = (deploy or {}).get("commit") or {}
    image = (deploy or {}).get("image") or {}
    return {
        "commit": commit.get("id"),
        "image_ref": image.get("ref"),
        "image_digest": image.get("sha"),
        "live_deploy_id": (deploy or {}).get("id"),
    }


def live_deploy(client: RenderClient, service_id: str) -> dict[str, Any] | None:
    """The service's live deploy (Render keeps at most one), or ``None`` before any went live."""
    page = client.json(
        "GET", f"/services/{service_id}/deploys", params={"status": "live", "limit": 1}
    )
    for entry in page or []:
        deploy = entry.get("deploy") if isinstance(entry, dict) else None
        if deploy and deploy.get("status") == "live":
            return dict(deploy)
    return None


def start_deploy(client: RenderClient, service_id: str, inputs: ServiceInputs) -> str:
    """Deploy the pinned release; returns the new deploy's id.

    Render answers 202 without a body when the deploy is queued behind a running one; the new
    deploy is then the newest one carrying the pinned release.
    """
    body = deploy_body(inputs)
    answer = client.json("POST", f"/services/{service_id}/deploys", json=body)
    if isinstance(answer, dict) and answer.get("id"):
        return str(answer["id"])
    recent = client.json("GET", f"/services/{service_id}/deploys", params={"limit": RECENT})
    for entry in recent or []:
        deploy = entry.get("deploy") or {}
        if _runs(deploy, inputs):
            return str(deploy["id"])
    raise ResourceError(f"Render service {service_id}: the deploy it asked for is not listed")


def pin_first_deploy(
    client: RenderClient, service_id: str, first: str | None, inputs: ServiceInputs
) -> str | None:
    """A new service deploys its branch's head by itself; when a commit is pinned and that head
    is another commit, cancel that deploy (if it is still running) and deploy the pinned one."""
    if not inputs.commit or first is None:
        return first
    deploy = client.json("GET", f"/services/{service_id}/deploys/{first}")
    if _runs(deploy, inputs):
        return first
    if deploy.get("status") not in (*DEPLOY_DONE, *DEPLOY_FAILED):
        # A 400 means it finished meanwhile: the pinned deploy below replaces it all the same.
        with suppress(InvalidRequestError):
            client.json("POST", f"/services/{service_id}/deploys/{first}/cancel")
    return start_deploy(client, service_id, inputs)


def wait_live(
    client: RenderClient,
    label: str,
    service_id: str,
    deploy_id: str,
    say: Callable[[str], None],
) -> dict[str, Any]:
    """Poll the deploy until it is live; a failed or canceled one raises, naming it and the
    deploy that keeps serving."""
    what = f"{label}: deploy {deploy_id}"

    def check() -> dict[str, Any]:
        deploy: dict[str, Any] = client.json("GET", f"/services/{service_id}/deploys/{deploy_id}")
        if deploy.get("status") in DEPLOY_FAILED:
            raise ResourceError(_failure(client, what, service_id, deploy))
        return deploy

    def give_up(deploy: dict[str, Any], _waited: float) -> dict[str, Any]:
        raise ResourceError(
            f"{what} is still {deploy.get('status')!r} after {DEPLOY_LIMIT_SECONDS:.0f}s; "
            "giving up (it may still go live: run `pulumi refresh` to see)"
        )

    return poll_until(
        check,
        lambda deploy: deploy.get("status") in DEPLOY_DONE,
        limit=DEPLOY_LIMIT_SECONDS,
        sleep=client.pause,
        say=lambda deploy, _waited, delay: say(
            f"{what}: {deploy.get('status')}; checking again in {delay:.0f}s"
        ),
        timeout=give_up,
        backoff=PROVISIONING,
    )


def _failure(client: RenderClient, what: str, service_id: str, deploy: dict[str, Any]) -> str:
    serving = live_deploy(client, service_id)
    still = (
        f"the live deploy {serving['id']}{_describe(serving)} keeps serving"
        if serving
        else "no deploy of this service is live"
    )
    return f"{what}{_describe(deploy)} ended as {deploy.get('status')!r}; {still}"


def _describe(deploy: dict[str, Any]) -> str:
    """`` (commit <sha>)`` or `` (image <ref>)``; empty when the deploy records neither."""
    release = released(deploy)
    if release["commit"]:
        return f" (commit {release['commit']})"
    if release["image_ref"]:
        return f" (image {release['image_ref']})"
    return ""


def _runs(deploy: dict[str, Any], inputs: ServiceInputs) -> bool:
    """True when ``deploy`` runs the pinned release of ``inputs``."""
    release = released(deploy)
    if inputs.runtime == "image":
        return bool(release["image_ref"] == inputs.image)
    return inputs.commit is not None and release["commit"] == inputs.commit
