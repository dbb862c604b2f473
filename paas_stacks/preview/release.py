"""What a preview runs: the pull request's head, pinned as the preview stack's release.

The rule that matters here: ``prepare --head-ref --head-sha`` pins the PR's head commit and
branch on every service that follows this repository (Render: that branch and commit; images:
the workflow adds the ``pr-<N>-<sha7>`` builds with ``python -m paas_stacks.release set``), so
each push deploys exactly the PR's new head, and the comment can say what runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from paas_stacks.components.spec import load_stack
from paas_stacks.components.spec.release import RELEASE_KEY, Release, follows
from paas_stacks.errors import PreviewError
from paas_stacks.preview.pulumi_cli import Pulumi
from paas_stacks.release.cli import set_release
from paas_stacks.release.images import ReleaseError

__all__ = ["head_of", "head_release", "image_tag", "pin_head"]


def image_tag(pr: int, sha: str) -> str:
    """The tag the workflow pushes a preview's images with: ``pr-<N>-<sha7>``."""
    return f"pr-{pr}-{sha[:7]}"


def head_release(ref: str | None, sha: str | None) -> Release:
    """The PR's head (``sha`` on branch ``ref``) as a release, checked before anything runs."""
    try:
        if not sha:
            raise ValueError("no head commit")
        return Release.model_validate({"commit": sha, **({"branch": ref} if ref else {})})
    except ValueError:
        raise PreviewError(
            f"--head-sha must be the head commit's full SHA and --head-ref a branch name; got "
            f"{sha!r} and {ref!r}"
        ) from None


def pin_head(pulumi: Pulumi, stacks_dir: Path, stack: str, release: Release) -> str:
    """Pin ``stack``'s release to the PR's head (see ``head_release``)."""
    try:
        summary = set_release(pulumi, stacks_dir, stack, release)
    except ReleaseError as exc:
        raise PreviewError(str(exc)) from None
    spec = load_stack(stack, stacks_dir, check_secrets=False)
    if not any(follows(spec, name) for name in (*spec.services, *spec.static_sites)):
        # Said rather than refused: a base without `repository:` is a valid choice (the demo).
        summary += (
            "; nothing in this stack follows this repository (no `repository:`), so the preview "
            "runs what its services pin, not the pull request's head"
        )
    return summary


def head_of(stacks_dir: Path, stack: str) -> tuple[str, str] | None:
    """The (branch, commit) a preview's stack file pins, if both are there."""
    path = stacks_dir / f"Pulumi.{stack}.yaml"
    document: Any = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    release = ((document or {}).get("config") or {}).get(RELEASE_KEY) or {}
    if release.get("branch") and release.get("commit"):
        return str(release["branch"]), str(release["commit"])
    return None
