"""All six Supabase resources in one stack through the real engine against the sandbox.

create -> no-op up (zero writes) -> a new migration plus in-place changes (the compute size too)
-> an edited applied migration is refused -> drift (a dashboard resize among it) and an
out-of-band delete are found by refresh and undone by up -> a region change replaces the project
(and everything on it) -> destroy leaves nothing behind.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from pulumi import automation as auto

from paas_stacks.providers.supabase import SupabaseClient
from sandbox import Sandbox
from tests.against_sandbox.test_supabase_project import client_for, compute_of, org_of
from tests.engine import EngineRun, changes

pytestmark = pytest.mark.engine

TABLE_SQL = "create table widgets (id int primary key, name text);"
#: Passed as a plain value through AuthConfig's verbatim ``settings``: still hidden in state.
SMTP_PASS = "smtp-pass-never-in-state-7d2f"
SECRETS = {
    "v1": {"STRIPE_KEY": "sk_engine_1", "WEBHOOK_SECRET": "wh_engine_1"},
    "v2": {"STRIPE_KEY": "sk_engine_2", "WEBHOOK_SECRET": "wh_engine_1"},
}


def program() -> None:
    import pulumi  # noqa: PLC0415

    from paas_stacks.providers.supabase import (  # noqa: PLC0415
        AuthConfig,
        DatabaseConfig,
        FunctionSecrets,
        Migrations,
        NetworkRestrictions,
        Project,
    )

    config = pulumi.Config()
    variant = config.require("variant")
    project = Project(
        "db",
        organization_id=config.require("org"),
        name=config.require("name"),
        region=config.require("region"),
        instance_size="micro" if variant == "v1" else "small",
    )
    ref = project.ref
    applied = Migrations("schema", project_ref=ref, folder=config.require("folder"))
    AuthConfig(
        "auth",
        project_ref=ref,
        site_url="https://app.example.com",
        additional_redirect_urls=["https://preview.example.com"],
        jwt_expiry=3600 if variant == "v1" else 7200,
        password_min_length=10,
        settings={"smtp_pass": SMTP_PASS},
    )
    pool_size = 20 if variant == "v1" else 30
    DatabaseConfig(
        "dbconfig",
        project_ref=ref,
        pool_mode="transaction",
        default_pool_size=pool_size,
        statement_timeout="20s",
    )
    FunctionSecrets("secrets", project_ref=ref, values=SECRETS[variant])
    NetworkRestrictions("network", project_ref=ref, allowed_cidrs=["127.0.0.0/8"])
    pulumi.export("ref", ref)
    pulumi.export("database_url", project.database_url)
    pulumi.export("pooler_url", project.pooler_url)
    pulumi.export("password", project.database_password)
    pulumi.export("anon_key", project.anon_key)
    pulumi.export("service_role_key", project.service_role_key)
    pulumi.export("applied", applied.applied)


@pytest.fixture
def client(engine_sandbox: Sandbox) -> Iterator[SupabaseClient]:
    made = client_for(engine_sandbox)
    yield made
    made.close()


def widgets(url: str) -> int:
    """Connects (proves the URL and password) and counts rows of the migrations' table."""
    with psycopg.connect(url, connect_timeout=5) as conn:
        assert conn.execute("select 1").fetchone() == (1,)
        row = conn.execute("select count(*) from widgets").fetchone()
    return int(row[0]) if row else -1


def test_supabase_stack_lifecycle(
    engine: type,
    engine_sandbox: Sandbox,
    client: SupabaseClient,
    tmp_path: Path,
) -> None:
    before = engine_sandbox.objects()
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "001_widgets.sql").write_text(TABLE_SQL)
    (folder / "002_seed.sql").write_text("insert into widgets values (1, 'one');")
    config = {
        "variant": "v1",
        "org": org_of(client),
        "name": "supabase-life-db",
        "region": "us-east-1",
        "folder": str(folder),
    }
    run = engine.stack("supabase-life", program, config)  # type: ignore[attr-defined]
    # The token comes from SUPABASE_ACCESS_TOKEN: stack config (supabase:accessToken) works too,
    # but the engine records all stack config, encrypted, in the default provider's state.

    ref = created_then_left_alone(run, client)
    updated_in_place_and_edits_refused(run, client, folder, ref)
    drift_found_by_refresh_and_undone_by_up(run, engine_sandbox, client, ref)
    outs = run.outputs()
    run.assert_state_hides(
        [
            outs["password"],
            outs["anon_key"],
            outs["service_role_key"],
            outs["database_url"],
            outs["pooler_url"],
            *SECRETS["v2"].values(),
            SMTP_PASS,
        ],
        [engine_sandbox.token("supabase")],
    )

    # The region cannot change in place: a new project, everything on it created again.
    result, calls = run.up(region="eu-west-1")
    print("CALLS replace", calls.by_vendor["supabase"])
    assert changes(result) == {"replace": 6}
    moved = run.outputs()
    assert moved["ref"] != ref
    assert client.get_project(ref) is None
    assert widgets(moved["pooler_url"]) == 2
    assert compute_of(client, moved["ref"]) == ["ci_small"]

    result, calls = run.destroy()
    print("CALLS destroy", calls.by_vendor["supabase"])
    assert changes(result) == {"delete": 8}
    assert engine_sandbox.objects() == before


