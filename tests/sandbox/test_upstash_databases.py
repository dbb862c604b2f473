"""Upstash Redis database lifecycle against a dedicated sandbox: every body form, real redis."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import redis

from sandbox import Sandbox, SandboxConfig
from sandbox.upstash import DEFAULT_TOKENS, client_env
from tests.sandbox.conftest import NO_DELAYS
from tests.sandbox.spec import assert_matches_spec

TEAM_A, TEAM_B = list(DEFAULT_TOKENS)


@pytest.fixture(scope="module")
def upstash(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    config = SandboxConfig(
        state_dir=tmp_path_factory.mktemp("upstash"),
        vendors=("upstash",),
        delays=NO_DELAYS,
        rate_limits=False,
    )
    with Sandbox(config) as running:
        yield running


def client(sandbox: Sandbox, credential: str = TEAM_A) -> httpx.Client:
    email, _, key = credential.partition(":")
    return httpx.Client(base_url=sandbox.base_url("upstash"), auth=(email, key), timeout=30)


def create(api: httpx.Client, name: str, **extra: Any) -> dict[str, Any]:
    body = {"database_name": name, "platform": "aws", "primary_region": "us-east-1", **extra}
    response = api.post("/redis/database", json=body)
    assert response.status_code == 200, response.text
    assert_matches_spec("upstash", response)
    result: dict[str, Any] = response.json()
    return result


def connect(database: dict[str, Any], password: str | None = None) -> redis.Redis:
    return redis.Redis(
        host=database["endpoint"],
        port=database["port"],
        password=password or database["password"],
        socket_timeout=5,
    )


def test_client_env_splits_the_credential_at_the_first_colon() -> None:
    env = client_env("http://127.0.0.1:1/v2", "me@x.io:key:with:colons")
    assert env == {
        "UPSTASH_API_URL": "http://127.0.0.1:1/v2",
        "UPSTASH_EMAIL": "me@x.io",
        "UPSTASH_API_KEY": "key:with:colons",
        "UPSTASH_REDIS_SCHEME": "redis",
    }


def test_spec_body_creates_an_active_global_database_with_credentials(upstash: Sandbox) -> None:
    with client(upstash) as api:
        db = create(api, "spec-form", read_regions=["eu-west-1"], plan="fixed_1gb", budget=50)
    assert db["region"] == "global"
    assert db["state"] == "active"
    assert db["type"] == "paid"
    assert db["budget"] == 50
    assert db["primary_region"] == "us-east-1"
    assert db["read_regions"] == ["eu-west-1"]
    assert db["all_members"] == ["us-east-1", "eu-west-1"]
    assert db["consistent"] is False
    assert db["tls"] is True
    assert db["password"]
    assert db["rest_token"]
    assert db["read_only_rest_token"]
    assert isinstance(db["creation_time"], int)


def test_handed_out_database_really_connects_with_the_returned_credentials(
    upstash: Sandbox,
) -> None:
    with client(upstash) as api:
        db = create(api, "connects")
    store = connect(db)
    store.set("greeting", "hello")
    assert store.get("greeting") == b"hello"
    store.close()


def test_terraform_body_with_region_global_is_accepted(upstash: Sandbox) -> None:
    body = {
        "region": "global",
        "database_name": "tf-form",
        "tls": True,
        "consistent": False,
        "multizone": False,
        "eviction": True,
        "auto_upgrade": True,
        "prod_pack_enabled": False,
        "primary_region": "eu-central-1",
        "read_regions": ["us-east-1"],
    }
    with client(upstash) as api:
        response = api.post("/redis/database", json=body)
    assert response.status_code == 200, response.text
    assert_matches_spec("upstash", response)
    db = response.json()
    assert (db["eviction"], db["auto_upgrade"]) == (True, True)
    assert db["primary_region"] == "eu-central-1"


def test_old_docs_body_with_name_and_region_global_is_accepted(upstash: Sandbox) -> None:
    body = {
        "name": "old-form",
        "region": "global",
        "primary_region": "us-west-2",
        "read_regions": [],
        "tls": True,
    }
    with client(upstash) as api:
        response = api.post("/redis/database", json=body)
    assert response.status_code == 200, response.text
    assert_matches_spec("upstash", response)
    assert response.json()["database_name"] == "old-form"


def test_list_returns_only_the_callers_team_databases(upstash: Sandbox) -> None:
    with client(upstash) as api_a, client(upstash, TEAM_B) as api_b:
        mine = create(api_a, "listed-a")
        theirs = create(api_b, "listed-b")
        response = api_a.get("/redis/databases")
    assert_matches_spec("upstash", response)
    ids = {db["database_id"] for db in response.json()}
    assert mine["database_id"] in ids
    assert theirs["database_id"] not in ids


def test_get_returns_credentials_unless_credentials_hide(upstash: Sandbox) -> None:
    with client(upstash) as api:
        db = create(api, "hidden")
        shown = api.get(f"/redis/database/{db['database_id']}")
        hidden = api.get(f"/redis/database/{db['database_id']}", params={"credentials": "hide"})
    for response in (shown, hidden):
        assert response.status_code == 200
        assert_matches_spec("upstash", response)
    assert shown.json()["password"] == db["password"]
    for field in ("password", "rest_token", "read_only_rest_token"):
        assert field not in hidden.json()
    assert hidden.json()["database_name"] == "hidden"


def test_rename_changes_the_name(upstash: Sandbox) -> None:
    with client(upstash) as api:
        db = create(api, "before-rename")
        response = api.post(f"/redis/rename/{db['database_id']}", json={"name": "after-rename"})
    assert response.status_code == 200
    assert_matches_spec("upstash", response)
    assert response.json()["database_name"] == "after-rename"


def test_reset_password_really_rekeys_the_running_redis(upstash: Sandbox) -> None:
    with client(upstash) as api:
        db = create(api, "rekeyed")
        response = api.post(f"/redis/reset-password/{db['database_id']}", json={})
        fetched = api.get(f"/redis/database/{db['database_id']}").json()
    assert response.status_code == 200
    assert_matches_spec("upstash", response)
    new = response.json()
    assert new["password"] != db["password"]
    assert new["rest_token"] != db["rest_token"]
    assert fetched["password"] == new["password"]
    assert connect(new).ping()
    with pytest.raises(redis.AuthenticationError):
        connect(db).ping()


def test_delete_answers_ok_and_really_stops_the_redis(upstash: Sandbox) -> None:
    with client(upstash) as api:
        db = create(api, "doomed")
        assert connect(db).ping()
        response = api.delete(f"/redis/database/{db['database_id']}")
        gone = api.get(f"/redis/database/{db['database_id']}")
    assert response.status_code == 200
    assert_matches_spec("upstash", response)
    assert response.json() == "OK"
    assert gone.status_code == 404
    with pytest.raises(redis.ConnectionError):
        connect(db).ping()
