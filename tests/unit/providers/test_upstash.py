"""Upstash RedisDatabase provider methods against a scripted transport: the edge cases."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pulumi.runtime import rpc

from paas_stacks.errors import CredentialsError, ResourceError
from paas_stacks.providers._http import Endpoint, RetryPolicy
from paas_stacks.providers.upstash import RedisDatabaseProvider, UpstashClient

KEY = "upstash-key-never-shown"
DB: dict[str, Any] = {
    "database_id": "db-1",
    "database_name": "cache",
    "primary_region": "us-east-1",
    "read_regions": [],
    "tls": True,
    "eviction": False,
    "budget": 360,
    "type": "payg",
    "endpoint": "cache-1.upstash.io",
    "port": 6379,
    "password": "pw-1",
    "rest_token": "rt-1",
    "read_only_rest_token": "ro-1",
}
INPUTS: dict[str, Any] = {"name": "cache", "primary_region": "us-east-1"}


def outs(result: Any) -> dict[str, Any]:
    """The outputs of a create/read/update result (typed optional by the SDK)."""
    assert result.outs is not None
    return dict(result.outs)


def provider(handler: Callable[[httpx.Request], httpx.Response]) -> RedisDatabaseProvider:
    client = UpstashClient(
        Endpoint("https://api.upstash.test/v2", {"authorization": "Basic x"}, (KEY,)),
        policy=RetryPolicy(attempts=3),
        transport=httpx.MockTransport(handler),
        sleep=lambda _seconds: None,
    )
    made = RedisDatabaseProvider()
    made.use(client)
    return made


class Script:
    """Answers by ``METHOD path``; records every request it saw."""

    def __init__(self, routes: dict[str, list[httpx.Response | Exception]]) -> None:
        self.routes = routes
        self.seen: list[str] = []
        self.bodies: dict[str, Any] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        key = f"{request.method} {request.url.path}"
        self.seen.append(key)
        if request.content:
            self.bodies[key] = json.loads(request.content)
        item = self.routes[key].pop(0)
        if isinstance(item, Exception):
            raise item
        return item


def test_create_posts_a_typed_body_and_returns_outputs_from_the_answer() -> None:
    script = Script(
        {
            "GET /v2/redis/databases": [httpx.Response(200, json=[])],
            "POST /v2/redis/database": [httpx.Response(200, json=DB)],
        }
    )
    result = provider(script).create({**INPUTS, "budget": 20})
    assert result.id == "db-1"
    assert outs(result)["redis_url"] == "rediss://default:pw-1@cache-1.upstash.io:6379"
    assert outs(result)["budget"] == 360, "outputs report the vendor's value, not an echo"
    assert script.bodies["POST /v2/redis/database"] == {
        "database_name": "cache",
        "platform": "aws",
        "primary_region": "us-east-1",
        "read_regions": [],
        "tls": True,
        "eviction": False,
        "budget": 20,
    }


def test_a_lost_create_answer_is_found_by_name_and_not_posted_again() -> None:
    script = Script(
        {
            "GET /v2/redis/databases": [
                httpx.Response(200, json=[]),
                httpx.Response(200, json=[DB]),
            ],
            "POST /v2/redis/database": [httpx.RemoteProtocolError("connection dropped")],
            "GET /v2/redis/database/db-1": [httpx.Response(200, json=DB)],
        }
    )
    result = provider(script).create(INPUTS)
    assert result.id == "db-1"
    assert script.seen.count("POST /v2/redis/database") == 1


def test_an_existing_database_with_the_same_name_is_adopted_and_converged() -> None:
    script = Script(
        {
            "GET /v2/redis/databases": [httpx.Response(200, json=[DB])],
            "GET /v2/redis/database/db-1": [
                httpx.Response(200, json=DB),
                httpx.Response(200, json={**DB, "eviction": True}),
            ],
            "POST /v2/redis/enable-eviction/db-1": [httpx.Response(200, json="OK")],
        }
    )
    result = provider(script).create({**INPUTS, "eviction": True})
    assert outs(result)["eviction"] is True
    assert "POST /v2/redis/database" not in script.seen


def test_read_of_a_deleted_database_reports_it_gone() -> None:
    script = Script({"GET /v2/redis/database/db-1": [httpx.Response(404, json="not found")]})
    assert provider(script).read("db-1", {}).id == ""


def test_delete_of_a_deleted_database_is_done() -> None:
    script = Script(
        {
            "GET /v2/redis/database/db-1": [httpx.Response(404, json="not found")],
            "DELETE /v2/redis/database/db-1": [httpx.Response(404, json="not found")],
        }
    )
    provider(script).delete("db-1", {})


def test_a_429_on_update_is_retried() -> None:
    script = Script(
        {
            "PATCH /v2/redis/update-budget/db-1": [
                httpx.Response(429, json="Too many requests", headers={"retry-after": "1"}),
                httpx.Response(200, json="OK"),
            ],
            "GET /v2/redis/database/db-1": [httpx.Response(200, json={**DB, "budget": 90})],
        }
    )
    olds = provider(Script({})).observe(DB, {})
    result = provider(script).update("db-1", olds, {**INPUTS, "budget": 90})
    assert outs(result)["budget"] == 90


def test_a_vendor_4xx_is_one_line_naming_the_resource_and_never_the_key() -> None:
    script = Script(
        {
            "GET /v2/redis/databases": [httpx.Response(200, json=[])],
            "POST /v2/redis/database": [httpx.Response(400, json=f"bad key {KEY}")],
        }
    )
    with pytest.raises(ResourceError) as raised:
        provider(script).create(INPUTS)
    assert str(raised.value) == (
        "Upstash RedisDatabase 'cache': Upstash API: POST /v2/redis/database -> 400: "
        "bad key [redacted]"
    )


def test_diff_sees_no_change_for_equal_inputs_and_a_change_for_unknown_ones() -> None:
    made = provider(Script({}))
    olds = made.observe(DB, {})
    assert made.diff("db-1", olds, {**INPUTS, "budget": 360}).changes is False
    assert made.diff("db-1", olds, INPUTS).changes is False, "an undeclared budget is not owned"
    unknown = made.diff("db-1", olds, {**INPUTS, "name": rpc.UNKNOWN})
    assert unknown.changes is True


def test_moving_the_primary_region_or_turning_tls_off_replaces() -> None:
    made = provider(Script({}))
    olds = made.observe(DB, {})
    assert made.diff("db-1", olds, {**INPUTS, "primary_region": "eu-west-1"}).replaces == [
        "primary_region"
    ]
    assert made.diff("db-1", olds, {**INPUTS, "tls": False}).replaces == ["tls"]
    assert made.diff("db-1", {**olds, "tls": False}, INPUTS).replaces == []


def test_check_reports_bad_inputs_before_any_request() -> None:
    script = Script({})
    made = provider(script)
    empty_name = made.check({}, {**INPUTS, "name": ""}).failures
    assert [(f.property, f.reason) for f in empty_name] == [
        ("name", "String should have at least 1 character (got '')")
    ]
    clash = made.check({}, {**INPUTS, "read_regions": ["us-east-1"]}).failures
    assert "primary region us-east-1 cannot also be a read region" in clash[0].reason
    assert script.seen == []


def test_missing_credentials_name_the_config_keys_and_env_vars(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("UPSTASH_EMAIL", raising=False)
    monkeypatch.delenv("UPSTASH_API_KEY", raising=False)
    with pytest.raises(CredentialsError) as raised:
        UpstashClient.from_config({})
    assert "upstash:email (or env UPSTASH_EMAIL)" in str(raised.value)
    assert "upstash:apiKey (or env UPSTASH_API_KEY)" in str(raised.value)


def test_the_provider_pickles_without_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    from pulumi.dynamic.dynamic import serialize_provider  # noqa: PLC0415

    monkeypatch.setenv("UPSTASH_EMAIL", "me@example.com")
    monkeypatch.setenv("UPSTASH_API_KEY", KEY)
    made = RedisDatabaseProvider()
    pickled = serialize_provider(made)
    assert KEY not in pickled
    assert made.__dict__ == {}
