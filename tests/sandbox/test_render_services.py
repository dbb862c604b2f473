"""Render emulator: auth, owners, services, env vars, secret files and deploys over real HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from sandbox import Sandbox
from tests.sandbox.test_render_support import (
    BETA,
    OWNER_ALPHA,
    assert_error,
    check,
    client,
    create_service,
    shared_sandbox,
    web_service,
)


@pytest.fixture(scope="module")
def sb() -> Sandbox:
    return shared_sandbox()


@pytest.fixture
def http(sb: Sandbox) -> Iterator[httpx.Client]:
    with client(sb) as c:
        yield c


def test_missing_or_wrong_api_key_is_a_401_in_render_error_shape(sb: Sandbox) -> None:
    for token in (None, "not-a-key"):
        with client(sb, token) as anonymous:
            response = check(anonymous.get("/services"))
            assert_error(response, 401)


def test_owners_lists_only_the_keys_own_workspace(http: httpx.Client) -> None:
    response = check(http.get("/owners"))
    assert [item["owner"]["id"] for item in response.json()] == [OWNER_ALPHA]
    assert response.json()[0]["cursor"]
    assert check(http.get(f"/owners/{OWNER_ALPHA}")).json()["type"] == "team"
    assert_error(check(http.get("/owners/tea-sandboxbeta000000002")), 404)


def test_create_web_service_returns_service_and_first_deploy(http: httpx.Client) -> None:
    created = create_service(http, web_service("hello-web"))
    service = created["service"]
    assert service["id"].startswith("srv-")
    assert len(service["id"]) == 24
    assert service["serviceDetails"]["url"] == f"https://{service['slug']}.onrender.com"
    assert service["suspended"] == "not_suspended"
    deploy = check(http.get(f"/services/{service['id']}/deploys/{created['deployId']}")).json()
    assert deploy["status"] == "live"
    assert check(http.get(f"/services/{service['id']}")).json() == service


@pytest.mark.parametrize(
    ("kind", "details"),
    [
        ("private_service", {"runtime": "docker"}),
        (
            "background_worker",
            {
                "runtime": "node",
                "envSpecificDetails": {"buildCommand": "npm ci", "startCommand": "node worker.js"},
            },
        ),
        ("cron_job", {"runtime": "docker", "schedule": "*/5 * * * *"}),
        ("static_site", {"buildCommand": "npm run build", "publishPath": "dist"}),
    ],
)
def test_every_service_type_can_be_created(
    http: httpx.Client, kind: str, details: dict[str, object]
) -> None:
    body = web_service(f"svc-{kind}", type=kind, serviceDetails=details)
    service = create_service(http, body)["service"]
    assert service["type"] == kind
    check(http.get(f"/services/{service['id']}"))


def test_image_service_gets_an_image_deploy(http: httpx.Client) -> None:
    body = web_service(
        "img",
        serviceDetails={"runtime": "image"},
        image={"ownerId": OWNER_ALPHA, "imagePath": "docker.io/library/nginx:1"},
    )
    del body["repo"]
    created = create_service(http, body)
    assert created["service"]["imagePath"] == "docker.io/library/nginx:1"
    deploy = http.get(f"/services/{created['service']['id']}/deploys/{created['deployId']}")
    assert check(deploy).json()["image"]["ref"] == "docker.io/library/nginx:1"


@pytest.mark.parametrize(
    "mutate",
    [
        lambda b: b.pop("name"),
        lambda b: b.update(type="lambda"),
        lambda b: b.update(name=42),
        lambda b: b["serviceDetails"].update(region="mars"),
        lambda b: b["serviceDetails"]["envSpecificDetails"].pop("startCommand"),
        lambda b: b.pop("serviceDetails"),
        lambda b: b.update(envVars=[{"key": "A"}]),
        lambda b: b.update(ownerId="tea-sandboxbeta000000002"),
    ],
)
def test_invalid_create_service_body_is_a_400_and_creates_nothing(
    http: httpx.Client, mutate: Callable[[dict[str, Any]], object]
) -> None:
    before = len(http.get("/services", params={"limit": 100}).json())
    body = web_service("invalid")
    mutate(body)
    assert_error(check(http.post("/services", json=body)), 400)
    assert len(http.get("/services", params={"limit": 100}).json()) == before


def test_malformed_json_is_a_400(http: httpx.Client) -> None:
    response = http.post(
        "/services", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert_error(check(response), 400)


def test_duplicate_names_are_allowed_and_get_distinct_urls(http: httpx.Client) -> None:
    first = create_service(http, web_service("twin"))["service"]
    second = create_service(http, web_service("twin"))["service"]
    assert first["slug"] == "twin"
    assert second["slug"].startswith("twin-")
    assert first["serviceDetails"]["url"] != second["serviceDetails"]["url"]


def test_list_services_filters_and_pages_with_cursors(http: httpx.Client) -> None:
    for i in range(3):
        create_service(http, web_service(f"paged-{i}"))
    names = [f"paged-{i}" for i in range(3)]
    first = check(http.get("/services", params={"name": ",".join(names), "limit": 2})).json()
    assert [item["service"]["name"] for item in first] == names[:2]
    rest = http.get("/services", params={"name": ",".join(names), "cursor": first[-1]["cursor"]})
    assert [item["service"]["name"] for item in check(rest).json()] == names[2:]
    typed = check(http.get("/services", params={"type": "cron_job"})).json()
    assert all(item["service"]["type"] == "cron_job" for item in typed)
    # list-services declares no 400, but an out-of-range limit cannot be served: 400 (UNCONFIRMED).
    assert_error(http.get("/services", params={"limit": 0}), 400)
    assert_error(http.get("/services", params={"type": "lambda"}), 400)


def test_other_workspace_cannot_see_or_touch_a_service(sb: Sandbox, http: httpx.Client) -> None:
    service_id = create_service(http, web_service("private-to-alpha"))["service"]["id"]
    with client(sb, BETA) as beta:
        listed = check(beta.get("/services", params={"limit": 100})).json()
        assert all(item["service"]["ownerId"] != OWNER_ALPHA for item in listed)
        assert_error(check(beta.get(f"/services/{service_id}")), 404)
        assert_error(check(beta.delete(f"/services/{service_id}")), 404)
        assert_error(check(beta.get(f"/services/{service_id}/env-vars")), 404)


def test_other_workspace_cannot_change_a_service_and_it_stays_where_it_was(
    sb: Sandbox, http: httpx.Client
) -> None:
    service = create_service(http, web_service("alpha-keeps-it"))["service"]
    url = f"/services/{service['id']}"
    env_before = check(http.get(f"{url}/env-vars")).json()
    with client(sb, BETA) as beta:
        assert_error(check(beta.patch(url, json={"name": "taken-by-beta"})), 404)
        assert_error(check(beta.post(f"{url}/suspend")), 404)
        assert_error(check(beta.post(f"{url}/resume")), 404)
        assert_error(check(beta.post(f"{url}/deploys", json={})), 404)
        assert_error(check(beta.put(f"{url}/env-vars", json=[{"key": "X", "value": "1"}])), 404)
        assert all(
            item["service"]["id"] != service["id"]
            for item in check(beta.get("/services", params={"limit": 100})).json()
        )
    assert check(http.get(url)).json() == service  # same name, owner and state as created
    assert check(http.get(f"{url}/env-vars")).json() == env_before


def test_unknown_ids_and_paths_are_404s(http: httpx.Client) -> None:
    assert_error(check(http.get("/services/srv-doesnotexist0000000")), 404)
    assert_error(check(http.patch("/services/srv-doesnotexist0000000", json={"name": "x"})), 404)
    assert_error(http.get("/no-such-endpoint"), 404)
    assert_error(http.put("/services"), 405)


def test_patch_updates_fields_but_keeps_the_url(http: httpx.Client) -> None:
    service = create_service(http, web_service("renamable"))["service"]
    patch = {"name": "renamed", "serviceDetails": {"plan": "standard", "healthCheckPath": "/hz"}}
    updated = check(http.patch(f"/services/{service['id']}", json=patch)).json()
    assert updated["name"] == "renamed"
    assert updated["serviceDetails"]["plan"] == "standard"
    assert updated["serviceDetails"]["healthCheckPath"] == "/hz"
    assert updated["serviceDetails"]["url"] == service["serviceDetails"]["url"]
    bad = http.patch(f"/services/{service['id']}", json={"serviceDetails": {"plan": "huge"}})
    assert_error(check(bad), 400)


def test_delete_service_is_204_and_then_404(http: httpx.Client) -> None:
    service_id = create_service(http, web_service("doomed"))["service"]["id"]
    response = check(http.delete(f"/services/{service_id}"))
    assert response.status_code == 204
    assert_error(check(http.get(f"/services/{service_id}")), 404)


def test_env_vars_replace_get_put_delete(http: httpx.Client) -> None:
    body = web_service(
        "envs", envVars=[{"key": "A", "value": "1"}, {"key": "SECRET", "generateValue": True}]
    )
    service_id = create_service(http, body)["service"]["id"]
    listed = check(http.get(f"/services/{service_id}/env-vars")).json()
    values = {item["envVar"]["key"]: item["envVar"]["value"] for item in listed}
    assert values["A"] == "1"
    assert len(values["SECRET"]) >= 32
    replaced = http.put(f"/services/{service_id}/env-vars", json=[{"key": "B", "value": "2"}])
    assert [item["envVar"] for item in check(replaced).json()] == [{"key": "B", "value": "2"}]
    put = check(http.put(f"/services/{service_id}/env-vars/C", json={"value": "3"}))
    assert put.json() == {"key": "C", "value": "3"}
    assert check(http.get(f"/services/{service_id}/env-vars/C")).json()["value"] == "3"
    assert check(http.delete(f"/services/{service_id}/env-vars/C")).status_code == 204
    assert_error(check(http.get(f"/services/{service_id}/env-vars/C")), 404)
    assert_error(check(http.delete(f"/services/{service_id}/env-vars/C")), 404)
    bad = http.put(f"/services/{service_id}/env-vars", json=[{"key": "X", "value": 1}])
    assert_error(check(bad), 400)
    assert len(http.get(f"/services/{service_id}/env-vars").json()) == 1


def test_secret_files_are_replaced_as_a_set(http: httpx.Client) -> None:
    service_id = create_service(http, web_service("files"))["service"]["id"]
    files = [{"name": "a.pem", "content": "AAA"}, {"name": "b.json", "content": "{}"}]
    put = check(http.put(f"/services/{service_id}/secret-files", json=files))
    assert [item["secretFile"] for item in put.json()] == files
    listed = check(http.get(f"/services/{service_id}/secret-files")).json()
    assert [item["secretFile"]["name"] for item in listed] == ["a.pem", "b.json"]
    assert_error(check(http.put(f"/services/{service_id}/secret-files", json=[{"name": "x"}])), 400)


def test_new_deploy_goes_live_and_deactivates_the_previous_one(http: httpx.Client) -> None:
    created = create_service(http, web_service("deployer"))
    service_id = created["service"]["id"]
    deploy = check(http.post(f"/services/{service_id}/deploys", json={"clearCache": "clear"}))
    assert deploy.status_code == 201
    assert deploy.json()["status"] == "live"
    listed = check(http.get(f"/services/{service_id}/deploys")).json()
    statuses = {item["deploy"]["id"]: item["deploy"]["status"] for item in listed}
    assert statuses == {deploy.json()["id"]: "live", created["deployId"]: "deactivated"}
    assert_error(check(http.get(f"/services/{service_id}/deploys/dep-nope")), 404)
    bad = http.post(f"/services/{service_id}/deploys", json={"clearCache": "sometimes"})
    assert_error(check(bad), 400)


def test_suspend_resume_scale_and_autoscaling(http: httpx.Client) -> None:
    service_id = create_service(http, web_service("scalable"))["service"]["id"]
    assert check(http.post(f"/services/{service_id}/suspend")).status_code == 202
    assert http.get(f"/services/{service_id}").json()["suspended"] == "suspended"
    suspended = http.get("/services", params={"suspended": "suspended"}).json()
    assert service_id in [item["service"]["id"] for item in suspended]
    assert check(http.post(f"/services/{service_id}/resume")).status_code == 202
    assert http.get(f"/services/{service_id}").json()["suspenders"] == []
    assert (
        check(http.post(f"/services/{service_id}/scale", json={"numInstances": 3})).status_code
        == 202
    )
    assert http.get(f"/services/{service_id}").json()["serviceDetails"]["numInstances"] == 3
    autoscaling = {
        "enabled": True,
        "min": 1,
        "max": 4,
        "criteria": {
            "cpu": {"enabled": True, "percentage": 70},
            "memory": {"enabled": False, "percentage": 80},
        },
    }
    assert (
        check(http.put(f"/services/{service_id}/autoscaling", json=autoscaling)).json()
        == autoscaling
    )
    assert_error(check(http.put(f"/services/{service_id}/autoscaling", json={"min": 1})), 400)
    assert check(http.delete(f"/services/{service_id}/autoscaling")).status_code == 204
    assert_error(check(http.post("/services/srv-nope/suspend")), 404)
