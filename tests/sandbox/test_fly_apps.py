"""Fly emulator: auth, apps, org isolation, error shapes."""

from __future__ import annotations

import httpx

from sandbox import Sandbox
from tests.sandbox.test_fly_support import BETA, check, client, fly, make_app, make_machine, unique

__all__ = ["fly"]


def test_requests_without_or_with_a_wrong_token_are_401_in_fly_error_shape(fly: Sandbox) -> None:
    anonymous = httpx.get(fly.base_url("fly") + "/apps", params={"org_slug": "personal"})
    check(anonymous, 401)
    check(client(fly, token="nope").get("/apps", params={"org_slug": "personal"}), 401)
    check(client(fly, scheme="Basic").get("/apps", params={"org_slug": "personal"}), 401)


def test_flyv1_scheme_is_accepted_like_bearer(fly: Sandbox) -> None:
    check(client(fly, scheme="FlyV1").get("/apps", params={"org_slug": "personal"}), 200)


def test_created_app_is_listed_and_readable_in_its_org(fly: Sandbox) -> None:
    http = client(fly)
    name = unique("app")
    created = http.post("/apps", json={"name": name, "org_slug": "personal", "network": "n1"})
    check(created, 201)
    assert created.json()["organization"]["slug"] == "sandbox-alpha"
    got = http.get(f"/apps/{name}")
    check(got, 200)
    assert got.json()["name"] == name
    assert got.json()["status"] == "pending"
    assert got.json()["network"] == "n1"
    listed = http.get("/apps", params={"org_slug": "sandbox-alpha"})
    check(listed, 200)
    assert name in [a["name"] for a in listed.json()["apps"]]
    assert listed.json()["total_apps"] == len(listed.json()["apps"])


def test_older_app_name_field_is_accepted(fly: Sandbox) -> None:
    http = client(fly)
    name = unique("legacy")
    check(http.post("/apps", json={"app_name": name, "org_slug": "personal"}), 201)
    check(http.get(f"/apps/{name}"), 200)


def test_app_names_are_global_so_a_duplicate_in_another_org_is_name_taken(fly: Sandbox) -> None:
    name = make_app(client(fly))
    taken = client(fly, BETA).post("/apps", json={"name": name, "org_slug": "personal"})
    check(taken, 422)
    assert taken.json()["status"] == "name_taken"


def test_another_orgs_app_is_403_to_read_404_below_and_its_org_cannot_be_used(fly: Sandbox) -> None:
    name = make_app(client(fly))
    beta = client(fly, BETA)
    check(beta.get(f"/apps/{name}"), 403)
    check(beta.get(f"/apps/{name}/machines"), 404)
    check(beta.delete(f"/apps/{name}"), 404)
    check(beta.get("/apps", params={"org_slug": "sandbox-alpha"}), 404)
    other = beta.post("/apps", json={"name": unique("x"), "org_slug": "sandbox-alpha"})
    check(other, 404)
    listed = beta.get("/apps", params={"org_slug": "personal"})
    assert name not in [a["name"] for a in listed.json()["apps"]]


def test_invalid_app_bodies_are_400_and_create_nothing(fly: Sandbox) -> None:
    http = client(fly)
    before = fly.objects().get("fly/app", 0)
    for body in (
        {"org_slug": "personal"},
        {"name": "Bad_Name", "org_slug": "personal"},
        {"name": 12, "org_slug": "personal"},
        {"name": unique("ok")},
    ):
        check(http.post("/apps", json=body), 400)
    check(
        http.post("/apps", content=b"{not json", headers={"content-type": "application/json"}), 400
    )
    assert fly.objects().get("fly/app", 0) == before


def test_unknown_app_and_unknown_paths_are_404_and_wrong_method_405(fly: Sandbox) -> None:
    http = client(fly)
    check(http.get("/apps/no-such-app"), 404)
    assert http.get("/apps/no-such-app").json() == {"error": "app not found"}
    missing = http.get("/no/such/path")
    assert missing.status_code == 404
    assert "error" in missing.json()
    wrong = http.put("/apps")
    assert wrong.status_code == 405
    assert "error" in wrong.json()


def test_deleting_an_app_removes_it_and_everything_it_owns(fly: Sandbox) -> None:
    http = client(fly)
    name = make_app(http)
    make_machine(http, name)
    check(http.post(f"/apps/{name}/volumes", json={"name": "data", "size_gb": 1}), 200)
    check(http.post(f"/apps/{name}/secrets", json={"values": {"A": "1"}}), 200)
    check(http.post(f"/apps/{name}/ip_assignments", json={"type": "v6"}), 200)
    assert http.get(f"/apps/{name}").json()["machine_count"] == 1
    check(http.delete(f"/apps/{name}"), 202)
    check(http.get(f"/apps/{name}"), 404)
    docs = fly.store
    for kind in ("machine", "volume", "secret", "ip"):
        assert not docs.all("fly", kind, where=lambda d: d["app"] == name)
