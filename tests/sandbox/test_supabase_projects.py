"""Supabase projects and organizations against a dedicated, Supabase-only sandbox."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from sandbox import Sandbox, SandboxConfig
from sandbox.core.context import Delays
from tests.sandbox.conftest import NO_DELAYS, SandboxFactory
from tests.sandbox.spec import assert_matches_spec

PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="module")
def supabase(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    config = SandboxConfig(
        state_dir=tmp_path_factory.mktemp("supabase"),
        vendors=("supabase",),
        delays=NO_DELAYS,
        rate_limits=False,
    )
    with Sandbox(config) as running:
        yield running


def client_for(sandbox: Sandbox, org: str = "acme-sandbox-org") -> httpx.Client:
    token = next(t for t, o in sandbox.tokens("supabase").items() if o == org)
    return httpx.Client(
        base_url=sandbox.base_url("supabase"),
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )


@pytest.fixture
def acme(supabase: Sandbox) -> Iterator[httpx.Client]:
    with client_for(supabase) as client:
        yield client


@pytest.fixture
def globex(supabase: Sandbox) -> Iterator[httpx.Client]:
    with client_for(supabase, "globex-sandbox-org") as client:
        yield client


def create_project(client: httpx.Client, name: str = "shop", **extra: object) -> dict[str, Any]:
    org = client.get("/v1/organizations").json()[0]["slug"]
    body = {"name": name, "organization_slug": org, "db_pass": PASSWORD, **extra}
    response = client.post("/v1/projects", json=body)
    assert response.status_code == 201, response.text
    assert_matches_spec("supabase", response)
    return dict(response.json())


def pooler(client: httpx.Client, ref: str) -> dict[str, Any]:
    response = client.get(f"/v1/projects/{ref}/config/database/pooler")
    assert response.status_code == 200
    return dict(response.json()[0])


def connect(client: httpx.Client, ref: str, password: str = PASSWORD) -> psycopg.Connection:
    entry = pooler(client, ref)
    return psycopg.connect(
        host=entry["db_host"],
        port=entry["db_port"],
        user=entry["db_user"],
        dbname=entry["db_name"],
        password=password,
        connect_timeout=5,
    )


def test_organizations_lists_only_the_tokens_own_organization(
    acme: httpx.Client, globex: httpx.Client
) -> None:
    response = acme.get("/v1/organizations")
    assert_matches_spec("supabase", response)
    assert [org["slug"] for org in response.json()] == ["acme-sandbox-org"]
    assert [org["slug"] for org in globex.get("/v1/organizations").json()] == ["globex-sandbox-org"]


def test_a_created_project_has_a_twenty_letter_ref_and_is_listed_and_readable(
    acme: httpx.Client,
) -> None:
    project = create_project(acme, region_selection={"type": "smartGroup", "code": "emea"})
    ref = project["ref"]
    assert len(ref) == 20
    assert ref.isalpha()
    assert ref.islower()
    assert project["status"] in ("COMING_UP", "ACTIVE_HEALTHY")
    assert project["region"] == "eu-central-1"
    assert project["created_at"].endswith("Z")
    listed = acme.get("/v1/projects")
    assert_matches_spec("supabase", listed)
    assert ref in [p["ref"] for p in listed.json()]
    got = acme.get(f"/v1/projects/{ref}")
    assert_matches_spec("supabase", got)
    assert got.json()["status"] == "ACTIVE_HEALTHY"
    assert set(got.json()["database"]) == {"host", "version", "postgres_engine", "release_channel"}


def test_renaming_a_project_answers_its_ref_and_new_name(acme: httpx.Client) -> None:
    ref = create_project(acme)["ref"]
    response = acme.patch(f"/v1/projects/{ref}", json={"name": "renamed"})
    assert_matches_spec("supabase", response)
    assert response.json()["name"] == "renamed"
    assert acme.get(f"/v1/projects/{ref}").json()["name"] == "renamed"


def test_the_project_database_really_connects_with_db_pass_and_is_dropped_on_delete(
    acme: httpx.Client,
) -> None:
    ref = create_project(acme, region="us-west-1")["ref"]
    entry = pooler(acme, ref)
    with connect(acme, ref) as conn:
        assert conn.execute("select current_user").fetchone() == (f"postgres.{ref}",)
    response = acme.delete(f"/v1/projects/{ref}")
    assert_matches_spec("supabase", response)
    assert response.json()["ref"] == ref
    assert acme.get(f"/v1/projects/{ref}").status_code == 404
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(
            host=entry["db_host"],
            port=entry["db_port"],
            user=entry["db_user"],
            dbname=entry["db_name"],
            password=PASSWORD,
            connect_timeout=5,
        ).close()


def test_health_reports_each_requested_service(acme: httpx.Client) -> None:
    ref = create_project(acme)["ref"]
    response = acme.get(f"/v1/projects/{ref}/health", params={"services": ["db", "auth"]})
    assert_matches_spec("supabase", response)
    assert [(s["name"], s["status"]) for s in response.json()] == [
        ("db", "ACTIVE_HEALTHY"),
        ("auth", "ACTIVE_HEALTHY"),
    ]
    commas = acme.get(f"/v1/projects/{ref}/health?services=rest,storage")
    assert [s["name"] for s in commas.json()] == ["rest", "storage"]
    assert acme.get(f"/v1/projects/{ref}/health?services=nope").status_code == 400
    assert acme.get(f"/v1/projects/{ref}/health").status_code == 400


def test_missing_or_wrong_token_is_401_in_the_supabase_error_shape(supabase: Sandbox) -> None:
    base = supabase.base_url("supabase")
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic x"}):
        response = httpx.get(f"{base}/v1/projects", headers=headers)
        assert response.status_code == 401
        assert response.json() == {"message": "Unauthorized"}
        assert_matches_spec("supabase", response)


def test_another_organizations_project_is_404_everywhere(
    acme: httpx.Client, globex: httpx.Client
) -> None:
    ref = create_project(acme)["ref"]
    assert ref not in [p["ref"] for p in globex.get("/v1/projects").json()]
    for method, path in (
        ("GET", ""),
        ("PATCH", ""),
        ("DELETE", ""),
        ("GET", "/api-keys"),
        ("GET", "/config/database/pooler"),
        ("GET", "/secrets"),
    ):
        response = globex.request(method, f"/v1/projects/{ref}{path}", json={"name": "x"})
        assert response.status_code == 404, (method, path)
        assert response.json() == {"message": "Project not found"}
    assert acme.get(f"/v1/projects/{ref}").status_code == 200


def test_creating_in_another_organization_is_404_and_creates_nothing(
    acme: httpx.Client, supabase: Sandbox
) -> None:
    before = supabase.objects()
    body = {"name": "x", "organization_slug": "globex-sandbox-org", "db_pass": PASSWORD}
    assert acme.post("/v1/projects", json=body).status_code == 404
    assert supabase.objects() == before


def test_unknown_ids_and_routes_are_404_with_a_message(acme: httpx.Client) -> None:
    assert acme.get("/v1/projects/abcdefghijklmnopqrst").json() == {"message": "Project not found"}
    response = acme.get("/v1/no-such-thing")
    assert response.status_code == 404
    assert "message" in response.json()
    assert acme.put("/v1/projects").status_code == 405


@pytest.mark.parametrize(
    "body",
    [
        {"organization_slug": "acme-sandbox-org", "db_pass": "x"},  # name missing
        {"name": 5, "organization_slug": "acme-sandbox-org", "db_pass": "x"},  # wrong type
        {"name": "a", "organization_slug": "acme-sandbox-org", "db_pass": "x", "region": "mars"},
        {
            "name": "a",
            "organization_slug": "acme-sandbox-org",
            "db_pass": "x",
            "desired_instance_size": "huge",
        },
        {
            "name": "a",
            "organization_slug": "acme-sandbox-org",
            "db_pass": "x",
            "region": "us-east-1",
            "region_selection": {"type": "specific", "code": "us-east-1"},
        },
        {"name": "a", "organization_slug": "acme-sandbox-org", "db_pass": "x", "extra": 1},
    ],
)
def test_invalid_project_bodies_are_400_and_create_nothing(
    acme: httpx.Client, supabase: Sandbox, body: Any
) -> None:
    before = supabase.objects()
    response = acme.post("/v1/projects", json=body)
    assert response.status_code == 400, response.text
    assert isinstance(response.json()["message"], str)
    assert supabase.objects() == before


def test_bad_json_is_400(acme: httpx.Client, supabase: Sandbox) -> None:
    before = supabase.objects()
    response = acme.post(
        "/v1/projects", content=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert supabase.objects() == before


def test_a_project_is_coming_up_until_the_delay_passed(make_sandbox: type[SandboxFactory]) -> None:
    running = make_sandbox.start(vendors=("supabase",), delays=Delays(project=1.5))
    with client_for(running) as client:
        ref = create_project(client)["ref"]
        assert client.get(f"/v1/projects/{ref}").json()["status"] == "COMING_UP"
        health = client.get(f"/v1/projects/{ref}/health", params={"services": "db"})
        assert_matches_spec("supabase", health)
        assert health.json()[0] == {"name": "db", "healthy": False, "status": "COMING_UP"}
        time.sleep(1.6)
        assert client.get(f"/v1/projects/{ref}").json()["status"] == "ACTIVE_HEALTHY"


def test_projects_and_their_databases_survive_a_restart(
    make_sandbox: type[SandboxFactory], tmp_path: Path
) -> None:
    state = tmp_path / "persist"
    first = make_sandbox.start(vendors=("supabase",), state_dir=state)
    with client_for(first) as client:
        ref = create_project(client, name="kept")["ref"]
        keys = client.get(f"/v1/projects/{ref}/api-keys", params={"reveal": True}).json()
    first.stop()
    second = make_sandbox.start(vendors=("supabase",), state_dir=state)
    with client_for(second) as client:
        assert client.get(f"/v1/projects/{ref}").json()["name"] == "kept"
        assert client.get(f"/v1/projects/{ref}/api-keys", params={"reveal": True}).json() == keys
        with connect(client, ref) as conn:
            assert conn.execute("select 1").fetchone() == (1,)
