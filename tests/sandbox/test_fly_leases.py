"""Fly emulator: machine leases (fly-go takes one before every change) and machine metadata."""

from __future__ import annotations

import httpx

from sandbox import Sandbox
from tests.sandbox.test_fly_support import (  # fixtures are used by name
    BETA,
    check,
    client,
    fly,
    make_app,
    make_machine,
)

__all__ = ["fly"]
NONCE = "fly-machine-lease-nonce"


def test_a_lease_is_acquired_refreshed_refused_to_others_and_released(fly: Sandbox) -> None:
    http = client(fly)
    app = make_app(http)
    mid = make_machine(http, app)["id"]
    path = f"/apps/{app}/machines/{mid}/lease"
    check(http.get(path), 404)
    taken = http.post(path, params={"ttl": 60}, json={"description": "deploy"})
    check(taken, 201)
    lease = taken.json()
    assert lease["status"] == "success"
    nonce = lease["data"]["nonce"]
    assert lease["data"]["version"] == http.get(f"/apps/{app}/machines/{mid}").json()["instance_id"]
    check(http.post(path, json={}), 409)
    refreshed = http.post(path, params={"ttl": 120}, json={}, headers={NONCE: nonce})
    check(refreshed, 201)
    assert refreshed.json()["data"]["nonce"] == nonce
    assert refreshed.json()["data"]["expires_at"] > lease["data"]["expires_at"]
    assert http.get(path).json()["data"]["nonce"] == nonce
    check(http.delete(path, headers={NONCE: "not-the-nonce"}), 409)
    check(http.delete(path, headers={NONCE: nonce}), 200)
    check(http.get(path), 404)
    with client(fly, BETA) as beta:
        check(beta.post(path, json={}), 404)


def test_machine_metadata_is_set_read_and_deleted_key_by_key(fly: Sandbox) -> None:
    http = client(fly)
    app = make_app(http)
    mid = make_machine(http, app, config={"image": "nginx:1.25", "metadata": {"role": "web"}})["id"]
    base = f"/apps/{app}/machines/{mid}/metadata"
    assert http.get(base).json() == {"role": "web"}
    check(http.post(f"{base}/fly_release", json={"value": "v3"}), 204)
    check(http.get(f"{base}/fly_release"), 200)
    assert http.get(f"{base}/fly_release").json() == {"value": "v3"}
    assert (
        http.get(f"/apps/{app}/machines/{mid}").json()["config"]["metadata"]["fly_release"] == "v3"
    )
    check(http.delete(f"{base}/fly_release"), 204)
    check(http.get(f"{base}/fly_release"), 404)
    assert http.get(base).json() == {"role": "web"}


def test_a_taken_name_in_another_org_is_403_so_fly_go_reads_it_as_unavailable(
    fly: Sandbox,
) -> None:
    name = make_app(client(fly))
    with client(fly, BETA) as beta:
        assert beta.get(f"/apps/{name}").status_code == 403
        assert beta.get("/apps/never-made-anywhere").status_code == 404


def test_no_lease_no_metadata_on_unknown_machines(fly: Sandbox) -> None:
    http: httpx.Client = client(fly)
    app = make_app(http)
    check(http.post(f"/apps/{app}/machines/0000000000dead/lease", json={}), 404)
    check(http.get(f"/apps/{app}/machines/0000000000dead/metadata"), 404)
