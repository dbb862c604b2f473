"""Render emulator: custom domains and environment groups."""

from __future__ import annotations

from collections.abc import Iterator

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


def test_custom_domain_lifecycle(http: httpx.Client) -> None:
    service_id = create_service(http, web_service("domained"))["service"]["id"]
    base = f"/services/{service_id}/custom-domains"
    created = check(http.post(base, json={"name": "example.com"}))
    assert created.status_code == 201
    [domain] = created.json()
    assert domain["domainType"] == "apex"
    assert domain["verificationStatus"] == "unverified"
    assert_error(check(http.post(base, json={"name": "example.com"})), 409)
    assert_error(check(http.post(base, json={"name": 7})), 400)
    listed = check(http.get(base)).json()
    assert [item["customDomain"]["id"] for item in listed] == [domain["id"]]
    assert check(http.post(f"{base}/example.com/verify")).status_code == 202
    assert check(http.get(f"{base}/{domain['id']}")).json()["verificationStatus"] == "verified"
    assert check(http.delete(f"{base}/example.com")).status_code == 204
    assert_error(check(http.get(f"{base}/example.com")), 404)
    assert_error(check(http.delete(f"{base}/example.com")), 404)


def test_env_group_lifecycle_with_vars_files_and_links(sb: Sandbox, http: httpx.Client) -> None:
    service_id = create_service(http, web_service("grouped"))["service"]["id"]
    body = {
        "name": "shared",
        "ownerId": OWNER_ALPHA,
        "envVars": [{"key": "A", "value": "1"}],
        "serviceIds": [service_id],
    }
    created = check(http.post("/env-groups", json=body))
    assert created.status_code == 201
    group = created.json()
    assert group["serviceLinks"] == [{"id": service_id, "name": "grouped", "type": "web"}]
    base = f"/env-groups/{group['id']}"
    listed = check(http.get("/env-groups", params={"name": "shared"})).json()
    assert [item["id"] for item in listed] == [group["id"]]
    assert check(http.patch(base, json={"name": "renamed"})).json()["name"] == "renamed"
    put = check(http.put(f"{base}/env-vars/TOKEN", json={"generateValue": True})).json()
    assert {var["key"] for var in put["envVars"]} == {"A", "TOKEN"}
    assert check(http.get(f"{base}/env-vars/A")).json() == {"key": "A", "value": "1"}
    assert check(http.delete(f"{base}/env-vars/A")).status_code == 204
    assert_error(check(http.delete(f"{base}/env-vars/A")), 404)
    files = check(http.put(f"{base}/secret-files/cert.pem", json={"content": "PEM"})).json()
    assert files["secretFiles"] == [{"name": "cert.pem", "content": "PEM"}]
    assert check(http.get(f"{base}/secret-files/cert.pem")).json()["content"] == "PEM"
    assert check(http.delete(f"{base}/secret-files/cert.pem")).status_code == 204
    assert check(http.delete(f"{base}/services/{service_id}")).status_code == 204
    assert (
        check(http.post(f"{base}/services/{service_id}")).json()["serviceLinks"][0]["id"]
        == service_id
    )
    with client(sb, BETA) as beta:
        assert_error(check(beta.get(base)), 404)
    assert check(http.delete(base)).status_code == 204
    assert_error(check(http.get(base)), 404)


def test_invalid_env_group_bodies_are_400s(http: httpx.Client) -> None:
    assert_error(check(http.post("/env-groups", json={"name": "x", "ownerId": OWNER_ALPHA})), 400)
    bad_var = {"name": "x", "ownerId": OWNER_ALPHA, "envVars": [{"key": "A", "value": None}]}
    assert_error(check(http.post("/env-groups", json=bad_var)), 400)
    assert_error(check(http.patch("/env-groups/evg-unknown", json={"name": "y"})), 404)


def test_disk_lifecycle_beside_its_service(http: httpx.Client) -> None:
    disk = {"name": "data", "mountPath": "/var/data", "sizeGB": 5}
    details = {**web_service()["serviceDetails"], "disk": disk}
    created = create_service(http, web_service("disked", serviceDetails=details))["service"]
    listed = check(http.get("/disks", params={"serviceId": created["id"]})).json()
    [made] = [item["disk"] for item in listed]
    assert (made["name"], made["mountPath"], made["sizeGB"]) == ("data", "/var/data", 5)
    assert made["id"] == created["serviceDetails"]["disk"]["id"]
    second = {**disk, "serviceId": created["id"]}
    assert_error(check(http.post("/disks", json=second)), 400)
    assert_error(check(http.patch(f"/disks/{made['id']}", json={"sizeGB": 2})), 400)
    grown = check(http.patch(f"/disks/{made['id']}", json={"sizeGB": 8})).json()
    assert grown["sizeGB"] == 8
    service = check(http.get(f"/services/{created['id']}")).json()
    assert service["serviceDetails"]["disk"]["sizeGB"] == 8
    assert check(http.delete(f"/disks/{made['id']}")).status_code == 204
    assert "disk" not in check(http.get(f"/services/{created['id']}")).json()["serviceDetails"]
    added = check(http.post("/disks", json=second))
    assert added.status_code == 201
    check(http.delete(f"/services/{created['id']}"))
    assert_error(check(http.get(f"/disks/{added.json()['id']}")), 404)


def test_a_cron_job_takes_no_disk(http: httpx.Client) -> None:
    details = {**web_service()["serviceDetails"], "schedule": "0 3 * * *"}
    cron = create_service(http, web_service("cron-disk", type="cron_job", serviceDetails=details))
    body = {"name": "d", "mountPath": "/d", "sizeGB": 1, "serviceId": cron["service"]["id"]}
    assert_error(check(http.post("/disks", json=body)), 400)