def created_then_left_alone(run: EngineRun, client: SupabaseClient) -> str:
    result, calls = run.up()
    print("CALLS create", calls.by_vendor["supabase"])
    assert changes(result) == {"create": 8}  # with the StackOwner
    outs = run.outputs()
    ref = str(outs["ref"])
    assert outs["applied"] == ["001_widgets.sql", "002_seed.sql"]
    assert widgets(outs["database_url"]) == 1
    assert widgets(outs["pooler_url"]) == 1
    assert client.auth_config(ref)["jwt_exp"] == 3600
    assert client.network_restrictions(ref)["config"]["dbAllowedCidrs"] == ["127.0.0.0/8"]
    assert compute_of(client, ref) == ["ci_micro"]

    result, calls = run.up()
    print("CALLS no-op up", calls.by_vendor["supabase"])
    assert changes(result) == {}
    assert calls.writes("supabase") == 0
    return ref


def updated_in_place_and_edits_refused(
    run: EngineRun, client: SupabaseClient, folder: Path, ref: str
) -> None:
    (folder / "003_more.sql").write_text("insert into widgets values (2, 'two');")
    result, calls = run.up(variant="v2")
    print("CALLS update", calls.by_vendor["supabase"])
    assert changes(result) == {"update": 5}  # the project's resize is in place, no replace
    assert compute_of(client, ref) == ["ci_small"]
    assert calls.routes("supabase").get("PATCH /v1/projects/{ref}/billing/addons") == 1
    assert run.outputs()["applied"] == ["001_widgets.sql", "002_seed.sql", "003_more.sql"]
    assert widgets(run.outputs()["database_url"]) == 2
    assert client.auth_config(ref)["jwt_exp"] == 7200
    assert client.pooler(ref)[0]["default_pool_size"] == 30
    assert calls.routes("supabase").get("POST /v1/projects/{ref}/database/migrations") == 1

    edited = TABLE_SQL.replace("int", "bigint")
    (folder / "001_widgets.sql").write_text(edited)
    with pytest.raises(auto.CommandError) as refused:
        run.up()
    message = str(refused.value)
    assert "001_widgets.sql" in message
    assert hashlib.sha256(TABLE_SQL.encode()).hexdigest() in message
    assert hashlib.sha256(edited.encode()).hexdigest() in message
    (folder / "001_widgets.sql").write_text(TABLE_SQL)


def drift_found_by_refresh_and_undone_by_up(
    run: EngineRun, sandbox: Sandbox, client: SupabaseClient, ref: str
) -> None:
    """As a dashboard user: the auth config changed, the project resized, every owned secret
    deleted."""
    client.update_auth_config(ref, {"jwt_exp": 60})
    client.set_compute(ref, "ci_medium")
    client.delete_secrets(ref, list(SECRETS["v2"]))
    refreshed, calls = run.refresh()
    print("CALLS refresh", calls.by_vendor["supabase"])
    assert changes(refreshed) == {"update": 2, "delete": 1}
    assert calls.writes("supabase") == 0
    project = next(r for r in run.resources() if r["urn"].endswith("::db"))
    assert project["outputs"]["instance_size"] == "medium"  # in the state: stack exports wait

    result, calls = run.up()
    print("CALLS repair up", calls.by_vendor["supabase"])
    assert changes(result) == {"update": 2, "create": 1}
    assert client.auth_config(ref)["jwt_exp"] == 7200
    assert compute_of(client, ref) == ["ci_small"]
    listed = client.secrets(ref)
    digests = {
        e["name"]: e["value"] for e in listed if not e["name"].startswith("PAAS_STACKS_OWNER")
    }
    assert digests == {k: hashlib.sha256(v.encode()).hexdigest() for k, v in SECRETS["v2"].items()}
