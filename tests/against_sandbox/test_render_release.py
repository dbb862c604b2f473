"""The Render Service provider deploys exactly the pinned release, against the sandbox over HTTP:
a commit (``commitId``) or an image (``imageUrl``), one deploy per change, a failing deploy
named with the deploy that keeps serving, and a deploy made elsewhere read back as drift."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from paas_stacks.errors import ResourceError
from paas_stacks.providers.render.service import ServiceProvider
from sandbox import Sandbox
from tests.against_sandbox.test_render_support import connected, http, outs, unique

A, B, C, M = ("a" * 40, "b" * 40, "c" * 40, "e" * 40)
REPO = "https://github.com/acme/shop"
DIGEST_1, DIGEST_2 = "sha256:" + "1" * 64, "sha256:" + "2" * 64


@pytest.fixture
def provider(sandbox: Sandbox) -> ServiceProvider:
    return connected(sandbox, ServiceProvider())


def pinned(name: str, commit: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": "web",
        "runtime": "node",
        "repo": REPO,
        "branch": "main",
        "commit": commit,
        "auto_deploy": False,
        "build_command": "npm ci",
        "start_command": "npm start",
        "env_vars": {"A": "1"},
        **extra,
    }


def deploys(sandbox: Sandbox, service_id: str) -> list[dict[str, Any]]:
    with http(sandbox) as client:
        answer = client.get(f"/services/{service_id}/deploys", params={"limit": 100})
        return [entry["deploy"] for entry in answer.json()]


def live_commits(sandbox: Sandbox, service_id: str) -> list[str]:
    return [d["commit"]["id"] for d in deploys(sandbox, service_id) if d["status"] == "live"]


def test_a_pinned_commit_is_what_goes_live_and_a_new_pin_is_one_deploy(
    provider: ServiceProvider, sandbox: Sandbox
) -> None:
    props = pinned(unique("rel-web"), A)
    created = provider.create(props)
    out = outs(created)
    assert out["commit"] == A
    assert live_commits(sandbox, created.id) == [A]
    assert provider.diff(created.id, out, props).changes is False

    before = len(deploys(sandbox, created.id))
    news = {**props, "commit": B}
    assert provider.diff(created.id, out, news).changes is True
    updated = outs(provider.update(created.id, out, news))
    assert updated["commit"] == B
    assert len(deploys(sandbox, created.id)) == before + 1
    assert live_commits(sandbox, created.id) == [B]
    provider.delete(created.id, updated)


def test_any_deploy_of_a_pinned_service_carries_the_pin_not_the_branch_head(
    provider: ServiceProvider, sandbox: Sandbox
) -> None:
    props = pinned(unique("rel-env"), A)
    created = provider.create(props)
    push = {"repo": REPO, "branch": "main", "commit": M}  # main moves on; the service stays on A
    httpx.post(sandbox.origin("render") + "/_sandbox/git/push", json=push, timeout=30)
    news = {**props, "env_vars": {"A": "2"}}
    updated = outs(provider.update(created.id, outs(created), news))
    assert updated["commit"] == A
    assert live_commits(sandbox, created.id) == [A]
    provider.delete(created.id, updated)


def test_a_failing_deploy_fails_the_update_and_the_previous_one_keeps_serving(
    provider: ServiceProvider, sandbox: Sandbox
) -> None:
    props = pinned(unique("rel-fail"), A)
    created = provider.create(props)
    out = outs(created)
    fail = httpx.post(
        sandbox.origin("render") + "/_sandbox/deploys/fail", json={"commit": C}, timeout=30
    )
    assert fail.status_code == 204
    try:
        with pytest.raises(ResourceError) as failed:
            provider.update(created.id, out, {**props, "commit": C})
    finally:
        httpx.post(
            sandbox.origin("render") + "/_sandbox/deploys/fail",
            json={"commit": C, "status": "live"},
            timeout=30,
        )
    newest = deploys(sandbox, created.id)[0]
    assert newest["status"] == "build_failed"
    message = str(failed.value)
    assert f"deploy {newest['id']} (commit {C}) ended as 'build_failed'" in message
    assert f"the live deploy {out['live_deploy_id']} (commit {A}) keeps serving" in message
    assert live_commits(sandbox, created.id) == [A]
    provider.delete(created.id, out)


def test_a_deploy_made_elsewhere_is_read_back_as_drift(
    provider: ServiceProvider, sandbox: Sandbox
) -> None:
    props = pinned(unique("rel-drift"), A)
    created = provider.create(props)
    with http(sandbox) as client:
        client.post(f"/services/{created.id}/deploys", json={"commitId": B})
    read = outs(provider.read(created.id, outs(created)))
    assert read["commit"] == B
    assert provider.diff(created.id, read, props).changes is True
    restored = outs(provider.update(created.id, read, props))
    assert restored["commit"] == A
    provider.delete(created.id, restored)


def test_a_new_pinned_service_whose_branch_head_differs_runs_the_pin(
    provider: ServiceProvider, sandbox: Sandbox
) -> None:
    # The sandbox's main head for REPO is whatever was pushed last (or made up): never A here.
    props = pinned(unique("rel-first"), "f" * 40)
    created = provider.create(props)
    assert outs(created)["commit"] == "f" * 40
    assert live_commits(sandbox, created.id) == ["f" * 40]
    provider.delete(created.id, outs(created))


def test_an_image_backed_service_deploys_the_pinned_image_by_digest(
    provider: ServiceProvider, sandbox: Sandbox
) -> None:
    first = f"ghcr.io/acme/shop-api:main-aaaaaaa@{DIGEST_1}"
    props = {
        "name": unique("rel-img"),
        "type": "web",
        "runtime": "image",
        "image": first,
        "auto_deploy": False,
    }
    created = provider.create(props)
    out = outs(created)
    assert (out["image"], out["image_digest"]) == (first, DIGEST_1)
    assert provider.diff(created.id, out, props).changes is False
    second = f"ghcr.io/acme/shop-api:main-bbbbbbb@{DIGEST_2}"
    updated = outs(provider.update(created.id, out, {**props, "image": second}))
    assert (updated["image"], updated["image_digest"]) == (second, DIGEST_2)
    newest = deploys(sandbox, created.id)[0]
    assert newest["image"] == {"ref": second, "sha": DIGEST_2}
    assert newest["status"] == "live"
    provider.delete(created.id, updated)
