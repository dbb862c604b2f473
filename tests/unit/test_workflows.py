"""The workflows' hardening, as rules a change cannot quietly undo: every action pinned to a full
commit SHA with its version beside it, no credential in a workflow-level ``env:``, checkouts that
keep no token, permissions granted per job, previews on preview-only state credentials, and
promotion that never rebuilds. zizmor (installed by ``make setup``) must find nothing."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
#: The long-lived stacks' state credentials; previews hold the PREVIEW_* ones instead.
LONG_LIVED = (
    "secrets.PULUMI_ACCESS_TOKEN",
    "secrets.PULUMI_CONFIG_PASSPHRASE",
    "secrets.AWS_ACCESS_KEY_ID",
    "secrets.AWS_SECRET_ACCESS_KEY",
    "vars.PULUMI_BACKEND_URL",
)


def load(path: Path) -> dict[str, Any]:
    document: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["on"] = document.pop(True, document.get("on"))  # YAML 1.1 reads `on:` as True
    return document


def steps(path: Path) -> list[dict[str, Any]]:
    return [step for job in load(path)["jobs"].values() for step in job.get("steps", [])]


def test_there_are_the_delivery_workflows() -> None:
    names = {path.name for path in WORKFLOWS}
    assert {"ci.yml", "preview.yml", "sweep.yml", "deploy.yml", "rollback.yml"} <= names


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version_beside_it(path: Path) -> None:
    uses = re.findall(r"uses:\s*(\S+)(.*)", path.read_text(encoding="utf-8"))
    assert uses
    for ref, rest in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), f"{path.name}: {ref}"
        assert re.fullmatch(r"\s*# v\d+(\.\d+)*", rest), f"{path.name}: {ref} has no # vX.Y.Z"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_credentials_are_given_per_step_and_permissions_per_job(path: Path) -> None:
    document = load(path)
    assert document["permissions"] == {}, f"{path.name}: the workflow grants permissions"
    assert "secrets." not in yaml.safe_dump(document.get("env") or {})
    for name, job in document["jobs"].items():
        assert "permissions" in job, f"{path.name}: job {name} has no permissions of its own"
        assert "secrets." not in yaml.safe_dump(job.get("env") or {}), f"{path.name}: {name}"
    for step in steps(path):
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False, path.name


@pytest.mark.parametrize("name", ["preview.yml", "sweep.yml"])
def test_previews_never_hold_the_long_lived_stacks_state_credentials(name: str) -> None:
    text = (REPO / ".github" / "workflows" / name).read_text(encoding="utf-8")
    assert "secrets.PREVIEW_PULUMI_CONFIG_PASSPHRASE" in text
    for credential in LONG_LIVED:
        assert not re.search(re.escape(credential) + r"\b", text), f"{name}: {credential}"
    assert "pull_request_target" not in load(REPO / ".github" / "workflows" / name)["on"]


def test_a_preview_runs_the_prs_head_and_builds_its_images_before_up() -> None:
    path = REPO / ".github" / "workflows" / "preview.yml"
    runs = [str(step.get("run") or step.get("uses")) for step in load(path)["jobs"]["up"]["steps"]]
    order = [
        next(i for i, run in enumerate(runs) if needle in run)
        for needle in (
            '--head-ref "$HEAD_REF" --head-sha "$HEAD_SHA"',
            'release build --stack "$STACK"',
            'release set --stack "$STACK" --commit "$HEAD_SHA"',
            "pulumi/actions@",
        )
    ]
    assert order[0] < order[1] < order[2]
    assert order[2] < max(i for i, run in enumerate(runs) if "pulumi/actions@" in run)
    assert '--tag "pr-$PR-${HEAD_SHA::7}"' in "".join(runs)


def test_production_is_promoted_to_what_staging_runs_without_a_rebuild() -> None:
    jobs = load(REPO / ".github" / "workflows" / "deploy.yml")["jobs"]
    production = jobs["production"]
    assert production["needs"] == "staging"
    assert production["environment"] == "production"
    runs = "".join(str(step.get("run", "")) for step in production["steps"])
    assert "release build" not in runs
    assert "release resolve" not in runs
    assert 'release set --stack "$STACK" --from release.json' in runs
    assert production["env"]["RELEASE"] == "${{ needs.staging.outputs.release }}"
    staging = "".join(str(step.get("run", "")) for step in jobs["staging"]["steps"])
    assert "release build" in staging
    assert "release running" in staging


def test_a_rollback_resolves_the_earlier_images_and_never_builds() -> None:
    path = REPO / ".github" / "workflows" / "rollback.yml"
    assert set(load(path)["on"]) == {"workflow_dispatch"}
    runs = "".join(str(step.get("run", "")) for step in steps(path))
    assert "release resolve" in runs
    assert "release build" not in runs
    assert 'git merge-base --is-ancestor "$COMMIT" HEAD' in runs


def test_zizmor_finds_nothing_in_the_workflows() -> None:
    # `make setup` installs zizmor (requirements-dev.txt); missing, this fails rather than skips.
    done = subprocess.run(
        ["zizmor", "--offline", "--no-progress", "--quiet", str(REPO / ".github" / "workflows")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_make_lint_runs_actionlint_and_zizmor() -> None:
    lint = (REPO / "Makefile").read_text(encoding="utf-8").split("\nlint:", 1)[1].split("\n\n")[0]
    assert "actionlint" in lint
    assert "zizmor --offline" in lint
    assert re.search(r"^zizmor\b", (REPO / "requirements-dev.txt").read_text(), re.MULTILINE)


def _rollback_check(
    tmp_path: Path, commit: str, tag: str
) -> tuple[subprocess.CompletedProcess[str], str]:
    """rollback.yml's first step, run by bash in a small repository as the runner would."""
    path = REPO / ".github" / "workflows" / "rollback.yml"
    [script] = [
        s["run"] for s in steps(path) if s.get("name") == "The commit is an earlier commit of main"
    ]
    github_env = tmp_path / "github_env"
    github_env.write_text("")
    env = {
        "PATH": "/usr/bin:/bin",
        "COMMIT": commit,
        "IMAGE_TAG": tag,
        "GITHUB_ENV": str(github_env),
    }
    done = subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return done, github_env.read_text()


@pytest.fixture
def main_history(tmp_path: Path) -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    git("init", "-q", "-b", "main")
    git("commit", "-q", "--allow-empty", "-m", "earlier")
    earlier = git("rev-parse", "HEAD")
    git("commit", "-q", "--allow-empty", "-m", "now")
    return earlier


def test_a_rollback_takes_an_earlier_commit_of_main_and_a_plain_image_tag(
    tmp_path: Path, main_history: str
) -> None:
    done, env = _rollback_check(tmp_path, main_history, "")
    assert done.returncode == 0, done.stderr
    assert env == f"IMAGE_TAG=main-{main_history[:7]}\n"
    refused = {
        "abc1234": "commit must be a full 40-character SHA",
        "0" * 40: "is not in main's history",
    }
    for commit, message in refused.items():
        done, env = _rollback_check(tmp_path, commit, "")
        assert done.returncode == 1
        assert message in done.stderr
        assert env == ""
    done, env = _rollback_check(tmp_path, main_history, "v1\nLD_PRELOAD=/tmp/x.so")
    assert done.returncode == 1
    assert "image-tag must be a Docker tag" in done.stderr
    assert env == ""
