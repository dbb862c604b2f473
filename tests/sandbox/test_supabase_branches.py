"""Supabase preview branches: each a real database with its own role, ref, keys and lifecycle."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import psycopg
import pytest

from sandbox import Sandbox, SandboxConfig
from tests.sandbox.conftest import NO_DELAYS
from tests.sandbox.spec import assert_matches_spec
from tests.sandbox.test_supabase_projects import PASSWORD, client_for, create_project, pooler


@pytest.fixture(scope="module")
def supabase(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    config = SandboxConfig(
        state_dir=tmp_path_factory.mktemp("supabase-branches"),
        vendors=("supabase",),
        delays=NO_DELAYS,
        rate_limits=False,
    )
    with Sandbox(config) as running:
        yield running


@pytest.fixture
def acme(supabase: Sandbox) -> Iterator[httpx.Client]:
    with client_for(supabase) as client:
        yield client


@pytest.fixture
def globex(supabase: Sandbox) -> Iterator[httpx.Client]:
    with client_for(supabase, "globex-sandbox-org") as client:
        yield client


def checked(response: httpx.Response, status: int) -> Any:
    """The answer's JSON once its status is ``status`` and it matches the real spec."""
    assert response.status_code == status, response.text
    assert_matches_spec("supabase", response)
    return response.json() if response.content else None


def enable_branching(client: httpx.Client, ref: str) -> dict[str, Any]:
    body = {"branch_name": "main", "is_default": True}
    return dict(checked(client.post(f"/v1/projects/{ref}/branches", json=body), 201))


def create_branch(client: httpx.Client, ref: str, name: str, **extra: object) -> dict[str, Any]:
    body = {"branch_name": name, **extra}
    return dict(checked(client.post(f"/v1/projects/{ref}/branches", json=body), 201))


def branched_project(client: httpx.Client) -> str:
    ref = str(create_project(client)["ref"])
    enable_branching(client, ref)
    return ref


def detail(client: httpx.Client, branch_ref: str) -> dict[str, Any]:
    return dict(checked(client.get(f"/v1/branches/{branch_ref}"), 200))


def connect_branch(client: httpx.Client, branch_ref: str) -> psycopg.Connection:
    """Log in with what the branch endpoints hand out (the database name is the pooler's)."""
    info = detail(client, branch_ref)
    return psycopg.connect(
        host=info["db_host"],
        port=info["db_port"],
        user=info["db_user"],
        password=info["db_pass"],
        dbname=pooler(client, branch_ref)["db_name"],
        connect_timeout=5,
        autocommit=True,
    )


def query(client: httpx.Client, ref: str, sql: str) -> list[dict[str, Any]]:
    response = client.post(f"/v1/projects/{ref}/database/query", json={"query": sql})
    assert response.status_code == 201, response.text
    return list(response.json())


def databases(supabase: Sandbox) -> list[str]:
    return supabase.postgres.database_names()


def test_branching_is_enabled_by_the_default_branch(acme: httpx.Client) -> None:
    ref = create_project(acme)["ref"]
    assert checked(acme.get(f"/v1/projects/{ref}/branches"), 200) == []
    refused = acme.post(f"/v1/projects/{ref}/branches", json={"branch_name": "pr-1"})
    assert refused.status_code == 422
    assert refused.json() == {"message": "Preview branching is not enabled"}
    default = enable_branching(acme, ref)
    assert default["is_default"] is True
    assert default["project_ref"] == ref
    assert default["parent_project_ref"] == ref
    again = acme.post(f"/v1/projects/{ref}/branches", json={"branch_name": "x", "is_default": True})
    assert again.status_code == 409
    listed = checked(acme.get(f"/v1/projects/{ref}/branches"), 200)
    assert [branch["id"] for branch in listed] == [default["id"]]
    # The default branch is the project itself: its detail is the project's database.
    info = detail(acme, ref)
    assert info["ref"] == ref
    assert info["db_user"] == f"postgres.{ref}"
    assert "db_pass" not in info


def test_a_branch_is_a_real_database_with_its_own_role_and_password(
    acme: httpx.Client, supabase: Sandbox
) -> None:
    ref = branched_project(acme)
    branch = create_branch(acme, ref, "pr-1", git_branch="feature/login")
    assert branch["parent_project_ref"] == ref
    assert branch["is_default"] is False
    assert branch["persistent"] is False
    assert branch["with_data"] is False
    assert branch["git_branch"] == "feature/login"
    own = branch["project_ref"]
    assert own != ref
    assert len(own) == 20
    assert own.isalpha()
    assert own.islower()
    info = detail(acme, own)
    assert info["ref"] == own
    assert info["db_user"] == f"postgres.{own}"
    assert info["db_pass"] not in (PASSWORD, "")
    assert f"postgres_{own}" in databases(supabase)
    with connect_branch(acme, own) as conn:
        conn.execute("CREATE TABLE pr_only (id int)")
        assert conn.execute("SELECT current_user").fetchone() == (f"postgres.{own}",)
    # Not on the parent, and the parent's password does not open the branch.
    assert query(acme, ref, "SELECT to_regclass('public.pr_only') IS NULL AS absent") == [
        {"absent": True}
    ]
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(
            host=info["db_host"],
            port=info["db_port"],
            user=info["db_user"],
            password=PASSWORD,
            dbname=f"postgres_{own}",
            connect_timeout=5,
        )
    # Found by name under its parent and by its id.
    by_name = checked(acme.get(f"/v1/projects/{ref}/branches/pr-1"), 200)
    assert by_name["id"] == branch["id"]
    assert detail(acme, branch["id"])["ref"] == own
    assert acme.get(f"/v1/projects/{ref}/branches/nope").status_code == 404


