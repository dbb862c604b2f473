"""Upstash errors: 401s, cross-team and unknown 404s, validation that creates nothing.

The spec declares no error responses (its ``Error`` schema is referenced nowhere), so error
bodies are checked against what the live service is seen to send: a bare JSON string.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandbox import Sandbox, SandboxConfig
from tests.sandbox.conftest import NO_DELAYS
from tests.sandbox.test_upstash_databases import TEAM_B, client, create

UNKNOWN = "96ad0856-03b1-4ee7-9666-e81abd0349e1"


@pytest.fixture(scope="module")
def upstash(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    config = SandboxConfig(
        state_dir=tmp_path_factory.mktemp("upstash-errors"),
        vendors=("upstash",),
        delays=NO_DELAYS,
        rate_limits=False,
    )
    with Sandbox(config) as running:
        yield running


@pytest.fixture
def api(upstash: Sandbox) -> Iterator[httpx.Client]:
    with client(upstash) as opened:
        yield opened


def error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    message = response.json()
    assert isinstance(message, str)
    assert message
    return message


def names(api: httpx.Client) -> list[str]:
    return [db["database_name"] for db in api.get("/redis/databases").json()]


@pytest.mark.parametrize(
    "auth",
    [None, ("dev-a@sandbox.local", "wrong-key"), ("nobody@sandbox.local", "upstash-sandbox-key-a")],
)
def test_missing_or_wrong_basic_credentials_get_401(
    upstash: Sandbox, auth: tuple[str, str] | None
) -> None:
    url = upstash.base_url("upstash") + "/redis/databases"
    error(httpx.get(url, auth=auth), 401)


def test_bearer_token_instead_of_basic_gets_401(upstash: Sandbox) -> None:
    url = upstash.base_url("upstash") + "/redis/databases"
    headers = {"Authorization": "Bearer dev-a@sandbox.local:upstash-sandbox-key-a"}
    error(httpx.get(url, headers=headers), 401)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/redis/database/{id}"),
        ("DELETE", "/redis/database/{id}"),
        ("POST", "/redis/reset-password/{id}"),
        ("POST", "/redis/enable-tls/{id}"),
        ("POST", "/redis/enable-eviction/{id}"),
        ("POST", "/redis/disable-autoupgrade/{id}"),
    ],
)
def test_unknown_database_id_gets_404(api: httpx.Client, method: str, path: str) -> None:
    error(api.request(method, path.format(id=UNKNOWN)), 404)


def test_another_teams_database_is_404_and_untouched(upstash: Sandbox, api: httpx.Client) -> None:
    with client(upstash, TEAM_B) as other:
        theirs = create(other, "private-b")
        path = f"/redis/database/{theirs['database_id']}"
        error(api.get(path), 404)
        error(api.delete(path), 404)
        error(api.post(f"/redis/rename/{theirs['database_id']}", json={"name": "stolen"}), 404)
        assert other.get(path).json()["database_name"] == "private-b"


@pytest.mark.parametrize(
    "body",
    [
        {"platform": "aws", "primary_region": "us-east-1"},
        {"database_name": "bad-enum", "platform": "aws", "primary_region": "mars-1"},
        {
            "database_name": "bad-type",
            "platform": "aws",
            "primary_region": "us-east-1",
            "tls": "yes",
        },
        {
            "database_name": "bad-plan",
            "platform": "aws",
            "primary_region": "us-east-1",
            "plan": "giant",
        },
        {"database_name": "no-primary", "platform": "aws"},
        {"database_name": "wrong-platform", "platform": "gcp", "primary_region": "us-east-1"},
        {"database_name": "bad-read", "primary_region": "us-east-1", "read_regions": ["moon"]},
        {"database_name": "clash", "primary_region": "us-east-1", "read_regions": ["us-east-1"]},
        {"database_name": "strong", "primary_region": "us-east-1", "consistent": True},
        ["not", "an", "object"],
    ],
)
def test_invalid_create_body_gets_400_and_creates_nothing(api: httpx.Client, body: Any) -> None:
    before = names(api)
    error(api.post("/redis/database", json=body), 400)
    assert names(api) == before


def test_malformed_json_gets_400_and_creates_nothing(api: httpx.Client) -> None:
    before = names(api)
    headers = {"Content-Type": "application/json"}
    error(api.post("/redis/database", content=b'{"database_name": ', headers=headers), 400)
    assert names(api) == before


def test_deprecated_regional_create_gets_the_services_400(api: httpx.Client) -> None:
    body = {"name": "regional-old", "region": "eu-west-1", "tls": True}
    assert error(api.post("/redis/database", json=body), 400) == (
        "regional db creation is deprecated"
    )
    assert "regional-old" not in names(api)


def test_duplicate_name_within_a_team_gets_400(upstash: Sandbox, api: httpx.Client) -> None:
    create(api, "taken")
    body = {"database_name": "taken", "platform": "aws", "primary_region": "us-east-2"}
    assert "already exists" in error(api.post("/redis/database", json=body), 400)
    assert names(api).count("taken") == 1
    with client(upstash, TEAM_B) as other:
        create(other, "taken")  # another team may use the same name


def test_rename_to_a_taken_or_missing_name_gets_400(api: httpx.Client) -> None:
    first, second = create(api, "first-name"), create(api, "second-name")
    rename = f"/redis/rename/{second['database_id']}"
    error(api.post(rename, json={"name": first["database_name"]}), 400)
    error(api.post(rename, json={}), 400)
    assert api.get(f"/redis/database/{second['database_id']}").json()["database_name"] == (
        "second-name"
    )


def test_unknown_path_and_wrong_method_use_the_error_shape(api: httpx.Client) -> None:
    error(api.get("/redis/nothing-here"), 404)
    error(api.put("/redis/databases"), 405)
