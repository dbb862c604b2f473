"""Render emulator: Postgres and Key Value hand out REAL databases that connect and are dropped."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import psycopg
import pytest
import redis

from sandbox import Sandbox
from tests.sandbox.test_render_support import (
    BETA,
    OWNER_ALPHA,
    OWNER_BETA,
    assert_error,
    check,
    client,
    shared_sandbox,
)


@pytest.fixture(scope="module")
def sb() -> Sandbox:
    return shared_sandbox()


@pytest.fixture
def http(sb: Sandbox) -> Iterator[httpx.Client]:
    with client(sb) as c:
        yield c


def _postgres(http: httpx.Client, name: str = "db", **extra: object) -> dict[str, object]:
    body = {"name": name, "plan": "basic_256mb", "ownerId": OWNER_ALPHA, "version": "16", **extra}
    response = check(http.post("/postgres", json=body))
    assert response.status_code == 201, response.text
    created: dict[str, object] = response.json()
    return created


def test_postgres_connection_info_really_connects_and_delete_drops_it(http: httpx.Client) -> None:
    created = _postgres(http, "orders")
    assert created["status"] == "available"
    assert str(created["id"]).startswith("dpg-")
    info = check(http.get(f"/postgres/{created['id']}/connection-info")).json()
    for key in ("externalConnectionString", "internalConnectionString"):
        with psycopg.connect(info[key]) as conn:
            assert conn.execute("SELECT current_user").fetchone() == (created["databaseUser"],)
    assert info["password"] in info["psqlCommand"]
    assert check(http.delete(f"/postgres/{created['id']}")).status_code == 204
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(info["externalConnectionString"], connect_timeout=5)
    assert_error(check(http.get(f"/postgres/{created['id']}")), 404)


def test_postgres_list_get_patch_and_free_plan_expiry(http: httpx.Client) -> None:
    created = _postgres(http, "listed", plan="free", databaseName="listed_db")
    assert str(created["databaseName"]).startswith("listed_db_")
    assert "expiresAt" in created
    listed = check(http.get("/postgres", params={"name": "listed"})).json()
    assert [item["postgres"]["id"] for item in listed] == [created["id"]]
    assert check(http.get(f"/postgres/{created['id']}")).json()["name"] == "listed"
    patched = check(
        http.patch(
            f"/postgres/{created['id']}", json={"name": "renamed", "enableHighAvailability": True}
        )
    )
    assert patched.json()["name"] == "renamed"
    assert patched.json()["highAvailabilityEnabled"]
    assert_error(check(http.patch(f"/postgres/{created['id']}", json={"plan": "gigantic"})), 400)


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x", "plan": "free", "ownerId": OWNER_ALPHA},
        {"name": "x", "plan": "free", "ownerId": OWNER_ALPHA, "version": "9"},
        {"name": "x", "plan": "tiny", "ownerId": OWNER_ALPHA, "version": "16"},
        {"name": "x", "plan": "free", "ownerId": OWNER_ALPHA, "version": 16},
    ],
)
def test_invalid_postgres_body_is_a_400_and_creates_nothing(
    http: httpx.Client, body: dict[str, object]
) -> None:
    before = len(http.get("/postgres", params={"limit": 100}).json())
    assert_error(check(http.post("/postgres", json=body)), 400)
    assert len(http.get("/postgres", params={"limit": 100}).json()) == before


def test_postgres_of_another_workspace_is_a_404(sb: Sandbox, http: httpx.Client) -> None:
    created = _postgres(http, "alpha-only")
    with client(sb, BETA) as beta:
        assert_error(check(beta.get(f"/postgres/{created['id']}")), 404)
        assert_error(check(beta.get(f"/postgres/{created['id']}/connection-info")), 404)
        foreign = {"name": "y", "plan": "free", "ownerId": OWNER_ALPHA, "version": "16"}
        assert_error(check(beta.post("/postgres", json=foreign)), 404)
        assert check(beta.get("/postgres")).json() == []
    assert_error(check(http.get("/postgres/dpg-unknown-a/connection-info")), 404)


def test_key_value_connection_string_works_with_redis_py_and_delete_stops_it(
    http: httpx.Client,
) -> None:
    body = {
        "name": "cache",
        "ownerId": OWNER_ALPHA,
        "plan": "starter",
        "maxmemoryPolicy": "allkeys_lfu",
    }
    created = check(http.post("/key-value", json=body))
    assert created.status_code == 201
    kv = created.json()
    assert kv["status"] == "available"
    assert kv["options"] == {
        "maxmemoryPolicy": "allkeys_lfu",
        "persistenceMode": "journal_snapshot",
    }
    info = check(http.get(f"/key-value/{kv['id']}/connection-info")).json()
    store = redis.Redis.from_url(info["externalConnectionString"])
    assert store.set("k", "v")
    assert store.get("k") == b"v"
    assert store.config_get("maxmemory-policy") == {"maxmemory-policy": "allkeys-lfu"}
    store.close()
    patched = check(http.patch(f"/key-value/{kv['id']}", json={"maxmemoryPolicy": "noeviction"}))
    assert patched.json()["options"]["maxmemoryPolicy"] == "noeviction"
    listed = check(http.get("/key-value", params={"name": "cache"})).json()
    assert [item["keyValue"]["id"] for item in listed] == [kv["id"]]
    assert check(http.get(f"/key-value/{kv['id']}")).json()["name"] == "cache"
    assert check(http.delete(f"/key-value/{kv['id']}")).status_code == 204
    with pytest.raises(redis.ConnectionError):
        redis.Redis.from_url(info["externalConnectionString"], socket_timeout=2).ping()
    assert_error(check(http.get(f"/key-value/{kv['id']}")), 404)


def test_invalid_key_value_bodies_and_foreign_ids(sb: Sandbox, http: httpx.Client) -> None:
    for body in (
        {"name": "c", "ownerId": OWNER_ALPHA, "plan": "mega"},
        {"name": "c", "ownerId": OWNER_ALPHA, "plan": "free", "maxmemoryPolicy": "lru"},
        {"ownerId": OWNER_ALPHA, "plan": "free"},
    ):
        assert_error(check(http.post("/key-value", json=body)), 400)
    kv = check(http.post("/key-value", json={"name": "c2", "ownerId": OWNER_ALPHA, "plan": "free"}))
    with client(sb, BETA) as beta:
        assert_error(check(beta.get(f"/key-value/{kv.json()['id']}")), 404)
        body = {"name": "c", "ownerId": OWNER_ALPHA, "plan": "free"}
        assert_error(check(beta.post("/key-value", json=body)), 404)
        beta_kv = {"name": "c", "ownerId": OWNER_BETA, "plan": "free"}
        assert check(beta.post("/key-value", json=beta_kv)).status_code == 201
    http.delete(f"/key-value/{kv.json()['id']}")
