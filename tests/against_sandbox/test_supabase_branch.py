"""The Supabase branch provider against the sandbox: real branch databases that connect, are
marked, made persistent and deleted (which drops the database)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from paas_stacks.errors import ResourceError
from paas_stacks.providers.supabase import BranchProvider, MigrationsProvider, SupabaseClient
from sandbox import Sandbox
from tests.against_sandbox.test_supabase_project import (
    client_for,
    org_of,
    project_provider,
    unique,
)

OWNER = "acme/app/pr-1#0123456789ab"


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[SupabaseClient]:
    made = client_for(sandbox)
    yield made
    made.close()


def branch_provider(client: SupabaseClient) -> BranchProvider:
    provider = BranchProvider()
    provider.use(client)
    return provider


def tables(url: str) -> set[str]:
    with psycopg.connect(url, connect_timeout=5) as conn:
        rows = conn.execute(
            "select table_name from information_schema.tables where table_schema = 'public'"
        ).fetchall()
    return {str(row[0]) for row in rows}


def test_a_branch_has_its_own_database_that_connects_and_takes_its_migrations(
    client: SupabaseClient, tmp_path: Path
) -> None:
    parent = project_provider(client).create(
        {"organization_id": org_of(client), "name": unique("base")}
    )
    provider = branch_provider(client)
    made = provider.create(
        {"parent_ref": parent.id, "name": "pr-1", "git_branch": "feature/x", "owner": OWNER}
    )
    outs = made.outs or {}
    assert outs["name"] == "pr-1"
    assert outs["ref"] != parent.id
    assert outs["database_url"] != (parent.outs or {})["database_url"]
    listed = {b["name"]: b for b in client.list_branches(parent.id)}
    assert listed["pr-1"]["git_branch"] == "feature/x"
    assert any(b["is_default"] for b in listed.values())  # branching was enabled first
    assert "PAAS_STACKS_OWNER_0123456789AB" in {s["name"] for s in client.secrets(outs["ref"])}
    assert tables(outs["database_url"]) == set()  # created empty (with_data false)

    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "001_todos.sql").write_text("create table todos (id serial primary key);\n")
    migrations = MigrationsProvider()
    migrations.use(client)
    # ``check`` reads the folder, as the engine runs it before ``create``.
    checked = migrations.check({}, {"project_ref": outs["ref"], "folder": str(folder)})
    migrations.create(checked.inputs)
    assert tables(outs["database_url"]) == {"todos"}
    assert "todos" not in tables((parent.outs or {})["database_url"])  # the parent untouched

    # A second read changes nothing; making it persistent is in place; delete still works.
    again = provider.read(made.id, outs)
    assert provider.diff(made.id, again.outs or {}, {**outs, "owner": OWNER}).changes is False
    kept = provider.update(made.id, outs, {**outs, "persistent": True, "owner": OWNER})
    assert (kept.outs or {})["persistent"] is True
    provider.delete(made.id, kept.outs or {})
    assert "pr-1" not in {b["name"] for b in client.list_branches(parent.id)}
    with pytest.raises(psycopg.OperationalError):
        tables(outs["database_url"])  # its database and role are dropped
    assert provider.read(made.id, outs).id == ""
    project_provider(client).delete(parent.id, parent.outs or {})


def test_a_same_named_branch_without_this_stacks_marker_is_not_taken_over(
    client: SupabaseClient,
) -> None:
    parent = project_provider(client).create(
        {"organization_id": org_of(client), "name": unique("base")}
    )
    provider = branch_provider(client)
    theirs = provider.create({"parent_ref": parent.id, "name": "pr-2"})  # no owner: unmarked
    with pytest.raises(ResourceError, match="no owner marker"):
        provider.create({"parent_ref": parent.id, "name": "pr-2", "owner": OWNER})
    provider.delete(theirs.id, theirs.outs or {})
    project_provider(client).delete(parent.id, parent.outs or {})
