"""The per-project Supabase providers against the sandbox: migrations, auth, database config,
function secrets and network restrictions, each created, read, drifted, updated and deleted."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from paas_stacks.errors import ResourceError
from paas_stacks.providers.supabase import (
    AuthConfigProvider,
    DatabaseConfigProvider,
    FunctionSecretsProvider,
    MigrationsProvider,
    NetworkRestrictionsProvider,
    SupabaseClient,
)
from sandbox import Sandbox
from tests.against_sandbox.test_supabase_project import client_for, org_of, unique

PASSWORD = "settings-pass-1"


@pytest.fixture(scope="module")
def client(sandbox: Sandbox) -> Iterator[SupabaseClient]:
    made = client_for(sandbox)
    yield made
    made.close()


@pytest.fixture(scope="module")
def ref(client: SupabaseClient) -> Iterator[str]:
    body = {"name": unique("settings"), "organization_slug": org_of(client), "db_pass": PASSWORD}
    project = client.create_project(body)
    yield str(project["ref"])
    client.delete_project(str(project["ref"]))


def provided(kind: type[Any], client: SupabaseClient) -> Any:
    provider = kind()
    provider.use(client)
    return provider


def checked(provider: Any, props: dict[str, Any], olds: dict[str, Any] | None = None) -> Any:
    result = provider.check(olds or {}, props)
    assert result.failures == []
    return result.inputs


def db_url(client: SupabaseClient, ref: str) -> str:
    entry = client.pooler(ref)[0]
    return str(entry["connection_string"]).replace("[YOUR-PASSWORD]", PASSWORD)


# -- migrations ----------------------------------------------------------------------------------
def test_migrations_apply_once_in_order_and_new_files_on_update(
    client: SupabaseClient, ref: str, tmp_path: Path
) -> None:
    provider = provided(MigrationsProvider, client)
    (tmp_path / "002_rows.sql").write_text("insert into widgets values (1);")
    (tmp_path / "001_table.sql").write_text("create table widgets (id int primary key);")
    props = checked(provider, {"project_ref": ref, "folder": str(tmp_path)})
    made = provider.create(props)
    assert made.outs["applied"] == ["001_table.sql", "002_rows.sql"]
    assert provider.diff(made.id, made.outs, props).changes is False
    # A lost answer or a state that was lost: create again finds both in the history.
    again = provider.create(props)
    assert again.outs["applied"] == ["001_table.sql", "002_rows.sql"]

    (tmp_path / "003_more.sql").write_text("insert into widgets values (2);")
    news = checked(provider, {"project_ref": ref, "folder": str(tmp_path)})
    assert provider.diff(made.id, made.outs, news).changes is True
    updated = provider.update(made.id, made.outs, news).outs
    assert updated["applied"] == ["001_table.sql", "002_rows.sql", "003_more.sql"]
    with psycopg.connect(db_url(client, ref)) as conn:
        assert conn.execute("select count(*) from widgets").fetchone() == (2,)
    assert provider.read(made.id, updated).outs == updated

    (tmp_path / "001_table.sql").write_text("create table widgets (id bigint primary key);")
    edited = checked(provider, {"project_ref": ref, "folder": str(tmp_path)})
    with pytest.raises(ResourceError) as error:
        provider.diff(made.id, updated, edited)
    old = hashlib.sha256(b"create table widgets (id int primary key);").hexdigest()
    assert "001_table.sql" in str(error.value)
    assert old in str(error.value)
    assert edited["files"]["001_table.sql"] in str(error.value)
    provider.delete(made.id, updated)  # does not un-apply
    assert len(client.migrations(ref)) == 3


def test_a_missing_migrations_folder_fails_check_before_any_request(
    client: SupabaseClient, ref: str, tmp_path: Path
) -> None:
    provider = provided(MigrationsProvider, client)
    result = provider.check({}, {"project_ref": ref, "folder": str(tmp_path / "nope")})
    assert [f.property for f in result.failures] == ["folder"]
    assert "is not a folder" in result.failures[0].reason


# -- auth config ---------------------------------------------------------------------------------
def test_auth_config_owns_only_declared_keys_and_reads_drift(
    client: SupabaseClient, ref: str
) -> None:
    provider = provided(AuthConfigProvider, client)
    props = {
        "project_ref": ref,
        "site_url": "https://app.example.com",
        "additional_redirect_urls": ["https://a.example.com", "https://b.example.com"],
        "jwt_expiry": 1800,
        "password_min_length": 10,
        "password_required_characters": "lower_upper_digits",
        "settings": {"mfa_max_enrolled_factors": 4},
    }
    made = provider.create(props)
    live = client.auth_config(ref)
    assert live["jwt_exp"] == 1800
    assert live["uri_allow_list"] == "https://a.example.com,https://b.example.com"
    assert live["password_required_characters"].startswith("abcdefghijklmnopqrstuvwxyz:ABC")
    assert made.outs["email_enabled"] is None  # not declared: not ours
    assert provider.diff(made.id, made.outs, props).changes is False

    client.update_auth_config(ref, {"jwt_exp": 60, "sms_otp_exp": 99})
    read = provider.read(made.id, made.outs).outs
    assert read["jwt_expiry"] == 60
    assert provider.diff(made.id, read, props).changes is True
    fixed = provider.update(made.id, read, props).outs
    assert fixed["jwt_expiry"] == 1800
    assert client.auth_config(ref)["sms_otp_exp"] == 99  # not ours: left alone


# -- database config -----------------------------------------------------------------------------
def test_database_config_sets_pooler_and_postgres_and_drops_its_overrides_on_delete(
    client: SupabaseClient, ref: str
) -> None:
    provider = provided(DatabaseConfigProvider, client)
    props = {
        "project_ref": ref,
        "pool_mode": "session",
        "default_pool_size": 20,
        "statement_timeout": "30s",
        "max_connections": 90,
    }
    made = provider.create(props)
    assert client.pooler(ref)[0]["pool_mode"] == "session"
    assert client.postgres_config(ref) == {"statement_timeout": "30s", "max_connections": 90}
    with psycopg.connect(db_url(client, ref)) as conn:
        assert conn.execute("show statement_timeout").fetchone() == ("30s",)
    assert provider.diff(made.id, made.outs, props).changes is False

    client.update_pooler(ref, {"default_pool_size": 5})
    read = provider.read(made.id, made.outs).outs
    assert read["default_pool_size"] == 5
    news = {**props, "statement_timeout": "15s"}
    updated = provider.update(made.id, read, news).outs
    assert updated["default_pool_size"] == 20
    assert updated["statement_timeout"] == "15s"
    provider.delete(made.id, updated)
    assert client.postgres_config(ref) == {}


# -- function secrets ----------------------------------------------------------------------------
def test_function_secrets_compare_digests_and_own_only_declared_names(
    client: SupabaseClient, ref: str
) -> None:
    provider = provided(FunctionSecretsProvider, client)
    client.put_secrets(ref, {"SOMEONE_ELSES": "x"})
    props = {"project_ref": ref, "values": {"STRIPE_KEY": "sk_1", "WEBHOOK": "wh_1"}}
    made = provider.create(props)
    assert made.outs["digests"]["STRIPE_KEY"] == hashlib.sha256(b"sk_1").hexdigest()
    assert provider.diff(made.id, made.outs, props).changes is False

    client.put_secrets(ref, {"STRIPE_KEY": "changed-by-hand"})
    client.delete_secrets(ref, ["WEBHOOK"])
    read = provider.read(made.id, made.outs).outs
    assert set(read["digests"]) == {"STRIPE_KEY"}
    assert provider.diff(made.id, read, props).changes is True
    news = {"project_ref": ref, "values": {"STRIPE_KEY": "sk_1", "NEW_ONE": "n"}}
    updated = provider.update(made.id, read, news).outs
    names = {entry["name"] for entry in client.secrets(ref)}
    assert names == {"STRIPE_KEY", "NEW_ONE", "SOMEONE_ELSES"}
    assert updated["values"] == {"STRIPE_KEY": "sk_1", "NEW_ONE": "n"}
    provider.delete(made.id, updated)
    assert {entry["name"] for entry in client.secrets(ref)} == {"SOMEONE_ELSES"}


def test_reserved_secret_names_fail_check(client: SupabaseClient, ref: str) -> None:
    provider = provided(FunctionSecretsProvider, client)
    result = provider.check({}, {"project_ref": ref, "values": {"SUPABASE_URL": "x"}})
    assert "reserved" in result.failures[0].reason


# -- network restrictions ------------------------------------------------------------------------
def test_network_restrictions_replace_the_list_and_open_up_on_delete(
    client: SupabaseClient, ref: str
) -> None:
    provider = provided(NetworkRestrictionsProvider, client)
    props = {"project_ref": ref, "allowed_cidrs": ["10.0.0.0/8", "203.0.113.7/24"]}
    made = provider.create(checked(provider, props))
    assert made.outs["allowed_cidrs"] == ["10.0.0.0/8", "203.0.113.0/24"]
    assert made.outs["allowed_cidrs_v6"] == ["::/0"]
    config = client.network_restrictions(ref)["config"]
    assert sorted(config["dbAllowedCidrs"]) == ["10.0.0.0/8", "203.0.113.0/24"]
    assert provider.diff(made.id, made.outs, props).changes is False

    client.apply_network_restrictions(ref, ["1.2.3.4/32"], ["::/0"])
    read = provider.read(made.id, made.outs).outs
    assert read["allowed_cidrs"] == ["1.2.3.4/32"]
    assert provider.diff(made.id, read, props).changes is True
    provider.delete(made.id, read)
    assert client.network_restrictions(ref)["config"]["dbAllowedCidrs"] == ["0.0.0.0/0"]


def test_settings_of_a_deleted_project_read_as_gone(client: SupabaseClient) -> None:
    body = {"name": unique("gone"), "organization_slug": org_of(client), "db_pass": PASSWORD}
    ref = str(client.create_project(body)["ref"])
    client.delete_project(ref)
    for kind in (
        AuthConfigProvider,
        DatabaseConfigProvider,
        FunctionSecretsProvider,
        NetworkRestrictionsProvider,
        MigrationsProvider,
    ):
        provider = provided(kind, client)
        assert provider.read(f"{ref}/{provider.suffix}", {"project_ref": ref}).id == ""
