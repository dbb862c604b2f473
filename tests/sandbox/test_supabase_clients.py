"""Supabase endpoints the official clients call and the sandbox used to lack: legacy-key toggling,
one migration, PostgREST settings. Shapes are checked against the vendor spec."""

from __future__ import annotations

import httpx
import pytest

from tests.sandbox.spec import assert_matches_spec
from tests.sandbox.test_supabase_projects import (  # fixtures are used by name
    acme,
    create_project,
    globex,
    supabase,
)

__all__ = ["acme", "globex", "supabase"]


@pytest.fixture
def ref(acme: httpx.Client) -> str:
    return str(create_project(acme, name="clients")["ref"])


def test_legacy_api_keys_are_enabled_and_can_be_toggled(
    acme: httpx.Client, globex: httpx.Client, ref: str
) -> None:
    path = f"/v1/projects/{ref}/api-keys/legacy"
    first = acme.get(path)
    assert_matches_spec("supabase", first)
    assert first.json() == {"enabled": True}
    off = acme.put(path, params={"enabled": "false"})
    assert_matches_spec("supabase", off)
    assert off.json() == {"enabled": False}
    assert acme.get(path).json() == {"enabled": False}
    assert acme.put(path).status_code == 400
    assert globex.get(path).status_code == 404
    # The legacy route does not shadow real key ids.
    keys = acme.get(f"/v1/projects/{ref}/api-keys").json()
    assert acme.get(f"/v1/projects/{ref}/api-keys/{keys[0]['id']}").status_code == 200


def test_one_migration_is_read_and_patched_by_version(acme: httpx.Client, ref: str) -> None:
    path = f"/v1/projects/{ref}/database/migrations"
    body = {
        "query": "create table widgets (id int)",
        "name": "widgets",
        "rollback": "drop table widgets",
    }
    assert acme.post(path, json=body).status_code == 200
    version = acme.get(path).json()[0]["version"]
    one = acme.get(f"{path}/{version}")
    assert_matches_spec("supabase", one)
    assert one.json()["statements"] == ["create table widgets (id int)"]
    assert (one.json()["name"], one.json()["rollback"]) == ("widgets", ["drop table widgets"])
    patched = acme.patch(f"{path}/{version}", json={"name": "renamed", "rollback": "select 1"})
    assert patched.status_code == 200
    again = acme.get(f"{path}/{version}").json()
    assert (again["name"], again["rollback"]) == ("renamed", ["select 1"])
    assert acme.get(f"{path}/19990101000000").status_code == 404
    assert acme.patch(f"{path}/19990101000000", json={"name": "x"}).status_code == 404


def test_postgrest_settings_have_the_platform_defaults_and_can_be_patched(
    acme: httpx.Client, globex: httpx.Client, ref: str
) -> None:
    path = f"/v1/projects/{ref}/postgrest"
    first = acme.get(path)
    assert_matches_spec("supabase", first)
    assert first.json()["db_schema"] == "public,graphql_public"
    assert first.json()["max_rows"] == 1000
    assert first.json()["jwt_secret"]
    patched = acme.patch(path, json={"max_rows": 50, "db_schema": "public"})
    assert_matches_spec("supabase", patched)
    assert "jwt_secret" not in patched.json()
    assert (patched.json()["max_rows"], patched.json()["db_schema"]) == (50, "public")
    assert acme.get(path).json()["max_rows"] == 50
    assert acme.patch(path, json={"max_rows": "50"}).status_code == 400
    assert acme.patch(path, json={"db_pool": 5000}).status_code == 400
    assert globex.get(path).status_code == 404
