"""The promises every provider makes, proven once through the real engine on Upstash (the
quickest vendor): no duplicate after a lost answer, retries that converge, adoption, and errors
that name the resource and never the token."""

from __future__ import annotations

from typing import Any

import httpx
import pulumi
import pytest
from pulumi import automation as auto

from paas_stacks.providers._ownership import Marker
from paas_stacks.providers.upstash import RedisDatabase
from sandbox import Sandbox
from sandbox.core.faults import FaultSettings
from tests.conftest import EngineFactory
from tests.engine import changes, handed_out_secrets

pytestmark = pytest.mark.engine


def program() -> None:
    config = pulumi.Config()
    database = RedisDatabase(
        "cache",
        name=config.require("name"),
        primary_region=config.get("region") or "us-east-1",
        budget=config.get_int("budget"),
        adopt_id=config.get("adopt"),
    )
    pulumi.export("database_id", database.database_id)


def databases_named(sandbox: Sandbox, name: str) -> list[dict[str, Any]]:
    email, _, key = sandbox.token("upstash").partition(":")
    with httpx.Client(base_url=sandbox.base_url("upstash"), auth=(email, key)) as api:
        found = api.get("/redis/databases").raise_for_status().json()
    # Upstash keeps the owner marker as a name suffix, `<name>-ps-<tag>`: match the declared name.
    return [db for db in found if Marker.split_name(str(db["database_name"]))[0] == name]


def failure_text(error: auto.CommandError) -> str:
    return str(error)


def test_a_lost_create_answer_is_adopted_not_duplicated(
    engine: type[EngineFactory], engine_sandbox: Sandbox
) -> None:
    run = engine.stack("contract-lost", program, {"name": "lost-answer"})
    engine_sandbox.set_faults(FaultSettings(lose_next_writes=1, path_contains="/redis/database"))

    created, calls = run.up()

    assert changes(created) == {"create": 3}
    lost = [e for e in engine_sandbox.log("upstash").entries() if e.lost]
    assert lost, "the fault did drop a create answer"
    found = databases_named(engine_sandbox, "lost-answer")
    assert [db["database_id"] for db in found] == [run.outputs()["database_id"]]
    assert calls.routes("upstash").get("POST /redis/database") == 1
    run.assert_no_leak()


def test_429_bursts_and_5xx_are_retried_and_the_stack_converges(
    engine: type[EngineFactory], engine_sandbox: Sandbox
) -> None:
    run = engine.stack("contract-flaky", program, {"name": "flaky", "budget": "40"})
    engine_sandbox.set_faults(
        FaultSettings(burst_429=3, retry_after=1, error_rate=0.2, seed=7), ("upstash",)
    )

    created, _ = run.up()
    updated, _ = run.up(budget="60")
    refreshed, _ = run.refresh()

    assert changes(created) == {"create": 3}
    assert changes(updated) == {"update": 1}
    assert changes(refreshed) == {}
    statuses = [e.status for e in engine_sandbox.log("upstash").entries()]
    assert 429 in statuses
    assert 503 in statuses
    # Faults off before the test's own reading: its listing is not a provider call to retry.
    engine_sandbox.set_faults(FaultSettings())
    [database] = databases_named(engine_sandbox, "flaky")
    assert database["budget"] == 60
    run.assert_no_leak()
    gone, _ = run.destroy()
    assert changes(gone) == {"delete": 3}
    assert databases_named(engine_sandbox, "flaky") == []


def test_adopt_id_takes_over_an_existing_database_without_creating_one(
    engine: type[EngineFactory], engine_sandbox: Sandbox
) -> None:
    email, _, key = engine_sandbox.token("upstash").partition(":")
    with httpx.Client(base_url=engine_sandbox.base_url("upstash"), auth=(email, key)) as api:
        body = {"database_name": "made-by-hand", "platform": "aws", "primary_region": "us-east-1"}
        existing = api.post("/redis/database", json=body).raise_for_status().json()
    run = engine.stack(
        "contract-adopt",
        program,
        {"name": "adopted", "adopt": existing["database_id"]},
    )

    adopted, calls = run.up()

    assert changes(adopted) == {"create": 3}
    assert run.outputs()["database_id"] == existing["database_id"]
    assert "POST /redis/database" not in calls.routes("upstash")
    # Two renames: the claim puts this stack's marker suffix on it first, so a run killed right
    # after still owns it, then the declared name.
    assert calls.routes("upstash").get("POST /redis/rename/{database_id}") == 2
    assert databases_named(engine_sandbox, "adopted")
    run.assert_no_leak()
    run.destroy()
    assert databases_named(engine_sandbox, "adopted") == []


def test_the_import_option_is_refused_by_the_engine_for_dynamic_resources(
    engine: type[EngineFactory], engine_sandbox: Sandbox
) -> None:
    """Why ``adopt_id`` exists: the engine's import reads without the pickled provider."""

    def importing() -> None:
        RedisDatabase(
            "cache",
            name="to-import",
            primary_region="us-east-1",
            opts=pulumi.ResourceOptions(import_="any-id"),
        )

    run = engine.stack("contract-import", importing)
    with pytest.raises(auto.CommandError):
        run.up()
    assert databases_named(engine_sandbox, "to-import") == []


def test_a_vendor_error_is_one_line_naming_resource_call_and_message_never_the_token(
    engine: type[EngineFactory], engine_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPSTASH_API_KEY", "wrong-key-0123456789")
    run = engine.stack("contract-error", program, {"name": "refused"})

    with pytest.raises(auto.CommandError) as raised:
        run.up()

    text = failure_text(raised.value)
    expected = (
        "Upstash RedisDatabase 'refused': Upstash API: GET /v2/redis/databases -> 401: Unauthorized"
    )
    assert expected in text
    assert "wrong-key-0123456789" not in text
    assert "Traceback" not in text


def test_missing_credentials_and_bad_inputs_fail_before_any_call(
    engine: type[EngineFactory], engine_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    mark = engine_sandbox.log("upstash").last_seq()
    monkeypatch.delenv("UPSTASH_API_KEY")
    run = engine.stack("contract-config", program, {"name": "no-key"})
    with pytest.raises(auto.CommandError) as missing:
        run.preview()
    assert "upstash:apiKey (or env UPSTASH_API_KEY)" in failure_text(missing.value)

    monkeypatch.setenv("UPSTASH_API_KEY", engine_sandbox.token("upstash").partition(":")[2])
    with pytest.raises(auto.CommandError) as invalid:
        run.up(region="mars-north-1")
    assert "primary_region" in failure_text(invalid.value)
    assert "mars-north-1" in failure_text(invalid.value)
    assert engine_sandbox.log("upstash").entries(mark) == []


def test_credentials_from_stack_config_work_and_stay_out_of_the_plain_state(
    engine: type[EngineFactory], engine_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = engine_sandbox.token("upstash").partition(":")[2]
    monkeypatch.delenv("UPSTASH_API_KEY")
    run = engine.stack("contract-config-key", program, {"name": "config-key"})
    run.stack.set_config("upstash:apiKey", auto.ConfigValue(key, secret=True))

    created, _ = run.up()

    assert changes(created) == {"create": 3}
    assert key not in run.export()
    assert not [value for value in handed_out_secrets(engine_sandbox) if value in run.export()]
    run.destroy()
    assert databases_named(engine_sandbox, "config-key") == []