def test_with_data_copies_the_parent_and_without_it_the_branch_is_empty(
    acme: httpx.Client,
) -> None:
    ref = branched_project(acme)
    query(acme, ref, "CREATE TABLE orders (id int PRIMARY KEY, item text)")
    query(acme, ref, "INSERT INTO orders VALUES (1, 'tea'), (2, 'cake')")
    copy = create_branch(acme, ref, "with-data", with_data=True)
    assert copy["with_data"] is True
    empty = create_branch(acme, ref, "empty", with_data=False)
    with connect_branch(acme, copy["project_ref"]) as conn:
        rows = conn.execute("SELECT id, item FROM orders ORDER BY id").fetchall()
        assert rows == [(1, "tea"), (2, "cake")]
        # The copy belongs to the branch's role: it can write and alter it.
        conn.execute("INSERT INTO orders VALUES (3, 'jam')")
        conn.execute("ALTER TABLE orders ADD COLUMN note text")
    assert len(query(acme, ref, "SELECT * FROM orders")) == 2  # the parent is untouched
    with connect_branch(acme, empty["project_ref"]) as conn:
        found = conn.execute("SELECT to_regclass('public.orders')").fetchone()
        assert found == (None,)


def test_deleting_a_branch_drops_its_database_and_role(
    acme: httpx.Client, supabase: Sandbox
) -> None:
    ref = branched_project(acme)
    branch = create_branch(acme, ref, "pr-2")
    own = branch["project_ref"]
    info = detail(acme, own)
    assert checked(acme.delete(f"/v1/branches/{branch['id']}"), 200) == {"message": "ok"}
    assert f"postgres_{own}" not in databases(supabase)
    roles = supabase.postgres.query(
        "postgres", "SELECT 1 FROM pg_roles WHERE rolname = %s", [info["db_user"]]
    )
    assert roles == []
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(
            host=info["db_host"],
            port=info["db_port"],
            user=info["db_user"],
            password=info["db_pass"],
            dbname=f"postgres_{own}",
            connect_timeout=5,
        )
    assert acme.get(f"/v1/branches/{own}").status_code == 404
    assert acme.get(f"/v1/projects/{own}").status_code == 404
    assert [b["name"] for b in acme.get(f"/v1/projects/{ref}/branches").json()] == ["main"]
    assert acme.delete(f"/v1/branches/{branch['id']}").status_code == 404
    assert acme.get(f"/v1/projects/{ref}").status_code == 200  # the parent stays


def test_a_branch_ref_works_with_the_project_endpoints(acme: httpx.Client) -> None:
    ref = branched_project(acme)
    own = create_branch(acme, ref, "pr-3")["project_ref"]
    info = detail(acme, own)
    keys = checked(acme.get(f"/v1/projects/{own}/api-keys", params={"reveal": True}), 200)
    anon = next(key for key in keys if key["name"] == "anon")["api_key"]
    claims = jwt.decode(anon, info["jwt_secret"], algorithms=["HS256"])
    assert claims["ref"] == own
    assert claims["role"] == "anon"
    parent_keys = acme.get(f"/v1/projects/{ref}/api-keys", params={"reveal": True}).json()
    assert anon not in [key["api_key"] for key in parent_keys]
    # Ownership markers (issue 12) are secrets named PAAS_STACKS_OWNER_<TAG> on the branch ref.
    marker = [{"name": "PAAS_STACKS_OWNER_ABC123", "value": "stack-a"}]
    assert acme.post(f"/v1/projects/{own}/secrets", json=marker).status_code == 201
    names = [s["name"] for s in checked(acme.get(f"/v1/projects/{own}/secrets"), 200)]
    assert names == ["PAAS_STACKS_OWNER_ABC123"]
    assert acme.get(f"/v1/projects/{ref}/secrets").json() == []
    migration = {"query": "CREATE TABLE signups (id int)", "name": "signups"}
    assert acme.post(f"/v1/projects/{own}/database/migrations", json=migration).status_code == 200
    listed = checked(acme.get(f"/v1/projects/{own}/database/migrations"), 200)
    assert [m["name"] for m in listed] == ["signups"]
    assert checked(acme.get(f"/v1/projects/{ref}/database/migrations"), 200) == []
    project = checked(acme.get(f"/v1/projects/{own}"), 200)
    assert project["status"] == "ACTIVE_HEALTHY"
    # A branch is not one more project of the organization.
    assert own not in [p["ref"] for p in acme.get("/v1/projects").json()]


def test_another_organization_cannot_see_or_delete_a_branch(
    acme: httpx.Client, globex: httpx.Client, supabase: Sandbox
) -> None:
    ref = branched_project(acme)
    branch = create_branch(acme, ref, "private")
    own = branch["project_ref"]
    for path in (f"/v1/branches/{own}", f"/v1/branches/{branch['id']}", f"/v1/projects/{own}"):
        assert globex.get(path).status_code == 404
    assert globex.get(f"/v1/projects/{ref}/branches").status_code == 404
    assert globex.delete(f"/v1/branches/{own}").status_code == 404
    assert globex.patch(f"/v1/branches/{own}", json={"persistent": True}).status_code == 404
    assert globex.post(f"/v1/branches/{own}/reset", json={}).status_code == 404
    assert f"postgres_{own}" in databases(supabase)
    assert detail(acme, own)["ref"] == own
