"""Supabase settings endpoints (auth, postgres, secrets, network) and the rate limits."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
import pytest

from tests.sandbox.conftest import ManualClock, SandboxFactory
from tests.sandbox.spec import assert_matches_spec
from tests.sandbox.test_supabase_projects import (  # fixtures are used by name
    acme,
    client_for,
    connect,
    create_project,
    globex,
    supabase,
)

__all__ = ["acme", "globex", "supabase"]


@pytest.fixture
def ref(acme: httpx.Client) -> str:
    return str(create_project(acme, name="cfg")["ref"])


def test_auth_config_starts_from_realistic_defaults(acme: httpx.Client, ref: str) -> None:
    response = acme.get(f"/v1/projects/{ref}/config/auth")
    assert_matches_spec("supabase", response)
    config = response.json()
    assert config["jwt_exp"] == 3600
    assert config["site_url"] == "http://localhost:3000"
    assert config["disable_signup"] is False
    assert config["external_email_enabled"] is True
    assert config["password_min_length"] == 6
    assert config["mailer_autoconfirm"] is False


def test_auth_config_patch_merges_known_fields(acme: httpx.Client, ref: str) -> None:
    response = acme.patch(
        f"/v1/projects/{ref}/config/auth",
        json={"site_url": "https://shop.example", "jwt_exp": 7200, "disable_signup": True},
    )
    assert_matches_spec("supabase", response)
    config = acme.get(f"/v1/projects/{ref}/config/auth").json()
    assert (config["site_url"], config["jwt_exp"], config["disable_signup"]) == (
        "https://shop.example",
        7200,
        True,
    )
    assert config["external_email_enabled"] is True


@pytest.mark.parametrize(
    "body", [{"no_such_field": 1}, {"jwt_exp": "soon"}, {"sms_provider": "pigeon"}, [1]]
)
def test_auth_config_patch_refuses_unknown_fields_and_wrong_types(
    acme: httpx.Client, ref: str, body: Any
) -> None:
    response = acme.patch(f"/v1/projects/{ref}/config/auth", json=body)
    assert response.status_code == 400
    assert "message" in response.json()
    assert acme.get(f"/v1/projects/{ref}/config/auth").json()["jwt_exp"] == 3600


def test_postgres_config_put_stores_overrides_and_applies_them_for_real(
    acme: httpx.Client, ref: str
) -> None:
    path = f"/v1/projects/{ref}/config/database/postgres"
    empty = acme.get(path)
    assert_matches_spec("supabase", empty)
    assert empty.json() == {}
    put = acme.put(path, json={"statement_timeout": "12s", "max_connections": 120})
    assert_matches_spec("supabase", put)
    assert acme.get(path).json() == {"statement_timeout": "12s", "max_connections": 120}
    with connect(acme, ref) as conn:
        assert conn.execute("show statement_timeout").fetchone() == ("12s",)
    for bad in (
        {"max_connections": 0},
        {"statement_timeout": "soon"},
        {"unknown": 1},
        {"work_mem": "lots"},
    ):
        assert acme.put(path, json=bad).status_code == 400, bad
    assert acme.get(path).json() == {"statement_timeout": "12s", "max_connections": 120}


def test_secrets_are_listed_as_sha256_digests_and_deleted_by_name(
    acme: httpx.Client, ref: str
) -> None:
    path = f"/v1/projects/{ref}/secrets"
    created = acme.post(
        path, json=[{"name": "STRIPE_KEY", "value": "v1"}, {"name": "OTHER", "value": "v2"}]
    )
    assert created.status_code == 201
    assert_matches_spec("supabase", created)
    listed = acme.get(path)
    assert_matches_spec("supabase", listed)
    values = {s["name"]: s["value"] for s in listed.json()}
    assert values == {
        "STRIPE_KEY": hashlib.sha256(b"v1").hexdigest(),
        "OTHER": hashlib.sha256(b"v2").hexdigest(),
    }
    deleted = acme.request("DELETE", path, json=["OTHER", "NEVER_SET"])
    assert deleted.status_code == 200
    assert_matches_spec("supabase", deleted)
    assert [s["name"] for s in acme.get(path).json()] == ["STRIPE_KEY"]


def test_secret_names_starting_with_supabase_are_400_and_nothing_is_stored(
    acme: httpx.Client, ref: str
) -> None:
    path = f"/v1/projects/{ref}/secrets"
    body = [{"name": "FINE", "value": "1"}, {"name": "SUPABASE_URL", "value": "2"}]
    assert acme.post(path, json=body).status_code == 400
    assert acme.post(path, json=[{"name": "NO_VALUE"}]).status_code == 400
    assert acme.get(path).json() == []


def test_network_restrictions_apply_replaces_and_patch_adds_and_removes(
    acme: httpx.Client, ref: str
) -> None:
    path = f"/v1/projects/{ref}/network-restrictions"
    start = acme.get(path)
    assert_matches_spec("supabase", start)
    assert start.json()["config"] == {"dbAllowedCidrs": ["0.0.0.0/0"], "dbAllowedCidrsV6": ["::/0"]}
    applied = acme.post(f"{path}/apply", json={"dbAllowedCidrs": ["10.0.0.0/8"]})
    assert applied.status_code == 201
    assert_matches_spec("supabase", applied)
    assert applied.json()["status"] == "applied"
    assert applied.json()["config"] == {"dbAllowedCidrs": ["10.0.0.0/8"], "dbAllowedCidrsV6": []}
    patched = acme.patch(
        path,
        json={
            "add": {"dbAllowedCidrsV6": ["2001:db8::/32"]},
            "remove": {"dbAllowedCidrs": ["10.0.0.0/8"]},
        },
    )
    assert_matches_spec("supabase", patched)
    assert patched.json()["config"]["dbAllowedCidrs"] == [
        {"address": "2001:db8::/32", "type": "v6"}
    ]
    assert acme.post(f"{path}/apply", json={"dbAllowedCidrs": ["nope"]}).status_code == 400
    assert acme.post(f"{path}/apply", json={"dbAllowedCidrs": ["::/0"]}).status_code == 400


def test_settings_of_another_organizations_project_are_404(globex: httpx.Client, ref: str) -> None:
    for method, path in (
        ("GET", "config/auth"),
        ("GET", "config/database/postgres"),
        ("GET", "network-restrictions"),
        ("GET", "secrets"),
    ):
        assert globex.request(method, f"/v1/projects/{ref}/{path}").status_code == 404


def test_rate_limit_is_120_per_minute_per_endpoint_with_headers(
    make_sandbox: type[SandboxFactory],
) -> None:
    # The windows follow the sandbox's clock: starting exactly at a window's start, the whole
    # burst falls in one window wherever in the real minute the test runs.
    clock = ManualClock(60.0 * 10_000)
    running = make_sandbox.start(vendors=("supabase",), rate_limits=True, clock=clock)
    with client_for(running) as client:
        first = client.get("/v1/organizations")
        assert first.headers["X-RateLimit-Limit"] == "120"
        assert first.headers["X-RateLimit-Remaining"] == "119"
        assert first.headers["X-RateLimit-Reset"] == "60"
        for _ in range(119):
            assert client.get("/v1/organizations").status_code == 200
        limited = client.get("/v1/organizations")
        assert limited.status_code == 429
        assert limited.json() == {"message": "Too many requests"}
        assert limited.headers["X-RateLimit-Remaining"] == "0"
        assert_matches_spec("supabase", limited)
        assert client.get("/v1/organizations").status_code == 429  # stays refused
        assert client.get("/v1/projects").status_code == 200  # another endpoint has budget
        clock.advance(59.5)
        late = client.get("/v1/organizations")
        assert (late.status_code, late.headers["X-RateLimit-Reset"]) == (429, "1")
        clock.advance(0.5)  # the next window: a fresh budget
        fresh = client.get("/v1/organizations")
        assert (fresh.status_code, fresh.headers["X-RateLimit-Remaining"]) == (200, "119")
    with client_for(running, "globex-sandbox-org") as other:
        assert other.get("/v1/organizations").status_code == 200  # another token has budget
