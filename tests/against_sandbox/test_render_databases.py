"""The Render Postgres and Key Value providers against the sandbox: real databases answer."""

from __future__ import annotations

import re

import psycopg
import pytest
import redis

from paas_stacks.providers.render.keyvalue import KeyValueProvider
from paas_stacks.providers.render.postgres import PostgresProvider
from sandbox import Sandbox
from tests.against_sandbox.test_render_support import connected, http, outs, unique


@pytest.fixture
def postgres(sandbox: Sandbox) -> PostgresProvider:
    return connected(sandbox, PostgresProvider())


@pytest.fixture
def key_value(sandbox: Sandbox) -> KeyValueProvider:
    return connected(sandbox, KeyValueProvider())


def test_postgres_is_created_connectable_updated_and_deleted(postgres: PostgresProvider) -> None:
    name = unique("dbc")
    db = f"db_{name[-8:]}"
    props = {"name": name, "version": "16", "database_name": db, "database_user": f"{db}_u"}
    created = postgres.create(props)
    out = outs(created)
    assert (out["database_name"], out["plan"], out["region"]) == (db, "basic_256mb", "oregon")
    # The real database name carries Render's random suffix; it is what the strings point at.
    assert re.fullmatch(db + "_[a-z0-9]{4}", out["actual_database_name"])
    assert out["external_connection_string"].endswith("/" + out["actual_database_name"])
    assert out["password"] in out["external_connection_string"]
    with psycopg.connect(out["external_connection_string"]) as conn:
        assert conn.execute("select 1").fetchone() == (1,)
    assert postgres.diff(created.id, out, props).changes is False
    assert outs(postgres.read(created.id, out)) == out

    bigger = {**props, "plan": "basic_1gb", "disk_size_gb": 20}
    assert not postgres.diff(created.id, out, bigger).replaces
    updated = outs(postgres.update(created.id, out, bigger))
    assert (updated["plan"], updated["disk_size_gb"]) == ("basic_1gb", 20)
    for key, value in (("version", "17"), ("region", "ohio"), ("database_user", "other")):
        assert postgres.diff(created.id, updated, {**bigger, key: value}).replaces == [key]

    postgres.delete(created.id, updated)
    assert postgres.read(created.id, updated).id == ""


def test_postgres_with_the_same_name_is_adopted(postgres: PostgresProvider) -> None:
    props = {"name": unique("dba")}
    first = postgres.create(props)
    again = postgres.create({**props, "plan": "basic_1gb"})
    assert again.id == first.id
    assert outs(again)["plan"] == "basic_1gb"
    postgres.delete(first.id, outs(again))


def test_key_value_answers_ping_and_reads_back_a_policy_changed_by_hand(
    key_value: KeyValueProvider, sandbox: Sandbox
) -> None:
    props = {"name": unique("kv-crud"), "maxmemory_policy": "noeviction"}
    created = key_value.create(props)
    out = outs(created)
    client = redis.Redis.from_url(out["external_connection_string"])
    assert client.ping() is True
    client.close()
    with http(sandbox) as dashboard:
        dashboard.patch(f"/key-value/{created.id}", json={"maxmemoryPolicy": "allkeys_lru"})
    drifted = outs(key_value.read(created.id, out))
    assert drifted["maxmemory_policy"] == "allkeys_lru"
    assert key_value.diff(created.id, drifted, props).changes is True
    assert key_value.diff(created.id, drifted, {**props, "region": "ohio"}).replaces == ["region"]
    restored = outs(key_value.update(created.id, drifted, props))
    assert restored["maxmemory_policy"] == "noeviction"
    again = key_value.create(props)
    assert again.id == created.id
    key_value.delete(created.id, restored)
    assert key_value.read(created.id, restored).id == ""
