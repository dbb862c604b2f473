"""Supabase database endpoints: SQL, migrations, password, pooler and API keys, all real."""

from __future__ import annotations

import httpx
import jwt
import psycopg
import pytest

from sandbox import Sandbox
from tests.sandbox.spec import assert_matches_spec
from tests.sandbox.test_supabase_projects import (  # fixtures are used by name
    PASSWORD,
    acme,
    connect,
    create_project,
    globex,
    pooler,
    supabase,
)

__all__ = ["acme", "globex", "supabase"]


@pytest.fixture
def ref(acme: httpx.Client) -> str:
    return str(create_project(acme, name="db")["ref"])


def test_pooler_config_points_at_the_real_database(
    acme: httpx.Client, ref: str, supabase: Sandbox
) -> None:
    response = acme.get(f"/v1/projects/{ref}/config/database/pooler")
    assert_matches_spec("supabase", response)
    entry = response.json()[0]
    assert entry["db_host"] == "127.0.0.1"
    assert entry["db_user"] == f"postgres.{ref}"
    assert entry["connection_string"] == (
        f"postgresql://postgres.{ref}:[YOUR-PASSWORD]@127.0.0.1:{entry['db_port']}/"
        f"{entry['db_name']}"
    )
    url = entry["connection_string"].replace("[YOUR-PASSWORD]", PASSWORD)
    with psycopg.connect(url, connect_timeout=5) as conn:
        assert conn.execute("select current_database()").fetchone() == (entry["db_name"],)


def test_pooler_patch_changes_pool_size_and_mode(acme: httpx.Client, ref: str) -> None:
    response = acme.patch(
        f"/v1/projects/{ref}/config/database/pooler",
        json={"default_pool_size": 42, "pool_mode": "session"},
    )
    assert_matches_spec("supabase", response)
    assert response.json() == {"default_pool_size": 42, "pool_mode": "session"}
    assert pooler(acme, ref)["pool_mode"] == "session"
    bad = acme.patch(f"/v1/projects/{ref}/config/database/pooler", json={"pool_mode": "x"})
    assert bad.status_code == 400


def test_password_change_really_changes_the_role_password(acme: httpx.Client, ref: str) -> None:
    response = acme.patch(f"/v1/projects/{ref}/database/password", json={"password": "n3w-pass"})
    assert_matches_spec("supabase", response)
    with connect(acme, ref, "n3w-pass") as conn:
        assert conn.execute("select 1").fetchone() == (1,)
    with pytest.raises(psycopg.OperationalError):
        connect(acme, ref).close()
    too_short = acme.patch(f"/v1/projects/{ref}/database/password", json={"password": "x"})
    assert too_short.status_code == 400


def test_query_runs_for_real_and_returns_rows(acme: httpx.Client, ref: str) -> None:
    made = acme.post(
        f"/v1/projects/{ref}/database/query",
        json={"query": "create table notes (id int primary key, body text)"},
    )
    assert made.status_code == 201
    assert made.json() == []
    assert_matches_spec("supabase", made)
    insert = "insert into notes values ($1, $2), ($3, '50%') returning id"
    rows = acme.post(
        f"/v1/projects/{ref}/database/query", json={"query": insert, "parameters": [1, "a", 2]}
    )
    assert rows.json() == [{"id": 1}, {"id": 2}]
    with connect(acme, ref) as conn:  # the role clients use owns what the API created
        assert conn.execute("select body from notes order by id").fetchall() == [("a",), ("50%",)]


def test_query_errors_and_read_only_writes_are_400(acme: httpx.Client, ref: str) -> None:
    missing = acme.post(f"/v1/projects/{ref}/database/query", json={"query": "select * from nope"})
    assert missing.status_code == 400
    assert 'relation "nope" does not exist' in missing.json()["message"]
    read_only = acme.post(
        f"/v1/projects/{ref}/database/query",
        json={"query": "create table t (a int)", "read_only": True},
    )
    assert read_only.status_code == 400
    via_route = acme.post(
        f"/v1/projects/{ref}/database/query/read-only", json={"query": "create table t (a int)"}
    )
    assert via_route.status_code == 400
    assert acme.post(f"/v1/projects/{ref}/database/query", json={"query": ""}).status_code == 400


def test_migrations_apply_in_one_transaction_and_are_recorded_like_the_platform(
    acme: httpx.Client, ref: str
) -> None:
    path = f"/v1/projects/{ref}/database/migrations"
    empty = acme.get(path)
    assert_matches_spec("supabase", empty)
    assert empty.json() == []
    applied = acme.post(
        path,
        json={
            "query": "create table widgets (id int)",
            "name": "widgets",
            "rollback": "drop table widgets",
        },
    )
    assert applied.status_code == 200
    assert_matches_spec("supabase", applied)
    failing = acme.post(path, json={"query": "create table half (id int); select * from nope"})
    assert failing.status_code == 400
    listed = acme.get(path)
    assert_matches_spec("supabase", listed)
    assert [m["name"] for m in listed.json()] == ["widgets"]
    assert len(listed.json()[0]["version"]) == 14
    rows = acme.post(
        f"/v1/projects/{ref}/database/query",
        json={
            "query": "select to_regclass('half') is null as gone,"
            " (select count(*) from supabase_migrations.schema_migrations) as n"
        },
    ).json()
    assert rows == [{"gone": True, "n": 1}]


