"""Render emulator: deploys run exactly a commit or an image, one is live per service, a deploy
can be made to fail, a push auto-deploys, and an unfinished deploy can be canceled."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox import Sandbox, SandboxConfig
from sandbox.core.context import Delays
from tests.sandbox.test_render_support import (
    OWNER_ALPHA,
    assert_error,
    check,
    client,
    create_service,
    shared_sandbox,
    web_service,
)

A, B = "a" * 40, "b" * 40
REPO = "https://github.com/render-examples/flask-hello-world"
DIGEST = "sha256:" + "d" * 64


@pytest.fixture(scope="module")
def sb() -> Sandbox:
    return shared_sandbox()


@pytest.fixture
def http(sb: Sandbox) -> Iterator[httpx.Client]:
    with client(sb) as c:
        yield c


def admin(sb: Sandbox, path: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(sb.origin("render") + path, json=body, timeout=30)


def deploys(http: httpx.Client, service_id: str, **params: str) -> list[dict[str, Any]]:
    response = check(http.get(f"/services/{service_id}/deploys", params=params))
    return [entry["deploy"] for entry in response.json()]


def image_service(http: httpx.Client, name: str, image: str) -> dict[str, Any]:
    body = web_service(
        name,
        serviceDetails={"runtime": "image"},
        image={"ownerId": OWNER_ALPHA, "imagePath": image},
    )
    del body["repo"]
    return create_service(http, body)


def test_a_deploy_of_a_commit_runs_that_commit_in_the_recorded_shape(http: httpx.Client) -> None:
    service = create_service(http, web_service("commit-web"))["service"]
    made = check(http.post(f"/services/{service['id']}/deploys", json={"commitId": A}))
    assert made.status_code == 201
    deploy = made.json()
    assert set(deploy["commit"]) == {"id", "message", "createdAt"}
    assert deploy["commit"]["id"] == A
    assert "image" not in deploy
    assert deploy["trigger"] == "api"


def test_only_the_newest_finished_deploy_is_live(http: httpx.Client) -> None:
    service = create_service(http, web_service("one-live"))["service"]
    for commit in (A, B):
        check(http.post(f"/services/{service['id']}/deploys", json={"commitId": commit}))
    listed = deploys(http, service["id"])
    assert [d["status"] for d in listed] == ["live", "deactivated", "deactivated"]
    assert listed[0]["commit"]["id"] == B
    live = deploys(http, service["id"], status="live")
    assert [d["commit"]["id"] for d in live] == [B]


def test_a_failing_commit_fails_and_the_previous_deploy_keeps_serving(
    sb: Sandbox, http: httpx.Client
) -> None:
    service = create_service(http, web_service("fails-web"))["service"]
    check(http.post(f"/services/{service['id']}/deploys", json={"commitId": A}))
    bad = "c" * 40
    assert admin(sb, "/_sandbox/deploys/fail", {"commit": bad}).status_code == 204
    try:
        failed = check(http.post(f"/services/{service['id']}/deploys", json={"commitId": bad}))
        assert failed.json()["status"] == "build_failed"
        listed = deploys(http, service["id"])
        assert [(d["commit"]["id"], d["status"]) for d in listed[:2]] == [
            (bad, "build_failed"),
            (A, "live"),
        ]
    finally:
        admin(sb, "/_sandbox/deploys/fail", {"commit": bad, "status": "live"})
    again = check(http.post(f"/services/{service['id']}/deploys", json={"commitId": bad}))
    assert again.json()["status"] == "live"


def test_the_fail_switch_refuses_an_unknown_status(sb: Sandbox) -> None:
    response = admin(sb, "/_sandbox/deploys/fail", {"commit": A, "status": "exploded"})
    assert response.status_code == 400


def test_an_image_deploy_carries_ref_and_digest_and_must_keep_the_repository(
    http: httpx.Client,
) -> None:
    created = image_service(http, "img-deploy", "ghcr.io/acme/api:main")
    service_id = created["service"]["id"]
    first = check(http.get(f"/services/{service_id}/deploys/{created['deployId']}")).json()
    assert first["commit"] is None
    assert first["image"]["ref"] == "ghcr.io/acme/api:main"
    assert first["image"]["sha"].startswith("sha256:")
    pinned = f"ghcr.io/acme/api:pr-1-abc1234@{DIGEST}"
    made = check(http.post(f"/services/{service_id}/deploys", json={"imageUrl": pinned})).json()
    assert made["image"] == {"ref": pinned, "sha": DIGEST}
    other = http.post(f"/services/{service_id}/deploys", json={"imageUrl": "ghcr.io/acme/web:1"})
    assert_error(other, 400)
    assert_error(http.post(f"/services/{service_id}/deploys", json={"commitId": A}), 400)


def test_a_push_auto_deploys_only_services_that_auto_deploy_that_branch(
    sb: Sandbox, http: httpx.Client
) -> None:
    following = create_service(http, web_service("auto-on", branch="feature"))["service"]
    pinned = create_service(http, web_service("auto-off", branch="feature", autoDeploy="no"))
    pushed = admin(sb, "/_sandbox/git/push", {"repo": REPO, "branch": "feature", "commit": B})
    assert pushed.status_code == 200
    assert len(pushed.json()["deploys"]) == 1
    newest = deploys(http, following["id"])[0]
    assert (newest["trigger"], newest["commit"]["id"]) == ("new_commit", B)
    assert all(d["trigger"] == "api" for d in deploys(http, pinned["service"]["id"]))
    # A deploy without commitId builds the branch's head.
    head = check(http.post(f"/services/{pinned['service']['id']}/deploys", json={})).json()
    assert head["commit"]["id"] == B


def test_an_unfinished_deploy_can_be_canceled_and_never_goes_live(tmp_path: Path) -> None:
    slow = Sandbox(
        SandboxConfig(
            state_dir=tmp_path,
            vendors=("render",),
            delays=Delays(deploy=600, database=0, project=0, machine=0),
            rate_limits=False,
        )
    )
    with slow, client(slow) as http:
        created = create_service(http, web_service("cancel-me"))
        service_id, deploy_id = created["service"]["id"], created["deployId"]
        canceled = check(http.post(f"/services/{service_id}/deploys/{deploy_id}/cancel"))
        assert canceled.json()["status"] == "canceled"
        assert deploys(http, service_id, status="live") == []
        assert_error(http.post(f"/services/{service_id}/deploys/{deploy_id}/cancel"), 400)
