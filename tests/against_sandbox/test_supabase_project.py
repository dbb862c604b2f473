"""The Supabase Project provider against the sandbox: real projects, real databases."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from paas_stacks.providers._http import Endpoint
from paas_stacks.providers.supabase import ProjectProvider, SupabaseClient
from sandbox import Sandbox


def client_for(sandbox: Sandbox, token: str | None = None) -> SupabaseClient:
    token = token or sandbox.token("supabase")
    endpoint = Endpoint(
        base_url=sandbox.base_url("supabase"),
        headers={"authorization": f"Bearer {token}"},
        secrets=(token,),
    )
    return SupabaseClient(endpoint)


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[SupabaseClient]:
    made = client_for(sandbox)
    yield made
    made.close()


def org_of(client: SupabaseClient) -> str:
    return str(client.json("GET", "/v1/organizations")[0]["slug"])


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def project_provider(client: SupabaseClient) -> ProjectProvider:
    provider = ProjectProvider()
    provider.use(client)
    return provider


def select_one(url: str) -> Any:
    with psycopg.connect(url, connect_timeout=5) as conn:
        row = conn.execute("select 1").fetchone()
    return row[0] if row else None


def test_a_project_is_created_ready_with_keys_and_connection_strings_that_connect(
    client: SupabaseClient,
) -> None:
    provider = project_provider(client)
    props = {"organization_id": org_of(client), "name": unique("proj")}
    made = provider.create(props)
    outs = made.outs or {}
    try:
        assert client.get_project(made.id)["status"] == "ACTIVE_HEALTHY"  # type: ignore[index]
        assert outs["ref"] == made.id
        assert outs["api_url"] == f"https://{made.id}.supabase.co"
        assert outs["anon_key"].count(".") == 2
        assert outs["service_role_key"].count(".") == 2
        assert outs["anon_key"] != outs["service_role_key"]
        assert len(outs["database_password"]) >= 24
        assert select_one(outs["database_url"]) == 1
        assert select_one(outs["pooler_url"]) == 1
        assert f"postgres.{made.id}" in outs["pooler_url"]
        assert outs["instance_size"] == "nano"  # undeclared: the platform's size, reported
        # Nothing changed: the refreshed outputs diff clean against the same inputs.
        read = provider.read(made.id, outs).outs
        assert read == outs
        assert provider.diff(made.id, read, props).changes is False
    finally:
        provider.delete(made.id, outs)
    assert provider.read(made.id, outs).id == ""
    provider.delete(made.id, outs)  # already gone: still fine


def test_name_and_given_password_change_in_place(client: SupabaseClient) -> None:
    provider = project_provider(client)
    props = {"organization_id": org_of(client), "name": unique("pw"), "database_password": "one-1"}
    made = provider.create(props)
    outs = made.outs or {}
    try:
        news = {**props, "name": props["name"] + "-b", "database_password": "two-2"}
        diff = provider.diff(made.id, outs, news)
        assert diff.changes is True
        assert diff.replaces == []
        updated = provider.update(made.id, outs, news).outs or {}
        assert updated["name"] == news["name"]
        assert client.get_project(made.id)["name"] == news["name"]  # type: ignore[index]
        assert "two-2" in updated["database_url"]
        assert select_one(updated["database_url"]) == 1
        with pytest.raises(psycopg.OperationalError):
            select_one(outs["database_url"])
        moved = provider.diff(made.id, updated, {**news, "region": "eu-west-1"})
        assert moved.replaces == ["region"]
    finally:
        provider.delete(made.id, outs)


def compute_of(client: SupabaseClient, ref: str) -> list[str]:
    selected = client.addons(ref)["selected_addons"]
    return [a["variant"]["id"] for a in selected if a["type"] == "compute_instance"]


def test_the_instance_size_changes_in_place_and_a_dashboard_resize_is_drift(
    client: SupabaseClient,
) -> None:
    provider = project_provider(client)
    props = {"organization_id": org_of(client), "name": unique("size"), "instance_size": "micro"}
    made = provider.create(props)
    outs = made.outs or {}
    try:
        assert outs["instance_size"] == "micro"
        assert compute_of(client, made.id) == ["ci_micro"]
        news = {**props, "instance_size": "small"}
        assert provider.diff(made.id, outs, news).replaces == []
        generated = outs["database_password"]
        outs = provider.update(made.id, outs, news).outs or {}
        assert outs["instance_size"] == "small"
        assert compute_of(client, made.id) == ["ci_small"]
        # An update keeps the generated password, so the connection strings still connect.
        assert outs["database_password"] == generated
        assert select_one(outs["database_url"]) == 1

        client.set_compute(made.id, "ci_large")  # as a dashboard user
        read = provider.read(made.id, outs).outs or {}
        assert read["instance_size"] == "large"
        assert provider.diff(made.id, read, news).changes is True
        # Back to the smallest size: the compute add-on the project has now is removed.
        outs = provider.update(made.id, read, {**news, "instance_size": "nano"}).outs or {}
        assert outs["instance_size"] == "nano"
        assert compute_of(client, made.id) == []
    finally:
        provider.delete(made.id, outs)


def test_a_same_named_project_is_adopted_and_given_the_generated_password(
    client: SupabaseClient,
) -> None:
    org, name = org_of(client), unique("adopt")
    existing = client.create_project(
        {"name": name, "organization_slug": org, "db_pass": "unknown-to-us"}
    )
    provider = project_provider(client)
    before = len(client.list_projects())
    made = provider.create({"organization_id": org, "name": name})
    outs = made.outs or {}
    try:
        assert made.id == existing["ref"]
        assert len(client.list_projects()) == before
        assert select_one(outs["database_url"]) == 1
    finally:
        provider.delete(made.id, outs)


def test_drift_in_the_name_is_read_back_and_shows_as_a_change(client: SupabaseClient) -> None:
    provider = project_provider(client)
    props = {"organization_id": org_of(client), "name": unique("drift")}
    made = provider.create(props)
    outs = made.outs or {}
    try:
        client.rename_project(made.id, "renamed-by-hand")
        read = provider.read(made.id, outs).outs or {}
        assert read["name"] == "renamed-by-hand"
        assert provider.diff(made.id, read, props).changes is True
    finally:
        provider.delete(made.id, outs)


def test_waiting_for_a_project_reports_progress(
    make_sandbox: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from sandbox.core.context import Delays  # noqa: PLC0415

    slow = make_sandbox.start(delays=Delays(deploy=0, database=0, project=1.5, machine=0))
    client = client_for(slow)
    provider = project_provider(client)
    made = provider.create({"organization_id": org_of(client), "name": unique("slow")})
    try:
        assert "': COMING_UP, waiting (" in capsys.readouterr().err
        assert client.get_project(made.id)["status"] == "ACTIVE_HEALTHY"  # type: ignore[index]
    finally:
        provider.delete(made.id, made.outs or {})
        client.close()
