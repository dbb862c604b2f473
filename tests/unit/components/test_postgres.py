"""Postgres on Supabase and Render: the resource graph, the inputs that matter, what a link
injects (exactly ``provided_env``), secretness, protection and what services wait for."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from paas_stacks.components._fields import AllowedCidr
from paas_stacks.components.linking import Link
from paas_stacks.components.postgres import (
    Postgres,
    PostgresArgs,
    RenderPostgres,
    Supabase,
    SupabaseBranchOf,
)
from paas_stacks.components.spec import Entry, EnvironmentSpec, compile_entry, provided_env
from paas_stacks.components.spec.build import private_network_reaches
from paas_stacks.errors import ArgsError
from paas_stacks.providers import render, supabase
from tests.mocks import OWNER, build

SIG, SECRET = "4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"


def secret_input(value: Any) -> Any:
    """The value inside a secret input as the mocks record it; fails if it is not secret."""
    assert isinstance(value, dict), f"not secret: {value!r}"
    assert value.get(SIG) == SECRET, f"not secret: {value!r}"
    return value["value"]


PARENT = "paas:components:Postgres"


def environment(**sections: Any) -> EnvironmentSpec:
    return EnvironmentSpec.model_validate(
        {"name": "shop", "region": "virginia", **sections}, context={"rules": False}
    )


def wecelebrate() -> EnvironmentSpec:
    """Seed 003: Auth, pooling, max connections 100, 30 s timeout, schema SQL, PITR, secrets."""
    return environment(
        production=True,
        postgres={
            "db": {
                "provider": "supabase",
                "organization": "wecelebrate",
                "plan": "pro",
                "instance_size": "small",
                "pitr_days": 7,
                "migrations": "stacks/migrations/wecelebrate",
                "pooler": "transaction",
                "max_connections": 100,
                "statement_timeout": "30s",
                "auth": {
                    "email_password": True,
                    "jwt_expiry_seconds": 3600,
                    "password_min_length": 12,
                    "site_url": "https://app.example.com",
                    "redirect_urls": ["https://app.example.com/cb"],
                },
                "network_restrictions": ["203.0.113.0/24", "2001:db8::/32"],
                "function_secrets": ["functions"],
            }
        },
        secrets={"functions": {"generated": {"API_KEY": {"bytes": 32}}}},
    )


class FakeSecrets:
    """A built SecretSet stand-in: what a function_secrets link resolves to."""

    def env(self) -> dict[str, pulumi.Output[str]]:
        return {"API_KEY": pulumi.Output.secret("k-123"), "SENTRY_DSN": pulumi.Output.secret("d")}


def build_spec(env: EnvironmentSpec, name: str = "db", links: list[Link] | None = None) -> Any:
    holder: dict[str, Postgres] = {}

    def program() -> dict[str, Any]:
        compiled = compile_entry(Entry("postgres", name, env.postgres[name]), env, links or [])
        db = compiled.component(name, compiled.args)
        holder["db"] = db
        return {
            "env": dict(db.env()),
            "secret": {k: v.is_secret() for k, v in db.env().items()},
            "pitr": db.pitr_days,
        }

    built = build(program)
    return built, holder["db"]


def test_supabase_builds_project_migrations_settings_auth_network_and_function_secrets() -> None:
    built, _db = build_spec(wecelebrate(), links=[Link(FakeSecrets())])
    mocks = built.mocks
    project = mocks.one("supabase:Project", "db-project")
    assert project.inputs["organization_id"] == "wecelebrate"
    assert project.inputs["name"] == "shop-db"
    assert project.inputs["region"] == "us-east-1"
    assert project.inputs["instance_size"] == "small"
    migrations = mocks.one("supabase:Migrations", "db-migrations")
    assert migrations.inputs["project_ref"] == "refdb-project"
    assert migrations.inputs["folder"].endswith("stacks/migrations/wecelebrate")
    config = mocks.one("supabase:DatabaseConfig", "db-database-config").inputs
    assert (config["pool_mode"], config["max_connections"], config["statement_timeout"]) == (
        "transaction",
        100,
        "30s",
    )
    auth = mocks.one("supabase:AuthConfig", "db-auth").inputs
    assert auth["email_enabled"] is True
    assert auth["jwt_expiry"] == 3600
    assert auth["password_min_length"] == 12
    assert auth["site_url"] == "https://app.example.com"
    assert auth["additional_redirect_urls"] == ["https://app.example.com/cb"]
    network = mocks.one("supabase:NetworkRestrictions", "db-network").inputs
    assert network["allowed_cidrs"] == ["203.0.113.0/24"]
    assert network["allowed_cidrs_v6"] == ["2001:db8::/32"]
    secrets = mocks.one("supabase:FunctionSecrets", "db-function-secrets").inputs
    assert secret_input(secrets["values"]) == {"API_KEY": "k-123", "SENTRY_DSN": "d"}


def test_supabase_env_is_exactly_provided_env_and_secret_except_the_api_url() -> None:
    env = wecelebrate()
    built, _db = build_spec(env)
    assert tuple(built.value["env"]) == provided_env(env, "db")
    assert built.value["env"]["DATABASE_URL"].startswith("postgresql://postgres:pw-db-project@")
    assert built.value["env"]["DATABASE_POOLER_URL"].endswith(":6543/postgres")
    assert built.value["env"]["SUPABASE_URL"] == "https://refdb-project.supabase.co"
    assert built.value["secret"] == {
        "DATABASE_URL": True,
        "DATABASE_POOLER_URL": True,
        "SUPABASE_URL": False,
        "SUPABASE_ANON_KEY": True,
        "SUPABASE_SERVICE_ROLE_KEY": True,
    }


def test_supabase_without_pooler_offers_no_pooler_url() -> None:
    env = environment(
        postgres={
            "db": {"provider": "supabase", "organization": "o", "plan": "free", "pooler": None}
        }
    )
    built, _db = build_spec(env)
    assert "DATABASE_POOLER_URL" not in built.value["env"]
    assert tuple(built.value["env"]) == provided_env(env, "db")


def test_a_bare_supabase_project_has_no_migrations_auth_network_or_secrets_and_is_ready() -> None:
    env = environment(
        postgres={
            "db": {"provider": "supabase", "organization": "o", "plan": "free", "pooler": None}
        }
    )
    built, db = build_spec(env)
    assert built.mocks.types() == [PARENT, OWNER, "pulumi-python:dynamic/supabase:Project"]
    assert isinstance(db.ready, supabase.Project)


def test_services_wait_for_the_migrations_when_there_are_some() -> None:
    _built, db = build_spec(wecelebrate())
    assert isinstance(db.ready, supabase.Migrations)


def test_production_protects_the_project_and_migrations_but_not_the_settings() -> None:
    built, db = build_spec(wecelebrate())
    assert db.project._protect is True
    assert db.ready._protect is True
    assert built.value["pitr"] == 7


def test_a_non_production_project_is_not_protected() -> None:
    env = environment(
        postgres={"db": {"provider": "supabase", "organization": "o", "plan": "free"}}
    )
    _built, db = build_spec(env)
    assert not db.project._protect


def test_every_child_is_parented_to_the_component() -> None:
    built, _db = build_spec(wecelebrate(), links=[Link(FakeSecrets())])
    children = [r for r in built.mocks.resources if r.type not in (PARENT, OWNER)]
    assert len(children) == 6
    assert all(r.name.startswith("db-") for r in children)


def render_env(**db: Any) -> EnvironmentSpec:
    return environment(
        region="oregon",
        production=True,
        postgres={
            "db": {"provider": "render", "plan": "basic_256mb", "version": 16, "disk_gb": 15, **db}
        },
        services={
            "api": {
                "kind": "web",
                "platform": "render",
                "plan": "starter",
                "runtime": "docker",
                "repo": "https://github.com/a/b",
                "links": ["db"],
            }
        },
    )


def test_render_builds_one_database_with_plan_region_version_and_disk() -> None:
    env = render_env()
    built, db = build_spec(env)
    database = built.mocks.one("render:Postgres", "db-db").inputs
    assert database["name"] == "shop-db"
    assert (database["plan"], database["region"], database["version"]) == (
        "basic_256mb",
        "oregon",
        "16",
    )
    assert database["disk_size_gb"] == 15
    assert isinstance(db.ready, render.Postgres)
    assert db.database._protect is True


def test_render_env_is_the_internal_url_for_render_services_in_the_same_region() -> None:
    env = render_env()
    built, _db = build_spec(env)
    assert tuple(built.value["env"]) == provided_env(env, "db")
    assert provided_env(env, "db") == (
        "DATABASE_URL",
        "PGHOST",
        "PGPORT",
        "PGUSER",
        "PGPASSWORD",
        "PGDATABASE",
    )
    assert built.value["env"]["DATABASE_URL"] == "postgresql://u:pw-db-db@dpg-db-db-a/db"
    # libpq's parts of the same string: the password stays secret, the rest reads plainly.
    assert {k: v for k, v in built.value["env"].items() if k.startswith("PG")} == {
        "PGHOST": "dpg-db-db-a",
        "PGPORT": "5432",
        "PGUSER": "u",
        "PGPASSWORD": "pw-db-db",
        "PGDATABASE": "db",
    }
    assert built.value["secret"] == {
        "DATABASE_URL": True,
        "PGHOST": False,
        "PGPORT": False,
        "PGUSER": False,
        "PGPASSWORD": True,
        "PGDATABASE": False,
    }


def test_render_env_is_the_external_url_when_a_consumer_is_elsewhere() -> None:
    env = render_env(region="frankfurt")
    built, _db = build_spec(env)
    assert built.value["env"]["DATABASE_URL"].endswith("@dpg-db-db.render.com/db")


def test_only_render_services_in_the_same_region_reach_the_private_network() -> None:
    env = render_env()
    assert private_network_reaches(env, "db", "oregon") is True
    assert private_network_reaches(env, "db", "ohio") is False
    fly = environment(
        region="oregon",
        postgres={"db": {"provider": "render", "plan": "basic_256mb"}},
        services={
            "api": {"kind": "web", "platform": "fly", "size": "shared-cpu-1x", "links": ["db"]}
        },
    )
    assert private_network_reaches(fly, "db", "oregon") is False


def test_render_refuses_an_allow_list_entry_that_is_no_cidr() -> None:
    args = PostgresArgs(
        name="x",
        provider=RenderPostgres(plan="basic_256mb", ip_allow_list=(AllowedCidr(cidr="office"),)),
    )
    lead = r"Postgres 'db': provider\.ip_allow_list\[0\]\.cidr: 'office' is not a CIDR"
    with pytest.raises(ArgsError, match=lead):
        Postgres("db", args)


class ReservedSecrets:
    """A link target offering a name Supabase keeps for itself."""

    pulumi_resource_name = "functions"

    def env(self) -> dict[str, pulumi.Output[str]]:
        return {"SUPABASE_URL": pulumi.Output.secret("x")}


SUPABASE: dict[str, Any] = {"organization": "o", "plan": "free"}


@pytest.mark.parametrize(
    ("provider", "line"),
    [
        (
            Supabase(**SUPABASE, pooler="statement"),  # type: ignore[arg-type]
            "provider.pooler: 'statement' is not allowed; allowed: transaction, session",
        ),
        (
            Supabase(**SUPABASE, function_secrets=[ReservedSecrets()]),
            "provider.function_secrets: SUPABASE_URL: names starting with SUPABASE_ are reserved",
        ),
        (
            Supabase(organization="o", plan="free", instance_size="small"),
            "provider.instance_size: 'small' needs a paid plan; the free plan runs 'nano' only",
        ),
        (
            Supabase(organization="o", plan="pro", pitr_days=7),
            "provider.pitr_days: point-in-time recovery needs instance_size 'small' or larger",
        ),
        (
            Supabase(organization="acme corp", plan="pro"),
            "provider.organization: 'acme corp' is not a slug",
        ),
        (
            RenderPostgres(plan="basic_256mb", high_availability=True),
            "provider.high_availability: is not supported by the Render Postgres provider",
        ),
    ],
)
def test_invalid_args_fail_as_one_line_before_any_resource(
    provider: Supabase | RenderPostgres, line: str
) -> None:
    with pytest.raises(ArgsError) as caught:
        build(lambda: Postgres("db", PostgresArgs(name="x", provider=provider)))
    assert any(
        reported.startswith(f"Postgres 'db': {line}") for reported in str(caught.value).splitlines()
    ), str(caught.value)


def test_python_and_a_stack_file_default_to_the_same_supabase_region() -> None:
    from_python = Supabase(organization="o", plan="free")
    env = environment(
        postgres={"db": {"provider": "supabase", "organization": "o", "plan": "free"}}
    )
    env = env.model_copy(update={"region": "oregon"})
    compiled = compile_entry(Entry("postgres", "db", env.postgres["db"]), env)
    assert compiled.args.provider.region == from_python.region == "us-west-2"


def branch_of(**fields: Any) -> EnvironmentSpec:
    return environment(
        postgres={
            "db": {
                "provider": "supabase",
                "organization": "acme",
                "plan": "pro",
                "migrations": "stacks/migrations/wecelebrate",
                "function_secrets": ["functions"],
                "function_env": {"NODE_ENV": "staging"},
                "branch": {"parent_ref": "abcdefghijklmnopqrst", **fields},
            }
        },
        secrets={"functions": {"generated": {"API_KEY": {"bytes": 32}}}},
    )


def test_a_branch_is_made_of_the_parent_and_migrations_and_secrets_apply_to_the_branch() -> None:
    built, _db = build_spec(
        branch_of(name="pr-1", git_branch="feature/x"), links=[Link(FakeSecrets())]
    )
    mocks = built.mocks
    assert mocks.of_type("supabase:Project") == []
    branch = mocks.one("supabase:Branch", "db-branch").inputs
    assert (branch["parent_ref"], branch["name"], branch["git_branch"]) == (
        "abcdefghijklmnopqrst",
        "pr-1",
        "feature/x",
    )
    assert (branch["persistent"], branch["with_data"]) == (False, False)
    migrations = mocks.one("supabase:Migrations", "db-migrations")
    assert migrations.inputs["project_ref"] == "brdb-branch"
    secrets = mocks.one("supabase:FunctionSecrets", "db-function-secrets").inputs
    assert secrets["project_ref"] == "brdb-branch"
    assert secret_input(secrets["values"]) == {
        "NODE_ENV": "staging",
        "API_KEY": "k-123",
        "SENTRY_DSN": "d",
    }


def test_a_branch_links_give_its_own_database_pooler_url_and_keys() -> None:
    env = branch_of()
    built, _db = build_spec(env, links=[Link(FakeSecrets())])
    given = built.value["env"]
    assert tuple(given) == provided_env(env, "db")
    assert given["DATABASE_URL"] == (
        "postgresql://postgres:pw-db-branch@db.brdb-branch.supabase.co:5432/postgres"
    )
    assert given["DATABASE_POOLER_URL"].startswith("postgresql://postgres.brdb-branch:")
    assert given["SUPABASE_URL"] == "https://brdb-branch.supabase.co"
    assert given["SUPABASE_ANON_KEY"] == "anon-db-branch"
    assert given["SUPABASE_SERVICE_ROLE_KEY"] == "service-db-branch"
    assert built.value["secret"]["DATABASE_URL"] is True
    # Undeclared, the branch takes the database's vendor-side name.
    assert built.mocks.one("supabase:Branch", "db-branch").inputs["name"] == "shop-db"


def test_plain_function_variables_need_no_link_and_go_to_the_project() -> None:
    env = environment(
        postgres={
            "db": {
                "provider": "supabase",
                "organization": "acme",
                "plan": "free",
                "function_env": {"NODE_ENV": "production", "LOG_LEVEL": "info"},
            }
        }
    )
    built, _db = build_spec(env)
    secrets = built.mocks.one("supabase:FunctionSecrets", "db-function-secrets").inputs
    assert secrets["project_ref"] == "refdb-project"
    assert secret_input(secrets["values"]) == {"NODE_ENV": "production", "LOG_LEVEL": "info"}


@pytest.mark.parametrize(
    ("provider", "line"),
    [
        (
            Supabase(organization="o", plan="free", branch=SupabaseBranchOf(parent_ref="a" * 20)),
            "provider.branch: Supabase branching needs a paid plan (pro, team or enterprise); "
            "got 'free'",
        ),
        (
            Supabase(organization="o", plan="pro", branch=SupabaseBranchOf(parent_ref="ABC")),
            "provider.branch.parent_ref: 'ABC'",
        ),
        (
            Supabase(organization="o", plan="pro", function_env={"SUPABASE_X": "1"}),
            "provider.function_env.SUPABASE_X: names starting with SUPABASE_ are reserved",
        ),
        (
            Supabase(
                organization="o",
                plan="pro",
                function_env={"API_KEY": "plain"},
                function_secrets=[FakeSecrets()],
            ),
            "provider.function_env.API_KEY: is also given by a function_secrets link",
        ),
    ],
)
def test_branch_and_function_variable_mistakes_are_one_line_before_any_resource(
    provider: Supabase, line: str
) -> None:
    with pytest.raises(ArgsError) as caught:
        build(lambda: Postgres("db", PostgresArgs(name="x", provider=provider)))
    assert any(
        reported.startswith(f"Postgres 'db': {line}") for reported in str(caught.value).splitlines()
    ), str(caught.value)
