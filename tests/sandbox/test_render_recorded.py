"""Render emulator: where the real API (Render's own recorded traffic) differs from the saved spec,
the sandbox answers as the real API does. Each test names the recorded fact it pins; the evidence
is in sandbox/render/README.md ("Facts from the recordings")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandbox import Sandbox
from sandbox.core.context import Delays
from tests.conftest import SandboxFactory
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

SUFFIX = r"_[a-z0-9]{4}"


@pytest.fixture(scope="module")
def sb() -> Sandbox:
    return shared_sandbox()


@pytest.fixture
def http(sb: Sandbox) -> Iterator[httpx.Client]:
    with client(sb) as c:
        yield c


def _image_worker(name: str, **extra: Any) -> dict[str, Any]:
    details = {
        "runtime": "image",
        "envSpecificDetails": {},
        "plan": "starter",
        "region": "oregon",
        "numInstances": 1,
        "previews": {},
    }
    body: dict[str, Any] = {
        "type": "background_worker",
        "name": name,
        "ownerId": OWNER_ALPHA,
        "rootDir": "",
        "image": {"imagePath": "nginx", "ownerId": ""},
        "serviceDetails": details,
    }
    return body | extra


def test_json_nulls_for_optional_service_lists_are_accepted(http: httpx.Client) -> None:
    body = web_service(
        "nulls-web",
        envVars=None,
        secretFiles=None,
        buildFilter={"paths": None, "ignoredPaths": None},
    )
    service = create_service(http, body)["service"]
    assert "buildFilter" not in service
    sid = service["id"]
    assert check(http.get(f"/services/{sid}/env-vars")).json() == []
    assert check(http.get(f"/services/{sid}/secret-files")).json() == []
    static = web_service(
        "nulls-static",
        type="static_site",
        envVars=None,
        buildFilter={"ignoredPaths": None, "paths": None},
        serviceDetails={
            "buildCommand": "npm run build",
            "publishPath": "public",
            "headers": [],
            "routes": None,
            "previews": {},
        },
    )
    assert "buildFilter" not in create_service(http, static)["service"]


def test_json_null_secret_files_are_accepted_by_env_groups(http: httpx.Client) -> None:
    body = {
        "name": "nulls-group",
        "ownerId": OWNER_ALPHA,
        "secretFiles": None,
        "envVars": [{"key": "A", "value": "1"}],
    }
    created = check(http.post("/env-groups", json=body))
    assert created.status_code == 201, created.text
    assert created.json()["secretFiles"] == []


def test_put_env_vars_and_secret_files_with_a_null_body_empties_them(http: httpx.Client) -> None:
    body = web_service(
        "null-put",
        envVars=[{"key": "K", "value": "v"}],
        secretFiles=[{"name": "f", "content": "c"}],
    )
    sid = create_service(http, body)["service"]["id"]
    for path in ("env-vars", "secret-files"):
        response = check(
            http.put(
                f"/services/{sid}/{path}",
                content=b"null",
                headers={"content-type": "application/json"},
            )
        )
        assert response.status_code == 200, response.text
        assert response.json() == []
        assert http.get(f"/services/{sid}/{path}").json() == []


def test_a_service_has_a_notification_override_read_and_patched(
    sb: Sandbox, http: httpx.Client
) -> None:
    sid = create_service(http, web_service("notified"))["service"]["id"]
    path = f"/notification-settings/overrides/services/{sid}"
    first = check(http.get(path))
    assert first.json() == {
        "serviceId": sid,
        "notificationsToSend": "default",
        "previewNotificationsEnabled": "default",
    }
    patch = {"notificationsToSend": "all", "previewNotificationsEnabled": "true"}
    assert check(http.patch(path, json=patch)).json() == {"serviceId": sid, **patch}
    assert check(http.get(path)).json()["notificationsToSend"] == "all"
    assert_error(http.patch(path, json={"notificationsToSend": "loud"}), 400)
    with client(sb, BETA) as beta:
        assert_error(beta.get(path), 404)


def test_key_value_answers_carry_the_persistence_mode(http: httpx.Client) -> None:
    paid = check(
        http.post("/key-value", json={"name": "kv-paid", "ownerId": OWNER_ALPHA, "plan": "starter"})
    ).json()
    assert paid["options"]["persistenceMode"] == "journal_snapshot"
    free = check(
        http.post("/key-value", json={"name": "kv-free", "ownerId": OWNER_ALPHA, "plan": "free"})
    ).json()
    assert free["options"]["persistenceMode"] == "off"
    upgraded = check(http.patch(f"/key-value/{free['id']}", json={"plan": "starter"})).json()
    assert upgraded["options"]["persistenceMode"] == "journal_snapshot"
    chosen = check(http.patch(f"/key-value/{free['id']}", json={"persistenceMode": "snapshot"}))
    assert chosen.json()["options"] == {
        "maxmemoryPolicy": "allkeys_lru",
        "persistenceMode": "snapshot",
    }
    for kv in (paid, free):
        http.delete(f"/key-value/{kv['id']}")


def _postgres(http: httpx.Client, **body: Any) -> dict[str, Any]:
    full = {"plan": "basic_256mb", "ownerId": OWNER_ALPHA, "version": "16", **body}
    response = check(http.post("/postgres", json=full))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_postgres_with_empty_database_name_and_user_gets_generated_names(
    http: httpx.Client,
) -> None:
    created = _postgres(
        http, name="allow-list-pg", databaseName="", databaseUser="", readReplicas=None
    )
    assert re.fullmatch("allow_list_pg" + SUFFIX, created["databaseName"])
    assert created["databaseUser"] == created["databaseName"] + "_user"
    http.delete(f"/postgres/{created['id']}")


def test_an_explicit_postgres_database_name_comes_back_with_a_random_suffix(
    http: httpx.Client,
) -> None:
    created = _postgres(http, name="named-pg", databaseName="db_name")
    assert re.fullmatch("db_name" + SUFFIX, created["databaseName"])
    assert created["databaseUser"] == created["databaseName"] + "_user"
    info = check(http.get(f"/postgres/{created['id']}/connection-info")).json()
    assert info["externalConnectionString"].endswith("/" + created["databaseName"])
    with_user = _postgres(http, name="named-pg-2", databaseName="db_name", databaseUser="db_user")
    assert with_user["databaseUser"] == "db_user"
    assert with_user["databaseName"] != created["databaseName"]
    for item in (created, with_user):
        http.delete(f"/postgres/{item['id']}")


def test_postgres_answers_omit_project_and_unset_parameter_overrides(http: httpx.Client) -> None:
    created = _postgres(http, name="fields-pg")
    assert "project" not in created
    assert "parameterOverrides" not in created
    assert created["connectionPool"] == "none"
    tuned = _postgres(http, name="tuned-pg", parameterOverrides={"work_mem": "4MB"})
    assert tuned["parameterOverrides"] == {"work_mem": "4MB"}
    for item in (created, tuned):
        http.delete(f"/postgres/{item['id']}")


def test_disks_made_with_a_service_are_read_patched_and_deleted(http: httpx.Client) -> None:
    details = {"disk": {"mountPath": "/data", "name": "some-disk", "sizeGB": 1}}
    body = _image_worker("disk-worker")
    body["serviceDetails"] |= details
    service = create_service(http, body)["service"]
    disk_id = service["serviceDetails"]["disk"]["id"]
    disk = check(http.get(f"/disks/{disk_id}")).json()
    assert {k: disk[k] for k in ("name", "sizeGB", "mountPath", "serviceId")} == {
        "name": "some-disk",
        "sizeGB": 1,
        "mountPath": "/data",
        "serviceId": service["id"],
    }
    grown = check(http.patch(f"/disks/{disk_id}", json={"sizeGB": 2, "name": "bigger"})).json()
    assert (grown["sizeGB"], grown["name"]) == (2, "bigger")
    assert http.get(f"/services/{service['id']}").json()["serviceDetails"]["disk"]["sizeGB"] == 2
    assert_error(http.patch(f"/disks/{disk_id}", json={"sizeGB": 1}), 400)
    listed = check(http.get("/disks", params={"serviceId": service["id"]})).json()
    assert [item["disk"]["id"] for item in listed] == [disk_id]
    assert check(http.delete(f"/disks/{disk_id}")).status_code == 204
    assert "disk" not in http.get(f"/services/{service['id']}").json()["serviceDetails"]
    assert_error(http.get(f"/disks/{disk_id}"), 404)


def test_a_disk_can_be_added_to_a_service_without_one(http: httpx.Client) -> None:
    service = create_service(http, _image_worker("diskless-worker"))["service"]
    body = {"name": "new-disk", "sizeGB": 2, "mountPath": "/data2", "serviceId": service["id"]}
    created = check(http.post("/disks", json=body))
    assert created.status_code == 201, created.text
    assert created.json()["serviceId"] == service["id"]
    assert_error(http.post("/disks", json=body), 400)
    http.delete(f"/services/{service['id']}")
    assert_error(http.get(f"/disks/{created.json()['id']}"), 404)


def test_a_resource_log_stream_override_is_404_until_set_then_read_and_deleted(
    http: httpx.Client,
) -> None:
    sid = create_service(http, web_service("streamed"))["service"]["id"]
    path = f"/logs/streams/resource/{sid}"
    missing = http.get(path)
    assert missing.status_code == 404
    assert sid in missing.json()["message"]
    put = check(http.put(path, json={"setting": "drop"}))
    assert put.json() == {"resourceId": sid, "setting": "drop", "endpoint": ""}
    sent = {"setting": "send", "endpoint": "logs.example.com:6514", "token": "stream-token"}
    answer = check(http.put(path, json=sent))
    assert answer.json()["endpoint"] == "logs.example.com:6514"
    assert "stream-token" not in answer.text
    assert "stream-token" not in check(http.get(path)).text
    assert_error(http.put(path, json={"setting": "send"}), 400)
    assert check(http.delete(path)).status_code == 204
    assert http.get(path).status_code == 404


def test_a_cron_job_id_starts_with_crn_and_images_read_back_as_full_references(
    http: httpx.Client,
) -> None:
    cron = _image_worker("cron-image", type="cron_job")
    cron["serviceDetails"] = {
        "runtime": "image",
        "schedule": "0 0 * * *",
        "envSpecificDetails": {"registryCredential": {"id": ""}},
    }
    service = create_service(http, cron)["service"]
    assert service["id"].startswith("crn-")
    assert service["imagePath"] == "docker.io/library/nginx:latest"
    assert service["autoDeployTrigger"] == "commit"
    private = create_service(http, _image_worker("private-image", type="private_service"))
    details = private["service"]["serviceDetails"]
    assert details["url"] == f"{private['service']['slug']}:10000"
    assert details["openPorts"] == [{"port": 10000, "protocol": "TCP"}]


def test_a_deploy_asked_for_while_one_runs_is_queued_with_a_202_and_no_body(
    make_sandbox: SandboxFactory,
) -> None:
    slow = Delays(deploy=30, database=0, project=0, machine=0)
    running = make_sandbox.start(vendors=("render",), rate_limits=False, delays=slow)
    with client(running) as http:
        created = create_service(http, web_service("queued-web"))
        sid = created["service"]["id"]
        queued = http.post(f"/services/{sid}/deploys", json={})
        assert queued.status_code == 202
        assert queued.content == b""
        newest = check(http.get(f"/services/{sid}/deploys", params={"limit": 1})).json()[0]
        assert newest["deploy"]["id"] != created["deployId"]
        assert newest["deploy"]["status"] == "queued"
        assert newest["deploy"]["finishedAt"] is None
        first = check(http.get(f"/services/{sid}/deploys/{created['deployId']}")).json()
        assert first["status"] != "live"
        assert first["commit"]["id"]


def test_an_empty_pre_deploy_command_reads_back_as_an_empty_string(http: httpx.Client) -> None:
    sid = create_service(http, web_service("pre-deploy"))["service"]["id"]
    patched = check(
        http.patch(f"/services/{sid}", json={"serviceDetails": {"preDeployCommand": ""}})
    )
    assert patched.json()["serviceDetails"]["envSpecificDetails"]["preDeployCommand"] == ""


def test_static_site_headers_and_routes_are_replaced_and_listed(http: httpx.Client) -> None:
    details = {"buildCommand": "npm run build", "publishPath": "dist"}
    static = web_service("rules-static", type="static_site", serviceDetails=details)
    sid = create_service(http, static)["service"]["id"]
    headers = [{"path": "/api/*", "name": "Cache-Control", "value": "max-age=60"}]
    put = check(http.put(f"/services/{sid}/headers", json=headers)).json()
    assert put[0]["id"].startswith("hdr-")
    routes = [
        {"type": "redirect", "source": "/a", "destination": "/b"},
        {"type": "rewrite", "source": "/c", "destination": "/d.html"},
    ]
    stored = check(http.put(f"/services/{sid}/routes", json=routes)).json()
    assert [r["priority"] for r in stored] == [0, 1]
    listed = check(http.get(f"/services/{sid}/routes")).json()
    assert [item["route"]["source"] for item in listed] == ["/a", "/c"]
    assert (
        check(http.get(f"/services/{sid}/headers")).json()[0]["header"]["name"] == "Cache-Control"
    )
    # Recorded: replacing with an empty list answers JSON null, not [].
    assert http.put(f"/services/{sid}/headers", json=[]).json() is None
    assert check(http.get(f"/services/{sid}/headers")).json() == []


def test_read_replicas_take_the_primarys_id_with_b_and_keep_it(http: httpx.Client) -> None:
    created = _postgres(http, name="replicated-pg")
    body = {"readReplicas": [{"name": "read-replica"}]}
    first = check(http.patch(f"/postgres/{created['id']}", json=body)).json()["readReplicas"]
    assert first == [{"id": created["id"].removesuffix("-a") + "-b", "name": "read-replica"}]
    again = check(http.patch(f"/postgres/{created['id']}", json=body)).json()["readReplicas"]
    assert again == first
    http.delete(f"/postgres/{created['id']}")
