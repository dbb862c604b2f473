"""RedisDatabase provider methods against the sandbox over HTTP (no engine)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import redis

from paas_stacks.errors import ResourceError
from paas_stacks.providers.upstash import RedisDatabaseProvider, UpstashClient
from sandbox import Sandbox
from sandbox.core.faults import FaultSettings


def outs(result: Any) -> dict[str, Any]:
    """The outputs of a create/read/update result (typed optional by the SDK)."""
    assert result.outs is not None
    return dict(result.outs)


@pytest.fixture
def provider(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> RedisDatabaseProvider:
    for key, value in sandbox.env().items():
        monkeypatch.setenv(key, value)
    made = RedisDatabaseProvider()
    made.use(UpstashClient.from_config(None))
    return made


def inputs(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "primary_region": "us-east-1", **extra}


def test_create_read_update_delete_round_trip(provider: RedisDatabaseProvider) -> None:
    created = provider.create(inputs("prov-round-trip", read_regions=["us-west-2"]))
    assert redis.Redis.from_url(outs(created)["redis_url"], socket_timeout=5).ping()
    assert outs(provider.read(created.id, outs(created))) == outs(created)

    news = inputs("prov-round-trip", read_regions=["eu-west-1", "us-west-2"], budget=75)
    assert provider.diff(created.id, outs(created), news).changes
    updated = outs(provider.update(created.id, outs(created), news))
    assert (updated["read_regions"], updated["budget"]) == (["eu-west-1", "us-west-2"], 75)
    assert provider.diff(created.id, updated, news).changes is False

    provider.delete(created.id, updated)
    assert provider.read(created.id, updated).id == ""
    provider.delete(created.id, updated)


def test_create_adopts_a_database_of_the_same_name(
    provider: RedisDatabaseProvider, sandbox: Sandbox
) -> None:
    email, _, key = sandbox.token("upstash").partition(":")
    with httpx.Client(base_url=sandbox.base_url("upstash"), auth=(email, key)) as api:
        body = {"database_name": "prov-adopt", "platform": "aws", "primary_region": "us-east-1"}
        existing = api.post("/redis/database", json=body).raise_for_status().json()
    adopted = provider.create(inputs("prov-adopt", eviction=True))
    assert adopted.id == existing["database_id"]
    assert outs(adopted)["eviction"] is True
    provider.delete(adopted.id, outs(adopted))


def test_a_console_change_is_read_back_as_drift(
    provider: RedisDatabaseProvider, sandbox: Sandbox
) -> None:
    created = provider.create(inputs("prov-drift"))
    email, _, key = sandbox.token("upstash").partition(":")
    with httpx.Client(base_url=sandbox.base_url("upstash"), auth=(email, key)) as api:
        api.post(f"/redis/enable-eviction/{created.id}").raise_for_status()
    observed = outs(provider.read(created.id, outs(created)))
    assert observed["eviction"] is True
    assert provider.diff(created.id, observed, inputs("prov-drift")).changes
    provider.delete(created.id, observed)


def test_a_database_made_without_tls_gets_tls_in_place_on_the_next_update(
    provider: RedisDatabaseProvider, sandbox: Sandbox
) -> None:
    created = provider.create(inputs("prov-tls-later", tls=False))
    assert outs(created)["tls"] is False
    since = sandbox.log("upstash").last_seq()
    news = inputs("prov-tls-later", tls=True)
    diff = provider.diff(created.id, outs(created), news)
    assert (diff.changes, diff.replaces) == (True, [])  # switched on in place, not replaced
    updated = outs(provider.update(created.id, outs(created), news))
    assert updated["tls"] is True
    calls = [f"{e.method} {e.path}" for e in sandbox.log("upstash").entries(since)]
    assert f"POST /v2/redis/enable-tls/{created.id}" in calls
    assert outs(provider.read(created.id, updated))["tls"] is True  # the vendor holds it
    assert provider.diff(created.id, updated, news).changes is False
    provider.delete(created.id, updated)


def test_a_delete_the_vendor_answers_500_fails_and_the_database_lives_on(
    provider: RedisDatabaseProvider, sandbox: Sandbox
) -> None:
    created = provider.create(inputs("prov-delete-500"))
    # Only the DELETE fails: the ownership check before it reads the database as usual.
    broken = FaultSettings(
        error_rate=1.0, error_status=500, error_methods=("DELETE",), path_contains=created.id
    )
    sandbox.set_faults(broken, ("upstash",))
    try:
        # Raising is what keeps the resource in the engine's state for the next destroy.
        with pytest.raises(ResourceError, match=r"DELETE .* 500"):
            provider.delete(created.id, outs(created))
    finally:
        sandbox.set_faults(FaultSettings(), ("upstash",))
    assert provider.read(created.id, outs(created)).id == created.id
    provider.delete(created.id, outs(created))
    assert provider.read(created.id, outs(created)).id == ""
