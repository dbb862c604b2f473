"""What a Render deploy builds: a commit of the service's repository or an image reference.

The rule that matters here: a deploy records exactly what it runs in Render's recorded shapes,
``commit {id, message, createdAt}`` (git-backed, ``image`` absent) or ``commit: null`` plus
``image {ref, sha}`` (image-backed), so a client can tell which release is live.

The sandbox has no git host and no registry, so it keeps two small tables an admin call fills
(``/_sandbox/git/push``, ``/_sandbox/deploys/fail``):

- branch heads per repository: what a deploy without ``commitId`` builds, and what a push
  deploys by itself to services with ``autoDeploy: yes`` on that branch (trigger ``new_commit``);
  a branch nobody pushed to has a made-up head derived from the repository and branch;
- failing releases: a commit id or image digest whose deploys end as the given failed status.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from sandbox.core.context import VendorContext
from sandbox.render.common import VENDOR, iso
from sandbox.render.errors import bad_request

__all__ = [
    "FAILED",
    "commit_for",
    "failure_for",
    "image_for",
    "mark_failing",
    "push",
]

#: The failed statuses of Render's ``deployStatus`` enum a deploy can be made to end in.
FAILED = ("build_failed", "update_failed", "pre_deploy_failed")
_HEADS = "_git_head"
_COMMITS = "_git_commit"
_FAILING = "_deploy_failure"
_SHA = re.compile(r"^[0-9a-f]{7,40}$")
_DIGEST = re.compile(r"@(sha256:[0-9a-f]{64})$")
#: Made-up commit times (2024-01-01T00:00:00Z): the sandbox knows no author dates.
_EPOCH = 1704067200.0


def push(
    ctx: VendorContext, repo: str, branch: str, commit: str, message: str = ""
) -> dict[str, Any]:
    """Record ``commit`` as the head of ``repo``'s ``branch`` (what ``git push`` does)."""
    if not re.fullmatch(r"[0-9a-f]{40}", commit):
        raise bad_request("commit: a full 40-character hex SHA is required")
    info = {
        "id": commit,
        "message": message or f"sandbox commit {commit[:7]}",
        "createdAt": ctx.now(),
    }
    ctx.store.put(VENDOR, _COMMITS, f"{repo}@{commit}", "_", info)
    ctx.store.put(VENDOR, _HEADS, f"{repo}#{branch}", "_", {"commit": commit})
    return _commit_json(info)


def commit_for(
    ctx: VendorContext, service: dict[str, Any], commit_id: str | None
) -> dict[str, Any]:
    """The ``commit`` a deploy of ``service`` builds: ``commit_id``, else its branch's head."""
    repo, branch = str(service.get("repo")), str(service.get("branch") or "main")
    if commit_id is None:
        head = ctx.store.get(VENDOR, _HEADS, f"{repo}#{branch}")
        commit_id = (
            head["commit"]
            if head
            else hashlib.sha1(  # noqa: S324 - not security
                f"{repo}#{branch}".encode()
            ).hexdigest()
        )
    elif not _SHA.match(commit_id):
        # UNCONFIRMED: what Render answers for a malformed commitId; a 400 is the careful guess.
        raise bad_request(f"commitId: {commit_id!r} is not a commit SHA")
    known = ctx.store.get(VENDOR, _COMMITS, f"{repo}@{commit_id}")
    if known is None:
        known = {"id": commit_id, "message": f"sandbox commit {commit_id[:7]}", "createdAt": _EPOCH}
    return _commit_json(known)


def image_for(service: dict[str, Any], image_url: str | None) -> dict[str, Any]:
    """The ``image`` a deploy of an image-backed ``service`` runs.

    ``imageUrl`` must name the service's own host, repository and image (only the tag or digest
    may differ: Render's createDeploy documents this); ``sha`` is the digest the reference
    carries, else one derived from the reference (the sandbox has no registry to resolve tags).
    """
    configured = str(service["imagePath"])
    ref = image_url or configured
    if _repository(ref) != _repository(configured):
        raise bad_request(
            f"imageUrl: {ref!r} must match the host, repository and image name of the "
            f"service's image {configured!r}"
        )
    found = _DIGEST.search(ref)
    sha = found.group(1) if found else "sha256:" + hashlib.sha256(ref.encode()).hexdigest()
    return {"ref": ref, "sha": sha}


def mark_failing(ctx: VendorContext, *, commit: str | None, image: str | None, status: str) -> None:
    """Make every later deploy of ``commit`` (or of image digest/ref ``image``) end as
    ``status``; ``status`` ``live`` clears the switch."""
    key = commit or image
    if not key or (commit and image):
        raise bad_request("give exactly one of commit or image")
    if status == "live":
        ctx.store.delete(VENDOR, _FAILING, key)
        return
    if status not in FAILED:
        raise bad_request(f"status: {status!r} is not one of {', '.join((*FAILED, 'live'))}")
    ctx.store.put(VENDOR, _FAILING, key, "_", {"status": status})


def failure_for(ctx: VendorContext, deploy: dict[str, Any]) -> str | None:
    """The failed status the switch gives this deploy's commit or image, if any."""
    commit, image = deploy.get("commit") or {}, deploy.get("image") or {}
    for key in (commit.get("id"), image.get("sha"), image.get("ref")):
        found = ctx.store.get(VENDOR, _FAILING, key) if key else None
        if found is not None:
            return str(found["status"])
    return None


def _repository(ref: str) -> str:
    """``host/repository/image`` without tag or digest."""
    rest = ref.partition("@")[0]
    last_slash = rest.rfind("/")
    colon = rest.rfind(":")
    return rest[:colon] if colon > last_slash else rest


def _commit_json(info: dict[str, Any]) -> dict[str, Any]:
    return {"id": info["id"], "message": info["message"], "createdAt": iso(info["createdAt"])}
