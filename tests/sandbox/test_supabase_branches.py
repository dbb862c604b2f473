"""Supabase preview branches: each a real database with its own role, ref, keys and lifecycle."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import jwt
import psycopg
import pytest

from sandbox import Sandbox, SandboxConfig
from sandbox.core.context import Delays
from sandbox.supabase import branches
from tests.sandbox.conftest import NO_DELAYS, SandboxFactory
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


def set_plan(supabase: Sandbox, org: str, plan: str) -> None:
    url = f"{supabase.origin('supabase')}/_sandbox/organizations/{org}/plan"
    response = httpx.put(url, json={"plan": plan}, timeout=30)
    assert response.status_code == 200, response.text


def test_the_organization_shows_its_plan_and_what_it_allows(
    acme: httpx.Client, globex: httpx.Client, supabase: Sandbox
) -> None:
    assert checked(acme.get("/v1/organizations/acme-sandbox-org"), 200)["plan"] == "pro"
    assert checked(globex.get("/v1/organizations/globex-sandbox-org"), 200)["plan"] == "free"
    assert acme.get("/v1/organizations/globex-sandbox-org").status_code == 404
    paid = checked(acme.get("/v1/organizations/acme-sandbox-org/entitlements"), 200)
    free = checked(globex.get("/v1/organizations/globex-sandbox-org/entitlements"), 200)

    def access(answer: dict[str, Any]) -> dict[str, bool]:
        return {e["feature"]["key"]: e["hasAccess"] for e in answer["entitlements"]}

    assert access(paid) == {"branching_limit": True, "branching_persistent": True}
    assert access(free) == {"branching_limit": False, "branching_persistent": False}
    bad = httpx.put(
        f"{supabase.origin('supabase')}/_sandbox/organizations/globex-sandbox-org/plan",
        json={"plan": "gold"},
    )
    assert bad.status_code == 422  # the admin API is plain FastAPI


def test_a_free_plan_cannot_branch_until_it_is_upgraded(
    globex: httpx.Client, supabase: Sandbox
) -> None:
    ref = create_project(globex)["ref"]
    before = supabase.postgres.database_names()
    refused = globex.post(
        f"/v1/projects/{ref}/branches", json={"branch_name": "main", "is_default": True}
    )
    assert refused.status_code == 402
    assert refused.json() == {"message": "branching requires a paid plan"}
    listing = globex.get(f"/v1/projects/{ref}/branches")
    assert listing.status_code == 403
    assert "necessary privileges" in listing.json()["message"]
    assert supabase.postgres.database_names() == before  # nothing made
    set_plan(supabase, "globex-sandbox-org", "team")
    try:
        enable_branching(globex, ref)
        branch = create_branch(globex, ref, "pr-9")
        assert detail(globex, branch["project_ref"])["status"] == "ACTIVE_HEALTHY"
    finally:
        set_plan(supabase, "globex-sandbox-org", "free")
    assert globex.get(f"/v1/projects/{ref}/branches").status_code == 403


def test_a_persistent_branch_is_refused_deletion_until_made_ephemeral(
    acme: httpx.Client, supabase: Sandbox
) -> None:
    ref = branched_project(acme)
    branch = create_branch(acme, ref, "staging", persistent=True)
    assert branch["persistent"] is True
    own = branch["project_ref"]
    refused = acme.delete(f"/v1/branches/{own}")
    assert refused.status_code == 422
    assert "ersistent" in refused.json()["message"]
    assert f"postgres_{own}" in databases(supabase)
    demoted = checked(acme.patch(f"/v1/branches/{own}", json={"persistent": False}), 200)
    assert demoted["persistent"] is False
    assert checked(acme.delete(f"/v1/branches/{own}"), 200) == {"message": "ok"}
    assert f"postgres_{own}" not in databases(supabase)


def test_the_default_branch_is_not_deleted_reset_or_merged(acme: httpx.Client) -> None:
    ref = branched_project(acme)
    assert acme.delete(f"/v1/branches/{ref}").status_code == 400
    assert acme.post(f"/v1/branches/{ref}/reset", json={}).status_code == 400
    assert acme.post(f"/v1/branches/{ref}/merge", json={}).status_code == 400
    assert acme.get(f"/v1/projects/{ref}").status_code == 200


def test_create_refusals_leave_nothing_behind(acme: httpx.Client, supabase: Sandbox) -> None:
    ref = branched_project(acme)
    create_branch(acme, ref, "taken")
    before = databases(supabase)
    cases = [
        ({"branch_name": "taken"}, 409, "Branch name already in use"),
        ({"branch_name": "far", "region": "mars-1"}, 422, "Invalid region"),
        ({"branch_name": "env", "secrets": {"SUPABASE_URL": "x"}}, 400, None),
        ({"branch_name": ""}, 400, None),
        ({"git_branch": "no-name"}, 400, None),
        ({"branch_name": "big", "desired_instance_size": "huge"}, 400, None),
        ({"branch_name": "hook", "notify_url": "not a url"}, 400, None),
    ]
    for body, status, message in cases:
        response = acme.post(f"/v1/projects/{ref}/branches", json=body)
        assert response.status_code == status, (body, response.text)
        if message is not None:
            assert response.json() == {"message": message}
    assert databases(supabase) == before
    names = [b["name"] for b in acme.get(f"/v1/projects/{ref}/branches").json()]
    assert names == ["main", "taken"]
    # A preview branch is not a parent.
    own = acme.get(f"/v1/projects/{ref}/branches/taken").json()["project_ref"]
    assert acme.post(f"/v1/projects/{own}/branches", json={"branch_name": "x"}).status_code == 422


def test_create_options_reach_the_branch(acme: httpx.Client) -> None:
    ref = branched_project(acme)
    branch = create_branch(
        acme,
        ref,
        "opts",
        region="eu-west-2",
        desired_instance_size="small",
        secrets={"STRIPE_KEY": "sk_test_123"},
        notify_url="https://example.com/hooks/branches",
    )
    own = branch["project_ref"]
    assert branch["notify_url"] == "https://example.com/hooks/branches"
    assert checked(acme.get(f"/v1/projects/{own}"), 200)["region"] == "eu-west-2"
    secrets = checked(acme.get(f"/v1/projects/{own}/secrets"), 200)
    assert [s["name"] for s in secrets] == ["STRIPE_KEY"]
    assert "sk_test_123" not in str(secrets)  # only the digest is shown
    addons = checked(acme.get(f"/v1/projects/{own}/billing/addons"), 200)
    compute = [a for a in addons["selected_addons"] if a["type"] == "compute_instance"]
    assert compute[0]["variant"]["id"] == "ci_small"


def test_a_branch_defaults_to_micro_compute_priced_per_hour(acme: httpx.Client) -> None:
    ref = branched_project(acme)
    own = create_branch(acme, ref, "priced")["project_ref"]
    addons = checked(acme.get(f"/v1/projects/{own}/billing/addons"), 200)
    compute = next(a for a in addons["selected_addons"] if a["type"] == "compute_instance")
    assert compute["variant"]["id"] == "ci_micro"
    assert compute["variant"]["price"]["amount"] == 0.01344
    assert compute["variant"]["price"]["interval"] == "hourly"


def test_patch_renames_and_requests_review(acme: httpx.Client) -> None:
    ref = branched_project(acme)
    first = create_branch(acme, ref, "one")
    create_branch(acme, ref, "two")
    path = f"/v1/branches/{first['id']}"
    assert acme.patch(path, json={"branch_name": "two"}).status_code == 409
    renamed = checked(
        acme.patch(
            path, json={"branch_name": "uno", "git_branch": "feat/uno", "request_review": True}
        ),
        200,
    )
    assert renamed["name"] == "uno"
    assert renamed["git_branch"] == "feat/uno"
    assert "review_requested_at" in renamed
    assert checked(acme.get(f"/v1/projects/{ref}/branches/uno"), 200)["id"] == first["id"]
    assert acme.patch(path, json={"persistent": "maybe"}).status_code == 400


def test_reset_rebuilds_the_branch_from_its_migrations(acme: httpx.Client) -> None:
    ref = branched_project(acme)
    own = create_branch(acme, ref, "resettable")["project_ref"]
    first = {"query": "CREATE TABLE a (id int)", "name": "a"}
    assert acme.post(f"/v1/projects/{own}/database/migrations", json=first).status_code == 200
    versions = [m["version"] for m in acme.get(f"/v1/projects/{own}/database/migrations").json()]
    second = {"query": "CREATE TABLE b (id int)", "name": "b"}
    assert acme.post(f"/v1/projects/{own}/database/migrations", json=second).status_code == 200
    query(acme, own, "INSERT INTO a VALUES (1); CREATE TABLE scratch (id int)")
    reset = checked(acme.post(f"/v1/branches/{own}/reset", json={}), 201)
    assert reset["message"] == "ok"
    assert reset["workflow_run_id"].startswith("run_")
    with connect_branch(acme, own) as conn:  # same role and password after the reset
        assert conn.execute("SELECT count(*) FROM a").fetchone() == (0,)  # rows are gone
        assert conn.execute("SELECT to_regclass('public.b') IS NOT NULL").fetchone() == (True,)
        assert conn.execute("SELECT to_regclass('public.scratch')").fetchone() == (None,)
    names = [m["name"] for m in acme.get(f"/v1/projects/{own}/database/migrations").json()]
    assert names == ["a", "b"]
    # Up to a version: only the migrations up to it come back.
    body = {"migration_version": versions[0]}
    assert acme.post(f"/v1/branches/{own}/reset", json=body).status_code == 201
    names = [m["name"] for m in acme.get(f"/v1/projects/{own}/database/migrations").json()]
    assert names == ["a"]
    bad = acme.post(f"/v1/branches/{own}/reset", json={"migration_version": "latest"})
    assert bad.status_code == 400


def test_merge_brings_the_branch_migrations_to_the_parent(acme: httpx.Client) -> None:
    ref = branched_project(acme)
    base = {"query": "CREATE TABLE base (id int)", "name": "base"}
    assert acme.post(f"/v1/projects/{ref}/database/migrations", json=base).status_code == 200
    own = create_branch(acme, ref, "feature", with_data=True)["project_ref"]
    extra = {"query": "CREATE TABLE feature (id int)", "name": "feature"}
    assert acme.post(f"/v1/projects/{own}/database/migrations", json=extra).status_code == 200
    pushed = checked(acme.post(f"/v1/branches/{own}/push", json={}), 201)
    assert pushed["message"] == "ok"
    assert query(acme, ref, "SELECT to_regclass('public.feature') IS NULL AS absent") == [
        {"absent": True}
    ]
    merged = checked(acme.post(f"/v1/branches/{own}/merge", json={}), 201)
    assert merged["workflow_run_id"] != pushed["workflow_run_id"]
    names = [m["name"] for m in acme.get(f"/v1/projects/{ref}/database/migrations").json()]
    assert names == ["base", "feature"]
    assert query(acme, ref, "SELECT to_regclass('public.feature') IS NOT NULL AS present") == [
        {"present": True}
    ]
    # Merging again changes nothing: the parent has them all.
    assert acme.post(f"/v1/branches/{own}/merge", json={}).status_code == 201
    assert len(acme.get(f"/v1/projects/{ref}/database/migrations").json()) == 2


def test_a_scheduled_deletion_can_be_restored(acme: httpx.Client, supabase: Sandbox) -> None:
    ref = branched_project(acme)
    branch = create_branch(acme, ref, "soft")
    own = branch["project_ref"]
    not_scheduled = acme.post(f"/v1/branches/{own}/restore")
    assert not_scheduled.status_code == 400
    scheduled = acme.delete(f"/v1/branches/{own}", params={"force": "false"})
    assert checked(scheduled, 200) == {"message": "ok"}
    listed = checked(acme.get(f"/v1/projects/{ref}/branches/soft"), 200)
    assert "deletion_scheduled_at" in listed
    assert f"postgres_{own}" in databases(supabase)  # still there during the grace hour
    restored = checked(acme.post(f"/v1/branches/{own}/restore"), 200)
    assert restored == {"message": "Branch restoration initiated"}
    assert "deletion_scheduled_at" not in acme.get(f"/v1/projects/{ref}/branches/soft").json()


def test_disabling_branching_drops_every_branch_but_keeps_the_project(
    acme: httpx.Client, supabase: Sandbox
) -> None:
    ref = branched_project(acme)
    owns = [
        create_branch(acme, ref, "pr-a")["project_ref"],
        create_branch(acme, ref, "kept", persistent=True)["project_ref"],
    ]
    disabled = acme.delete(f"/v1/projects/{ref}/branches")
    assert disabled.status_code == 200
    assert_matches_spec("supabase", disabled)
    assert checked(acme.get(f"/v1/projects/{ref}/branches"), 200) == []
    for own in owns:
        assert f"postgres_{own}" not in databases(supabase)
    assert f"postgres_{ref}" in databases(supabase)
    assert acme.delete(f"/v1/projects/{ref}/branches").status_code == 422  # not enabled now


def test_deleting_the_parent_project_drops_its_branches(
    acme: httpx.Client, supabase: Sandbox
) -> None:
    ref = branched_project(acme)
    own = create_branch(acme, ref, "orphan", persistent=True)["project_ref"]
    # A branch's own project is deleted as a branch, not as a project.
    assert acme.delete(f"/v1/projects/{own}").status_code == 400
    assert acme.delete(f"/v1/projects/{ref}").status_code == 200
    assert f"postgres_{own}" not in databases(supabase)
    assert acme.get(f"/v1/branches/{own}").status_code == 404
    leftovers = supabase.store.all("supabase", "branch", where=lambda d: d["parent_ref"] == ref)
    assert leftovers == []


def test_action_runs_list_what_happened_to_a_branch(acme: httpx.Client) -> None:
    ref = branched_project(acme)
    branch = create_branch(acme, ref, "runs")
    own = branch["project_ref"]
    reset = acme.post(f"/v1/branches/{own}/reset", json={}).json()
    runs = checked(acme.get(f"/v1/projects/{own}/actions"), 200)
    assert runs[0]["id"] == reset["workflow_run_id"]  # newest first
    assert len(runs) == 2
    assert {run["branch_id"] for run in runs} == {branch["id"]}
    steps = runs[0]["run_steps"]
    assert [step["name"] for step in steps] == [
        "clone",
        "pull",
        "health",
        "configure",
        "migrate",
        "seed",
        "deploy",
    ]
    assert {step["status"] for step in steps} == {"EXITED"}
    one = checked(acme.get(f"/v1/projects/{own}/actions/{reset['workflow_run_id']}"), 200)
    assert one["id"] == reset["workflow_run_id"]
    count = acme.head(f"/v1/projects/{own}/actions")
    assert count.status_code == 200
    assert count.headers["X-Total-Count"] == "2"
    logs = acme.get(f"/v1/projects/{own}/actions/{reset['workflow_run_id']}/logs")
    assert_matches_spec("supabase", logs)
    assert "migrate: EXITED" in logs.text
    patched = acme.patch(
        f"/v1/projects/{own}/actions/{reset['workflow_run_id']}/status", json={"deploy": "DEAD"}
    )
    assert checked(patched, 200) == {"message": "ok"}
    again = acme.get(f"/v1/projects/{own}/actions/{reset['workflow_run_id']}").json()
    assert again["run_steps"][-1]["status"] == "DEAD"
    assert acme.get(f"/v1/projects/{own}/actions/run_nope").status_code == 404
    assert checked(acme.get(f"/v1/projects/{own}/actions", params={"offset": 1, "limit": 10}), 200)
    assert acme.get(f"/v1/projects/{own}/actions", params={"limit": 5}).status_code == 400


def test_a_branch_comes_up_and_its_runs_finish_after_the_delay(
    make_sandbox: type[SandboxFactory],
) -> None:
    running = make_sandbox.start(vendors=("supabase",), delays=Delays(project=1.5))
    with client_for(running) as client:
        ref = create_project(client)["ref"]
        while client.get(f"/v1/projects/{ref}").json()["status"] != "ACTIVE_HEALTHY":
            time.sleep(0.1)
        enable_branching(client, ref)
        branch = create_branch(client, ref, "slow")
        own = branch["project_ref"]
        assert branch["preview_project_status"] == "COMING_UP"
        assert branch["status"] == "CREATING_PROJECT"
        assert detail(client, own)["status"] == "COMING_UP"
        run = checked(client.get(f"/v1/projects/{own}/actions"), 200)[0]
        assert {step["status"] for step in run["run_steps"]} != {"EXITED"}
        deadline = time.monotonic() + 30
        while detail(client, own)["status"] != "ACTIVE_HEALTHY":
            assert time.monotonic() < deadline, "the branch never came up"
            time.sleep(0.1)
        listed = checked(client.get(f"/v1/projects/{ref}/branches/slow"), 200)
        assert listed["preview_project_status"] == "ACTIVE_HEALTHY"
        run = client.get(f"/v1/projects/{own}/actions").json()[0]
        assert {step["status"] for step in run["run_steps"]} == {"EXITED"}
        assert listed["status"] == "MIGRATIONS_PASSED"
        # A reset brings it down again for the delay.
        client.post(f"/v1/branches/{own}/reset", json={})
        assert detail(client, own)["status"] == "COMING_UP"
        assert client.get(f"/v1/projects/{ref}/branches/slow").json()["status"] == (
            "RUNNING_MIGRATIONS"
        )


def test_branches_survive_a_restart(make_sandbox: type[SandboxFactory], tmp_path: Path) -> None:
    state = tmp_path / "persist"
    first = make_sandbox.start(vendors=("supabase",), state_dir=state)
    with client_for(first) as client:
        ref = branched_project(client)
        own = create_branch(client, ref, "kept")["project_ref"]
        before = detail(client, own)
    first.stop()
    second = make_sandbox.start(vendors=("supabase",), state_dir=state)
    with client_for(second) as client:
        assert detail(client, own) == before
        with connect_branch(client, own) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)


def test_a_scheduled_deletion_drops_the_branch_once_due(
    acme: httpx.Client, supabase: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = branched_project(acme)
    own = create_branch(acme, ref, "due")["project_ref"]
    # The emulator runs in this process: no grace at all makes the deletion due at once.
    monkeypatch.setattr(branches, "GRACE_SECONDS", 0.0)
    assert acme.delete(f"/v1/branches/{own}", params={"force": "false"}).status_code == 200
    assert acme.get(f"/v1/projects/{ref}/branches/due").status_code == 404
    assert f"postgres_{own}" not in databases(supabase)
    assert acme.post(f"/v1/branches/{own}/restore").status_code == 404


def test_two_creates_of_one_name_at_once_make_one_branch(
    acme: httpx.Client, supabase: Sandbox
) -> None:
    ref = branched_project(acme)
    before = set(databases(supabase))
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(
            pool.map(
                lambda _: acme.post(f"/v1/projects/{ref}/branches", json={"branch_name": "race"}),
                range(2),
            )
        )
    assert sorted(answer.status_code for answer in answers) == [201, 409]
    assert len(set(databases(supabase)) - before) == 1
