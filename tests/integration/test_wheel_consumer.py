"""Pulumi projects elsewhere, with paas-stacks installed from a wheel: one uses a provider's
resource, one builds a whole environment from the components in Python code (no stack file),
importing only the public surface (``from paas_stacks import ...``).

The state records each provider as a pickled reference to ``paas_stacks.providers...``; this
proves the reference resolves in a consumer's virtualenv, where the repository is nowhere on the
path.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import psycopg
import pytest
import redis
from pulumi import automation as auto

from sandbox import Sandbox
from tests.conftest import EngineFactory
from tests.engine import EngineRun
from tests.wheels import build_wheel, consumer_project, consumer_venv, current_source

pytestmark = pytest.mark.engine

PROGRAM = """\
import pulumi
import paas_stacks.providers
from paas_stacks.providers.upstash import RedisDatabase

database = RedisDatabase("cache", name="from-a-wheel", primary_region="us-east-1")
pulumi.export("provider_module", paas_stacks.providers.__file__)
pulumi.export("database_id", database.database_id)
"""


COMPONENTS_PROGRAM = """\
import sys

import pulumi
from paas_stacks import (
    Generate, Link, Postgres, PostgresArgs, Redis, RedisArgs, Render, SecretSet, SecretSetArgs,
    Supabase, Upstash, WebService, WebServiceArgs, Worker, WorkerArgs,
)

secrets = SecretSet(
    "app-secrets", SecretSetArgs(generated={"JWT_SECRET": Generate(bytes=32, encoding="hex")})
)
db = Postgres("db", PostgresArgs(name="shop-db", provider=Supabase(
    organization="acme-sandbox-org", plan="free", region="eu-central-1",
    migrations="migrations")))
cache = Redis("cache", RedisArgs(name="shop-cache", provider=Upstash(
    plan="payg", region="eu-central-1")))
links = [Link(db, only=["DATABASE_URL"]), Link(cache, only=["REDIS_URL"]), secrets]
code = dict(plan="starter", runtime="node", region="frankfurt",
            repo="https://github.com/acme/shop", build_command="npm ci")
after_migrations = pulumi.ResourceOptions(depends_on=[db.ready])
api = WebService("api", WebServiceArgs(
    name="shop-api", platform=Render(start_command="npm start", **code),
    health_check_path="/health", links=links), opts=after_migrations)
Worker("jobs", WorkerArgs(
    name="shop-jobs", platform=Render(start_command="npm run jobs", **code), links=links),
    opts=after_migrations)
pulumi.export("components_module", sys.modules[WebService.__module__].__file__)
pulumi.export("url", api.url)
pulumi.export("DATABASE_URL", db.env()["DATABASE_URL"])
pulumi.export("REDIS_URL", cache.env()["REDIS_URL"])
"""


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(current_source(tmp), tmp / "dist")
    # The wheel carries the legacy aliases' .pth to the top of site-packages.
    assert "paas_stacks_legacy.pth" in zipfile.ZipFile(wheel).namelist()
    return consumer_venv(tmp, wheel)


def test_a_consumer_project_uses_the_providers_from_an_installed_wheel(
    tmp_path: Path, wheel_venv: Path, engine: type[EngineFactory], engine_sandbox: Sandbox
) -> None:
    before = engine_sandbox.objects()
    project = consumer_project(tmp_path / "consumer", wheel_venv, PROGRAM)
    stack = auto.create_stack("consumer", work_dir=str(project))
    try:
        result = stack.up(on_output=lambda _line: None)
        module = result.outputs["provider_module"].value
        assert module.startswith(str(wheel_venv)), f"providers came from {module}, not the wheel"
        assert result.outputs["database_id"].value
        # The stack, its StackOwner and the database.
        assert stack.preview(on_output=lambda _line: None).change_summary == {"same": 3}
        EngineRun(stack, engine_sandbox).assert_no_leak()
    finally:
        stack.destroy(on_output=lambda _line: None)
        stack.workspace.remove_stack("consumer")
    assert engine_sandbox.objects() == before


def test_a_consumer_project_builds_an_environment_from_components_in_python(
    tmp_path: Path, wheel_venv: Path, engine: type[EngineFactory], engine_sandbox: Sandbox
) -> None:
    before = engine_sandbox.objects()
    project = consumer_project(tmp_path / "shop", wheel_venv, COMPONENTS_PROGRAM)
    (project / "migrations").mkdir()
    (project / "migrations" / "001_orders.sql").write_text(
        "create table orders (id bigserial primary key, total_cents integer not null);\n"
    )
    stack = auto.create_stack("shop", work_dir=str(project))
    try:
        result = stack.up(on_output=lambda _line: None)
        outputs = {key: value.value for key, value in result.outputs.items()}
        assert outputs["components_module"].startswith(str(wheel_venv))
        assert outputs["url"] == "https://shop-api.onrender.com"
        with psycopg.connect(outputs["DATABASE_URL"], connect_timeout=10) as conn:
            assert conn.execute("select count(*) from orders").fetchone() == (0,)
        assert redis.Redis.from_url(outputs["REDIS_URL"], socket_timeout=5).ping()
        summary = {
            str(k): v for k, v in stack.preview(on_output=lambda _line: None).change_summary.items()
        }
        assert set(summary) == {"same"}, f"a second run would change {summary}"
        assert summary["same"] > 5
        EngineRun(stack, engine_sandbox).assert_no_leak()
    finally:
        stack.destroy(on_output=lambda _line: None)
        stack.workspace.remove_stack("shop")
    assert engine_sandbox.objects() == before