def test_migrations_upsert_and_rollback(acme: httpx.Client, ref: str) -> None:
    path = f"/v1/projects/{ref}/database/migrations"
    acme.post(
        path, json={"query": "create table a1 (id int)", "name": "a1", "rollback": "drop table a1"}
    )
    upsert = acme.put(path, json={"query": "create table never (id int)", "name": "recorded"})
    assert_matches_spec("supabase", upsert)
    assert [m["name"] for m in acme.get(path).json()] == ["a1", "recorded"]
    first = acme.get(path).json()[0]["version"]
    rolled = acme.delete(path, params={"gte": first})
    assert_matches_spec("supabase", rolled)
    assert acme.get(path).json() == []
    gone = acme.post(
        f"/v1/projects/{ref}/database/query",
        json={"query": "select to_regclass('a1') is null as gone"},
    )
    assert gone.json() == [{"gone": True}]


def test_idempotency_key_applies_a_migration_once(acme: httpx.Client, ref: str) -> None:
    path = f"/v1/projects/{ref}/database/migrations"
    body = {"query": "create table once (id int)", "name": "once"}
    for _ in range(2):
        response = acme.post(path, json=body, headers={"Idempotency-Key": "k1"})
        assert response.status_code == 200
    assert [m["name"] for m in acme.get(path).json()] == ["once"]


def test_legacy_keys_are_jwts_signed_with_the_project_secret(acme: httpx.Client, ref: str) -> None:
    response = acme.get(f"/v1/projects/{ref}/api-keys")
    assert_matches_spec("supabase", response)
    keys = {key["name"] if key["type"] == "legacy" else key["type"]: key for key in response.json()}
    assert {"anon", "service_role", "publishable", "secret"} <= set(keys)
    for role in ("anon", "service_role"):
        claims = jwt.decode(keys[role]["api_key"], options={"verify_signature": False})
        assert claims["iss"] == "supabase"
        assert claims["ref"] == ref
        assert claims["role"] == role
        assert claims["exp"] > claims["iat"]
        assert jwt.get_unverified_header(keys[role]["api_key"])["alg"] == "HS256"
    assert keys["publishable"]["api_key"].startswith("sb_publishable_")
    assert "•" in keys["secret"]["api_key"]
    revealed = acme.get(f"/v1/projects/{ref}/api-keys", params={"reveal": "true"}).json()
    secret = next(key for key in revealed if key["type"] == "secret")
    assert secret["api_key"].startswith("sb_secret_")
    assert "•" not in secret["api_key"]


def test_api_key_create_read_update_delete(acme: httpx.Client, ref: str) -> None:
    base = f"/v1/projects/{ref}/api-keys"
    made = acme.post(base, json={"type": "secret", "name": "ci_key"}, params={"reveal": True})
    assert made.status_code == 201
    assert_matches_spec("supabase", made)
    key_id = made.json()["id"]
    got = acme.get(f"{base}/{key_id}")
    assert_matches_spec("supabase", got)
    assert got.json()["name"] == "ci_key"
    patched = acme.patch(f"{base}/{key_id}", json={"description": "rotated"})
    assert_matches_spec("supabase", patched)
    assert patched.json()["description"] == "rotated"
    assert acme.post(base, json={"type": "secret", "name": "ci_key"}).status_code == 409
    deleted = acme.delete(f"{base}/{key_id}", params={"was_compromised": False})
    assert_matches_spec("supabase", deleted)
    assert acme.get(f"{base}/{key_id}").status_code == 404


def test_invalid_api_key_bodies_are_400_and_create_nothing(acme: httpx.Client, ref: str) -> None:
    base = f"/v1/projects/{ref}/api-keys"
    count = len(acme.get(base).json())
    for body in (
        {"type": "legacy", "name": "abcd"},
        {"type": "secret", "name": "Bad-Name"},
        {"type": "secret"},
        {"type": "secret", "name": "abc"},
    ):
        assert acme.post(base, json=body).status_code == 400, body
    assert len(acme.get(base).json()) == count


def test_another_organization_cannot_reach_database_endpoints(
    globex: httpx.Client, ref: str
) -> None:
    for method, path, body in (
        ("POST", "database/query", {"query": "select 1"}),
        ("GET", "database/migrations", None),
        ("PATCH", "database/password", {"password": "abcdef"}),
    ):
        response = globex.request(method, f"/v1/projects/{ref}/{path}", json=body)
        assert response.status_code == 404, path
