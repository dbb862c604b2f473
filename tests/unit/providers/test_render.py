"""Render providers' CRUD methods on an ``httpx.MockTransport``: the edge cases a sandbox run
rarely shows (lost answers, 429s, failed deploys, waiting, bad credentials, bad inputs)."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pulumi.output import Unknown
from pulumi.runtime import rpc

from paas_stacks.errors import CredentialsError, ResourceError
from paas_stacks.providers._http import Endpoint, RetryPolicy
from paas_stacks.providers.render import client as client_module
from paas_stacks.providers.render.client import RenderClient
from paas_stacks.providers.render.keyvalue import KeyValueProvider
from paas_stacks.providers.render.postgres import PostgresProvider
from paas_stacks.providers.render.service import ServiceProvider
from tests.against_sandbox.test_render_support import outs

TOKEN = "rnd_unit-test-token-123"
# What the engine hands diff/check for a value not known yet.
UNKNOWN_OBJECT = Unknown()  # type: ignore[no-untyped-call]
OWNER = "tea-unit0000000000000001"
Handler = Callable[[httpx.Request], httpx.Response]


class Api:
    """Canned answers per ``"METHOD /path"`` (a list is served in order, the last one repeats)."""

    def __init__(self, routes: dict[str, Any]) -> None:
        self.routes = routes
        self.calls: list[str] = []
        self.sleeps: list[float] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        key = f"{request.method} {request.url.path.removeprefix('/v1')}"
        self.calls.append(key)
        if key not in self.routes and request.method == "GET" and key.endswith("/deploys"):
            return httpx.Response(200, json=[])  # no live deploy unless a test says otherwise
        if key not in self.routes:
            return httpx.Response(404, json={"id": "x", "message": "not found"})
        answer = self.routes[key]
        if isinstance(answer, list):
            answer = answer.pop(0) if len(answer) > 1 else answer[0]
        if callable(answer):
            answer = answer(request)
        if isinstance(answer, httpx.Response):
            return answer
        return httpx.Response(200, json=answer)

    def client(self, owner: str | None = OWNER) -> RenderClient:
        endpoint = Endpoint(
            "https://api.render.test/v1", {"authorization": f"Bearer {TOKEN}"}, secrets=(TOKEN,)
        )
        client = RenderClient(
            endpoint,
            transport=httpx.MockTransport(self.handle),
            sleep=self.sleeps.append,
            policy=RetryPolicy(attempts=4, base_delay=0.01),
        )
        client.configured_owner = owner
        return client

    def count(self, key: str) -> int:
        return self.calls.count(key)


def kv(status: str = "available") -> dict[str, Any]:
    return {
        "id": "red-1",
        "name": "cache",
        "plan": "starter",
        "region": "oregon",
        "status": status,
        "options": {"maxmemoryPolicy": "allkeys_lru"},
    }


KV_INFO = {
    "internalConnectionString": "redis://red-1:6379",
    "externalConnectionString": "rediss://red-1:pw@oregon-keyvalue.render.com:6379",
    "cliCommand": "redis-cli -u ...",
}


def service(**details: Any) -> dict[str, Any]:
    return {
        "id": "srv-1",
        "name": "web",
        "type": "web_service",
        "ownerId": OWNER,
        "slug": "web",
        "dashboardUrl": "https://dashboard.render.com/web/srv-1",
        "autoDeploy": "yes",
        "rootDir": "",
        "repo": "https://github.com/o/r",
        "branch": "main",
        "serviceDetails": {
            "runtime": "python",
            "plan": "starter",
            "region": "oregon",
            "numInstances": 1,
            "healthCheckPath": "",
            "url": "https://web.onrender.com",
            "envSpecificDetails": {"buildCommand": "b", "startCommand": "s"},
            **details,
        },
    }


WEB = {
    "name": "web",
    "type": "web",
    "runtime": "python",
    "repo": "https://github.com/o/r",
    "build_command": "b",
    "start_command": "s",
    "env_vars": {"A": "1"},
}


def service_api(deploys: list[Any]) -> Api:
    return Api(
        {
            "GET /services": [[]],
            "POST /services": httpx.Response(201, json={"service": service(), "deployId": "dep-1"}),
            "GET /services/srv-1/deploys/dep-1": deploys,
            "GET /services/srv-1": service(),
            "GET /services/srv-1/env-vars": [
                [{"envVar": {"key": "A", "value": "1"}, "cursor": "A"}]
            ],
            "GET /services/srv-1/secret-files": [[]],
        }
    )


def test_a_service_that_vanished_reads_as_gone_and_deletes_fine() -> None:
    api = Api({"DELETE /services/srv-1": httpx.Response(404, json={"message": "not found"})})
    provider = ServiceProvider()
    provider.use(api.client())
    assert provider.read("srv-1", {"name": "web"}).id == ""
    provider.delete("srv-1", {"name": "web"})
    # Delete reads the owner marker first; a service already gone needs no DELETE.
    assert api.calls == ["GET /services/srv-1", "GET /services/srv-1/env-vars"]


def test_a_create_whose_answer_was_lost_is_found_by_name_not_posted_again() -> None:
    def lost(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("answer lost", request=request)

    api = Api(
        {
            "GET /key-value": [[], [{"keyValue": kv(), "cursor": "red-1"}]],
            "POST /key-value": lost,
            "GET /key-value/red-1/connection-info": KV_INFO,
        }
    )
    provider = KeyValueProvider()
    provider.use(api.client())
    created = provider.create({"name": "cache", "maxmemory_policy": "allkeys_lru"})
    assert created.id == "red-1"
    assert api.count("POST /key-value") == 1
    assert outs(created)["external_connection_string"] == KV_INFO["externalConnectionString"]


def test_a_429_is_retried_and_then_succeeds() -> None:
    api = Api(
        {
            "GET /key-value/red-1": [httpx.Response(429, json={"message": "slow down"}), kv()],
            "GET /key-value/red-1/connection-info": KV_INFO,
        }
    )
    provider = KeyValueProvider()
    provider.use(api.client())
    assert provider.read("red-1", {"name": "cache"}).id == "red-1"
    assert api.count("GET /key-value/red-1") == 2


def test_a_4xx_is_one_line_naming_resource_call_status_and_message_without_the_token() -> None:
    refused = httpx.Response(400, json={"id": "e1", "message": f"plan is invalid for {TOKEN}"})
    api = Api({"GET /postgres": [[]], "POST /postgres": refused})
    provider = PostgresProvider()
    provider.use(api.client())
    with pytest.raises(ResourceError) as caught:
        provider.create({"name": "db", "plan": "accelerated_1024gb"})
    text = str(caught.value)
    assert "\n" not in text
    for part in ("Render Postgres 'db'", "POST", "/v1/postgres", "400", "plan is invalid"):
        assert part in text
    assert TOKEN not in text


def test_unknown_inputs_diff_as_changed_and_equal_inputs_as_unchanged() -> None:
    provider = KeyValueProvider()
    olds = {"name": "cache", "plan": "starter", "region": "oregon", "maxmemory_policy": None}
    assert provider.diff("red-1", olds, {"name": "cache"}).changes is False
    for unknown in (rpc.UNKNOWN, UNKNOWN_OBJECT):
        diff = provider.diff("red-1", olds, {"name": "cache", "region": unknown})
        assert diff.changes is True
    service_olds = {"env_vars": {"A": "1"}, "name": "web"}
    news = {**WEB, "env_vars": {"A": UNKNOWN_OBJECT}}
    assert ServiceProvider().diff("srv-1", service_olds, news).changes is True


def test_missing_credentials_name_the_config_key_and_the_env_var(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("RENDER_API_KEY", raising=False)
    with pytest.raises(CredentialsError) as caught:
        RenderClient.from_config({})
    assert "render:apiKey" in str(caught.value)
    assert "RENDER_API_KEY" in str(caught.value)
    with pytest.raises(ResourceError, match="render:apiKey"):
        KeyValueProvider().read("red-1", {"name": "cache"})


def test_check_reports_invalid_inputs_before_any_request() -> None:
    api = Api({})
    provider = ServiceProvider()
    provider.use(api.client())
    cases: list[tuple[dict[str, Any], str]] = [
        ({"name": "w", "type": "web", "repo": "r"}, "runtime is required"),
        ({**WEB, "type": "cron"}, "schedule"),
        ({**WEB, "autoscaling": {"min": 3, "max": 2, "target_cpu_percent": 50}}, "min (3)"),
        ({**WEB, "runtime": "docker"}, "build_command is not allowed"),
        ({**WEB, "type": "static", "runtime": None}, "start_command is not allowed"),
        ({**WEB, "region": "mars"}, "region"),
    ]
    for props, expected in cases:
        failures = provider.check({}, dict(props)).failures
        assert failures, props
        assert any(expected in f.reason or expected in f.property for f in failures), failures
    assert api.calls == []


def test_create_waits_for_the_deploy_to_be_live_with_growing_pauses() -> None:
    api = service_api(
        [{"status": "build_in_progress"}, {"status": "update_in_progress"}, {"status": "live"}]
    )
    provider = ServiceProvider()
    provider.use(api.client())
    created = provider.create(WEB)
    assert created.id == "srv-1"
    assert api.count("GET /services/srv-1/deploys/dep-1") == 3
    assert api.sleeps == [1.0, 1.5]
    assert outs(created)["url"] == "https://web.onrender.com"


@pytest.mark.parametrize("status", ["build_failed", "update_failed", "canceled"])
def test_a_failed_deploy_fails_the_create_clearly(status: str) -> None:
    api = service_api([{"status": "build_in_progress"}, {"status": status}])
    provider = ServiceProvider()
    provider.use(api.client())
    with pytest.raises(ResourceError, match=f"deploy dep-1 ended as '{status}'"):
        provider.create(WEB)


def test_a_failed_migration_fails_the_update_whose_deploy_ran_it() -> None:
    # pre_deploy_failed: the pre-deploy command (the migration) failed, so the new code never
    # went live; the update must fail, not record the new inputs as applied.
    api = service_api([{"status": "live"}])
    api.routes["PATCH /services/srv-1"] = service()
    api.routes["POST /services/srv-1/deploys"] = httpx.Response(201, json={"id": "dep-2"})
    api.routes["GET /services/srv-1/deploys/dep-2"] = [
        {"status": "pre_deploy_in_progress"},
        {"status": "pre_deploy_failed"},
    ]
    provider = ServiceProvider()
    provider.use(api.client())
    created = provider.create(WEB)
    news = {**WEB, "start_command": "node server.js", "pre_deploy_command": "npm run migrate"}
    with pytest.raises(ResourceError, match="deploy dep-2 ended as 'pre_deploy_failed'"):
        provider.update(created.id, outs(created), news)
    assert api.count("GET /services/srv-1/deploys/dep-2") == 2


def test_waiting_is_bounded_even_when_sleep_returns_at_once() -> None:
    api = service_api([{"status": "build_in_progress"}])
    provider = ServiceProvider()
    provider.use(api.client())
    with pytest.raises(ResourceError, match="still 'build_in_progress'"):
        provider.create(WEB)
    assert sum(api.sleeps) > 1800 - 1.5  # it stops before a sleep would pass the limit
    assert max(api.sleeps) == 1.5


def test_a_ready_deploy_is_noticed_within_one_and_a_half_seconds_so_polls_never_pause_longer() -> (
    None
):
    statuses = [{"status": "build_in_progress"}] * 9 + [{"status": "live"}]
    api = service_api(statuses)
    provider = ServiceProvider()
    provider.use(api.client())
    provider.create(WEB)
    assert api.sleeps == [1.0] + [1.5] * 8


def test_postgres_create_waits_for_available() -> None:
    pg = {
        "id": "dpg-1",
        "name": "db",
        "plan": "basic_256mb",
        "region": "oregon",
        "version": "16",
        "databaseName": "db",
        "databaseUser": "u",
        "diskSizeGB": 15,
    }
    info = {
        "password": "pw",
        "internalConnectionString": "postgresql://u:pw@dpg-1/db",
        "externalConnectionString": "postgresql://u:pw@h/db",
        "psqlCommand": "p",
    }
    api = Api(
        {
            "GET /postgres": [[]],
            "POST /postgres": httpx.Response(201, json={**pg, "status": "creating"}),
            "GET /postgres/dpg-1": [{**pg, "status": "creating"}, {**pg, "status": "available"}],
            "GET /postgres/dpg-1/connection-info": info,
        }
    )
    provider = PostgresProvider()
    provider.use(api.client())
    created = provider.create({"name": "db"})
    assert api.count("GET /postgres/dpg-1") == 2
    assert outs(created)["password"] == "pw"


def test_the_owner_comes_from_get_owners_once_when_not_configured() -> None:
    client_module._OWNERS.clear()
    api = Api({"GET /owners": [[{"owner": {"id": "tea-found"}, "cursor": "c"}]]})
    client = api.client(owner=None)
    assert client.owner_id() == "tea-found"
    assert client.owner_id() == "tea-found"
    assert api.count("GET /owners") == 1
    assert Api({}).client(owner="tea-set").owner_id() == "tea-set"


def test_two_services_with_the_same_name_are_not_adopted_blindly() -> None:
    twins = [{"service": {**service(), "id": f"srv-{i}"}, "cursor": str(i)} for i in (1, 2)]
    api = Api({"GET /services": [twins]})
    provider = ServiceProvider()
    provider.use(api.client())
    with pytest.raises(ResourceError, match="several Render objects are named 'web'"):
        provider.create(WEB)
    assert "POST /services" not in api.calls


def test_providers_pickle_without_any_state() -> None:
    for provider in (ServiceProvider(), PostgresProvider(), KeyValueProvider()):
        assert provider.__dict__ == {}
        assert type(pickle.loads(pickle.dumps(provider))) is type(provider)  # noqa: S301


def test_a_deploy_already_superseded_by_a_newer_one_counts_as_done() -> None:
    api = service_api([{"status": "build_in_progress"}, {"status": "deactivated"}])
    provider = ServiceProvider()
    provider.use(api.client())
    assert provider.create(WEB).id == "srv-1"
    assert api.sleeps == [1.0]


PG_RECORDED = {
    "id": "dpg-2",
    "name": "orders",
    "plan": "basic_256mb",
    "region": "oregon",
    "version": "16",
    "databaseName": "db_name_ehyv",
    "databaseUser": "db_user",
    "diskSizeGB": 15,
    "status": "available",
}
PG_INFO = {
    "password": "pw",
    "internalConnectionString": "postgresql://db_user:pw@dpg-2/db_name_ehyv",
    "externalConnectionString": "postgresql://db_user:pw@h/db_name_ehyv",
    "psqlCommand": "p",
}


def test_render_appends_a_random_suffix_to_an_explicit_database_name_and_that_is_no_change() -> (
    None
):
    api = Api(
        {
            "GET /postgres": [[]],
            "POST /postgres": httpx.Response(201, json=PG_RECORDED),
            "GET /postgres/dpg-2/connection-info": PG_INFO,
            "GET /postgres/dpg-2": PG_RECORDED,
        }
    )
    provider = PostgresProvider()
    provider.use(api.client())
    inputs = {"name": "orders", "database_name": "db_name", "database_user": "db_user"}
    created = outs(provider.create(inputs))
    assert created["database_name"] == "db_name"
    assert created["actual_database_name"] == "db_name_ehyv"
    diff = provider.diff("dpg-2", created, inputs)
    assert not diff.changes
    assert not diff.replaces
    read = outs(provider.read("dpg-2", created))
    assert (read["database_name"], read["actual_database_name"]) == ("db_name", "db_name_ehyv")
    assert not provider.diff("dpg-2", read, inputs).changes


def test_another_configured_database_name_is_still_a_replacement_despite_the_suffix() -> None:
    api = Api(
        {
            "GET /postgres": [[]],
            "POST /postgres": httpx.Response(201, json=PG_RECORDED),
            "GET /postgres/dpg-2/connection-info": PG_INFO,
        }
    )
    provider = PostgresProvider()
    provider.use(api.client())
    created = outs(provider.create({"name": "orders", "database_name": "db_name"}))
    diff = provider.diff("dpg-2", created, {"name": "orders", "database_name": "other_db"})
    assert diff.replaces == ["database_name"]
    # A name that merely ends like a suffix is not taken for one.
    assert outs(provider.create({"name": "orders", "database_name": "db"}))["database_name"] == (
        "db_name_ehyv"
    )


def test_a_state_holding_the_suffixed_database_name_is_no_change_for_the_configured_name() -> None:
    # State written before the suffix was known, or by ``pulumi import``, holds Render's answer.
    provider = PostgresProvider()
    olds = {
        "name": "orders",
        "plan": "basic_256mb",
        "region": "oregon",
        "version": "16",
        "database_name": "db_name_ehyv",
        "database_user": "db_user",
        "disk_size_gb": 15,
    }
    diff = provider.diff("dpg-2", olds, {"name": "orders", "database_name": "db_name"})
    assert not diff.changes
    assert not diff.replaces
    other = provider.diff("dpg-2", olds, {"name": "orders", "database_name": "db_nam"})
    assert other.replaces == ["database_name"]


def test_a_queued_deploy_answered_without_a_body_is_found_by_its_release() -> None:
    pin = "a" * 40
    queued = {"id": "dep-2", "status": "queued", "commit": {"id": pin}}
    api = service_api([{"status": "live", "commit": {"id": pin}}])
    api.routes |= {
        "POST /services/srv-1/deploys": httpx.Response(202),
        "GET /services/srv-1/deploys": [
            [{"deploy": {"id": "dep-1", "status": "live", "commit": {"id": "b" * 40}}}],
            [{"deploy": queued}, {"deploy": {"id": "dep-1", "commit": {"id": "b" * 40}}}],
            [{"deploy": {**queued, "status": "live"}}],
        ],
        "GET /services/srv-1/deploys/dep-2": [{**queued, "status": "live"}],
        "PATCH /services/srv-1": service(),
    }
    provider = ServiceProvider()
    provider.use(api.client())
    olds = {**outs(provider.read("srv-1", {"name": "web"})), **WEB}
    updated = outs(provider.update("srv-1", olds, {**WEB, "commit": pin}))
    assert updated["commit"] == pin
    assert api.count("POST /services/srv-1/deploys") == 1
    assert api.count("GET /services/srv-1/deploys/dep-2") == 1


def test_every_deploy_of_a_pinned_service_names_its_commit() -> None:
    pin = "a" * 40
    bodies: list[bytes] = []

    def deploy(request: httpx.Request) -> httpx.Response:
        bodies.append(request.content)
        return httpx.Response(201, json={"id": "dep-1", "status": "created"})

    api = service_api([{"status": "live", "commit": {"id": pin}}])
    api.routes |= {"POST /services/srv-1/deploys": deploy, "PUT /services/srv-1/env-vars": [[]]}
    provider = ServiceProvider()
    provider.use(api.client())
    olds = {**outs(provider.read("srv-1", {"name": "web"})), **WEB, "commit": pin}
    provider.update("srv-1", olds, {**WEB, "commit": pin, "env_vars": {"A": "2"}})
    assert bodies == [b'{"commitId":"' + pin.encode() + b'"}']
