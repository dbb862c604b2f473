"""A rehearsal of shipping code (.github/workflows/preview.yml, deploy.yml and rollback.yml)
through the real engine, against the sandbox, on a self-managed S3 backend served locally by
moto: the same commands in the same order, each job in a fresh checkout.

Two backends, as the README's preview section asks: previews (and the sweeper) on their own
prefix with their own passphrase, staging and production on another, so a preview job holds
nothing that decrypts the long-lived stacks' state. Images are built by a stand-in ``docker``
(tests/integration/fake_docker.py) that records a fresh digest per push, as a registry would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox import Sandbox
from sandbox.core.faults import FaultSettings
from tests.engine import VENDORS, credentials, handed_out_secrets
from tests.integration import fake_docker
from tests.integration.test_seed_stacks_engine import project_copy
from tests.s3_backend import S3Backend, local_s3

pytestmark = pytest.mark.engine

HERE = Path(__file__).resolve().parent
REPO = "https://github.com/acme/shop"
A, B, M, C, X = ("a1" * 20, "b2" * 20, "e5" * 20, "c3" * 20, "f6" * 20)
PREVIEWS, MAIN = "previews", "main"


class Job:
    """One workflow job: a fresh checkout, the sandbox's vendor credentials, one backend."""

    def __init__(self, tmp: Path, name: str, env: dict[str, str], docker: Path) -> None:
        (tmp / name).mkdir()
        self.project = project_copy(tmp / name)
        for generated in (self.project / "stacks").glob("Pulumi.pr-*.yaml"):
            generated.unlink()
        for stack in ("staging", "production"):
            text = (HERE / "release_stacks" / f"Pulumi.{stack}.yaml").read_text()
            (self.project / "stacks" / f"Pulumi.{stack}.yaml").write_text(text)
        path = f"{docker}{os.pathsep}{os.environ['PATH']}"
        self.env = {**os.environ, **env, "PATH": path}

    def run(self, *argv: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            list(argv), cwd=self.project, env=self.env, capture_output=True, text=True, check=False
        )
        if ok:
            assert done.returncode == 0, f"{argv} failed:\n{done.stdout}\n{done.stderr}"
        return done

    def py(self, module: str, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run(sys.executable, "-m", f"paas_stacks.{module}", *args, ok=ok)

    def pulumi(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("pulumi", *args, "--non-interactive", ok=ok)

    def up(self, stack: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        """What ``pulumi/actions`` ``command: up`` (``upsert: true``) runs."""
        return self.pulumi("up", "--yes", "--skip-preview", "--stack", stack, ok=ok)

    def ensure(self, stack: str) -> None:
        if self.pulumi("stack", "select", stack, ok=False).returncode != 0:
            self.pulumi("stack", "init", stack)


class Vendors:
    """Reads the sandbox through the vendors' own APIs, as a person checking would."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    def render(self) -> httpx.Client:
        token = self.sandbox.token("render")
        headers = {"Authorization": f"Bearer {token}"}
        return httpx.Client(base_url=self.sandbox.base_url("render"), headers=headers, timeout=30)

    def service_id(self, name: str) -> str:
        with self.render() as api:
            found = [e["service"] for e in api.get("/services", params={"name": name}).json()]
        assert len(found) == 1, f"{name}: {found}"
        return str(found[0]["id"])

    def deploys(self, name: str) -> list[dict[str, Any]]:
        with self.render() as api:
            answer = api.get(f"/services/{self.service_id(name)}/deploys", params={"limit": 100})
        return [entry["deploy"] for entry in answer.json()]

    def live_commit(self, name: str) -> str:
        live = [d for d in self.deploys(name) if d["status"] == "live"]
        assert len(live) == 1, live
        return str(live[0]["commit"]["id"])

    def machine_images(self, app: str) -> set[str]:
        token = self.sandbox.token("fly")
        with httpx.Client(
            base_url=self.sandbox.base_url("fly"),
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ) as api:
            machines = api.get(f"/apps/{app}/machines").json()
        return {m["config"]["image"] for m in machines if m["state"] != "destroyed"}

    def writes_since(self, marks: dict[str, int]) -> int:
        return sum(self.sandbox.log(v).writes(marks[v]) for v in VENDORS)

    def marks(self) -> dict[str, int]:
        return {v: self.sandbox.log(v).last_seq() for v in VENDORS}

    def admin(self, path: str, body: dict[str, Any]) -> None:
        answer = httpx.post(self.sandbox.origin("render") + path, json=body, timeout=30)
        assert answer.status_code in (200, 204), answer.text

    def everything(self) -> str:
        docs = [
            self.sandbox.store.all(vendor, kind)
            for vendor, kind, _ in self.sandbox.store.kinds()
            if not vendor.startswith("_") and not kind.startswith("_")
        ]
        return json.dumps(docs)


def preview_push(job: Job, pr: int, ref: str, sha: str) -> str:
    """preview.yml on opened/synchronize: prepare (pins the head), build and push the images
    tagged pr-<N>-<sha7>, pin them, the budget gate, the action's `up`, the comment."""
    stack = f"pr-{pr}"
    head = ("--head-ref", ref, "--head-sha", sha)
    job.py("preview", "prepare", "--pr", str(pr), "--base", "staging", *head)
    tag = f"pr-{pr}-{sha[:7]}"
    job.py("release", "build", "--stack", stack, "--tag", tag, "--output", "images.txt")
    pins = ("--commit", sha, "--branch", ref, "--images-from", "images.txt")
    job.py("release", "set", "--stack", stack, *pins)
    job.py("preview", "gate", "--pr", str(pr), "--base", "staging", "--ceiling", "50")
    job.up(stack)
    return job.py("preview", "comment", "--pr", str(pr), "--base", "staging").stdout


def deploy_main(job: Job, stack: str, sha: str) -> str:
    """deploy.yml's staging job: build main's images once, pin commit + digests, `up`, and hand
    the release it runs to the production job."""
    job.ensure(stack)
    tag = f"main-{sha[:7]}"
    job.py("release", "build", "--stack", stack, "--tag", tag, "--output", "images.txt")
    job.py("release", "set", "--stack", stack, "--commit", sha, "--images-from", "images.txt")
    job.up(stack)
    return job.py("release", "running", "--stack", stack).stdout


@pytest.fixture
def s3_backend() -> Iterator[S3Backend]:
    with local_s3() as backend:
        yield backend


def test_each_environment_runs_the_release_it_pins(
    tmp_path: Path, engine_sandbox: Sandbox, s3_backend: S3Backend, pulumi_cli: str
) -> None:
    sandbox = engine_sandbox
    sandbox.set_faults(FaultSettings())
    registry = fake_docker.install(tmp_path / "docker")
    docker = registry.parent / "bin"
    vendor_env = sandbox.env()
    preview_env = {**vendor_env, **s3_backend.env(PREVIEWS, "preview-only-passphrase")}
    main_env = {**vendor_env, **s3_backend.env(MAIN, "long-lived-passphrase")}
    vendors = Vendors(sandbox)
    jobs: list[Job] = []

    def job(name: str, env: dict[str, str]) -> Job:
        jobs.append(Job(tmp_path, name, env, docker))
        return jobs[-1]

    world = World(job, vendors, registry, preview_env, main_env, s3_backend)
    try:
        edge_a = _pull_request(world)
        _failing_deploy(world, _promote(world))
        _no_op_and_drift(world, _rollback_under_lock(world, edge_a))
    finally:
        sandbox.set_faults(FaultSettings())
        cleanup = job("cleanup", main_env)
        for stack in ("production", "staging"):
            if cleanup.pulumi("stack", "select", stack, ok=False).returncode == 0:
                cleanup.pulumi("destroy", "--yes", "--skip-preview", "--stack", stack, ok=False)
                cleanup.pulumi("stack", "rm", "--yes", "--stack", stack, ok=False)
        sweeper = job("sweeper", preview_env)
        sweeper.py("preview", "destroy", "--pr", "1", ok=False)
    held = vendors.everything()
    for name in ("pr-1-", "staging-", "production-"):
        assert name not in held


@dataclass
class World:
    """What every phase of the rehearsal uses."""

    job: Callable[[str, dict[str, str]], Job]
    vendors: Vendors
    registry: Path
    preview_env: dict[str, str]
    main_env: dict[str, str]
    s3: S3Backend


def _pull_request(w: World) -> str:
    """PR 1 opens at A, B is pushed, the PR closes; returns the image run at A."""
    # -- PR 1 opens at A: Render deploys A from its branch, Fly runs the image built for A.
    w.vendors.admin("/_sandbox/git/push", {"repo": REPO, "branch": "feature-1", "commit": A})
    opened = preview_push(w.job("pr1-open", w.preview_env), 1, "feature-1", A)
    assert w.vendors.live_commit("pr-1-api") == A
    [edge_a] = w.vendors.machine_images("pr-1-edge")
    assert edge_a.startswith(f"registry.fly.io/shop-edge:pr-1-{A[:7]}@sha256:")
    assert f"runs `{A[:7]}`" in opened
    assert f"runs `pr-1-{A[:7]}@sha256:" in opened
    assert f"Runs `feature-1` at `{A[:7]}`" in opened
    assert w.s3.keys(f"{PREVIEWS}/.pulumi/stacks/")  # the preview's state is on S3
    assert not w.s3.keys(f"{MAIN}/")

    # -- A push of B: one new deploy per service, B live, A not; the comment says B.
    api_before = len(w.vendors.deploys("pr-1-api"))
    w.vendors.admin("/_sandbox/git/push", {"repo": REPO, "branch": "feature-1", "commit": B})
    pushed = preview_push(w.job("pr1-push", w.preview_env), 1, "feature-1", B)
    deploys = w.vendors.deploys("pr-1-api")
    assert len(deploys) == api_before + 1
    assert [d["commit"]["id"] for d in deploys if d["status"] == "live"] == [B]
    assert A not in {d["commit"]["id"] for d in deploys if d["status"] == "live"}
    [edge_b] = w.vendors.machine_images("pr-1-edge")
    assert edge_b.startswith(f"registry.fly.io/shop-edge:pr-1-{B[:7]}@sha256:")
    assert f"runs `{B[:7]}`" in pushed
    assert f"runs `{A[:7]}`" not in pushed
    assert "Update #2:" in pushed

    # -- PR 1 closes: the preview is destroyed (base branch code, preview backend only).
    closer = w.job("pr1-close", w.preview_env)
    closer.py("preview", "destroy", "--pr", "1")
    assert "pr-1-" not in w.vendors.everything()
    return edge_a


def _promote(w: World) -> str:
    """Staging on M, then production promoted to it; returns the image both run."""
    # -- Merged as M: staging runs M; production is promoted to the same M and digest.
    staging_job = w.job("deploy-staging", w.main_env)
    promoted = deploy_main(staging_job, "staging", M)
    release = json.loads(promoted)
    assert release["commit"] == M
    assert w.vendors.live_commit("staging-api") == M
    [staging_image] = w.vendors.machine_images("staging-edge")
    assert release["images"] == {"edge": staging_image}
    builds_so_far = len(fake_docker.builds(w.registry))
    production = w.job("deploy-production", w.main_env)
    (production.project / "release.json").write_text(promoted)
    production.ensure("production")
    production.py("release", "set", "--stack", "production", "--from", "release.json")
    production.up("production")
    assert w.vendors.live_commit("production-api") == M
    assert w.vendors.machine_images("production-edge") == {staging_image}
    assert len(fake_docker.builds(w.registry)) == builds_so_far  # promoted, never rebuilt
    for stack in ("staging", "production"):
        plain = production.pulumi("stack", "export", "--stack", stack).stdout
        shown = production.pulumi("stack", "export", "--show-secrets", "--stack", stack).stdout
        assert not [v for v in handed_out_secrets(w.vendors.sandbox) if v in plain]
        assert not [t for t in credentials(w.vendors.sandbox) if t in plain + shown]
    return staging_image


def _failing_deploy(w: World, staging_image: str) -> None:
    """A failing C leaves M live."""
    # -- A deploy of C fails: `up` fails naming the deploy; M keeps serving.
    w.vendors.admin("/_sandbox/deploys/fail", {"commit": C})
    failing = w.job("deploy-c", w.main_env)
    failing.ensure("production")
    pins = ("--commit", C, "--image", f"edge={staging_image}")
    failing.py("release", "set", "--stack", "production", *pins)
    failed = failing.up("production", ok=False)
    assert failed.returncode != 0
    [c_deploy] = [d for d in w.vendors.deploys("production-api") if d["commit"]["id"] == C]
    assert c_deploy["status"] == "build_failed"
    assert f"deploy {c_deploy['id']} (commit {C}) ended as 'build_failed'" in failed.stdout
    assert f"(commit {M}) keeps serving" in failed.stdout
    assert w.vendors.live_commit("production-api") == M
    w.vendors.admin("/_sandbox/deploys/fail", {"commit": C, "status": "live"})


def _rollback_under_lock(w: World, edge_a: str) -> Job:
    """Rollback to A while a second run is refused by the lock."""
    # -- Rollback to A (rollback.yml): the images pushed for A, resolved by tag, no rebuild;
    #    meanwhile a second run on the same stack is refused by the backend's lock.
    rollback = w.job("rollback", w.main_env)
    rollback.ensure("production")
    tag = ("--tag", f"pr-1-{A[:7]}", "--output", "images.txt")
    rollback.py("release", "resolve", "--stack", "production", *tag)
    pins = ("--commit", A, "--images-from", "images.txt")
    rollback.py("release", "set", "--stack", "production", *pins)
    w.vendors.sandbox.set_faults(FaultSettings(latency=0.5), ("render",))
    running = subprocess.Popen(
        ["pulumi", "up", "--yes", "--skip-preview", "--stack", "production", "--non-interactive"],
        cwd=rollback.project,
        env=rollback.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not w.s3.locks(f"{MAIN}/") and running.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert w.s3.locks(f"{MAIN}/"), "the running update holds no lock on the S3 backend"
    second = w.job("deploy-again", w.main_env)
    second.ensure("production")
    refused = second.up("production", ok=False)
    out, err = running.communicate(timeout=600)
    w.vendors.sandbox.set_faults(FaultSettings())
    assert refused.returncode != 0
    assert "currently locked" in refused.stdout + refused.stderr
    assert running.returncode == 0, out + err
    assert not w.s3.locks(f"{MAIN}/")
    assert w.vendors.live_commit("production-api") == A
    [rolled_back] = w.vendors.machine_images("production-edge")
    assert rolled_back == edge_a  # the very image PR 1 ran at A
    return rollback


def _no_op_and_drift(w: World, rollback: Job) -> None:
    """No write when nothing changed; an outside deploy is drift."""
    # -- Nothing changed: a second `up` writes nothing.
    marks = w.vendors.marks()
    rollback.up("production")
    assert w.vendors.writes_since(marks) == 0

    # -- A deploy made outside (the Render API directly): `refresh` shows it as drift.
    with w.vendors.render() as api:
        made = api.post(
            f"/services/{w.vendors.service_id('production-api')}/deploys", json={"commitId": X}
        )
        assert made.status_code == 201
    refreshed = rollback.pulumi("refresh", "--yes", "--skip-preview", "--stack", "production")
    assert "1 updated" in refreshed.stdout or "~ 1 updated" in refreshed.stdout
    state = json.loads(rollback.pulumi("stack", "export", "--stack", "production").stdout)
    [api_state] = [
        r
        for r in state["deployment"]["resources"]
        if r["type"] == "pulumi-python:dynamic/render:Service"
    ]
    assert (api_state["inputs"]["commit"], api_state["outputs"]["commit"]) == (A, X)
    drift = rollback.pulumi("preview", "--diff", "--stack", "production").stdout
    assert "~ 1 to update" in drift
    rollback.up("production")  # and the next `up` puts the pinned release back
    assert w.vendors.live_commit("production-api") == A
