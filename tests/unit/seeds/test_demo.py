"""``stacks/Pulumi.demo.yaml``, the sandbox demo: a MasStock-like environment modelled on seed 000
"MasStock Backend - Deployment Guide" (docs/guides/000-masstock.md) that runs
entirely against the offline sandbox (``make demo``). Each test names the seed 000 step it
mirrors and quotes it (line numbers are the seed file's); where the demo deliberately differs
from the guide, the test says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from paas_stacks.components.spec import load_stack
from paas_stacks.providers.supabase.migrations import read_folder
from tests.unit.seeds.support import (
    STACKS,
    Deployed,
    deploy,
    is_secret,
    stack_file_lists,
)

WEB = "paas:components:WebService"
WORKER = "paas:components:Worker"


@pytest.fixture(scope="module")
def demo() -> Deployed:
    return deploy("demo")


def test_the_stack_file_validates_and_needs_no_secret_set_by_hand(demo: Deployed) -> None:
    # The stack file: "No secret needs to be set by hand" (`make demo` runs it as it is).
    assert load_stack("demo", STACKS).name == "demo"  # check_secrets on
    assert demo.secret_keys == [] == stack_file_lists("demo")
    assert set(demo.outputs) == {
        "environment",
        "urls",
        "releases",
        "monthlyCostUsd",
        "monthlyCostBreakdown",
        "connections",
        "DATABASE_URL",
        "REDIS_URL",
    }
    assert demo.secret_outputs == {"connections", "DATABASE_URL", "REDIS_URL"}


def test_offline_mode_leaves_nothing_out_of_the_demo(demo: Deployed) -> None:
    # __main__.py: "paas-stacks:offline: true builds only what runs without bridged providers".
    # The demo is all sandbox-backed: offline, it declares the very same resources.
    offline = deploy("demo", {"paas-stacks:offline": "true"})
    assert "leftOut" not in offline.outputs
    assert sorted((r.type, r.name) for r in offline.mocks.resources) == sorted(
        (r.type, r.name) for r in demo.mocks.resources
    )


def test_step_1_1_a_supabase_project_in_the_sandbox_organization(demo: Deployed) -> None:
    """Seed 000 step 1.1 (lines 16-19): 'Click "New Project"', 'Region: Choose closest to your
    users'. The organization is the sandbox's, so the default sandbox tokens reach it."""
    assert demo.inputs("supabase:Project") == {
        "name": "demo-db",
        "organization_id": "acme-sandbox-org",
        "region": "eu-central-1",
    }


def test_step_1_3_the_demo_schema_and_its_seed_are_applied_before_the_services_deploy(
    demo: Deployed,
) -> None:
    """Seed 000 step 1.3 (lines 34-37): 'Copy content from `001_create_tables.sql`', 'Click
    "Run"', ... 'Repeat for `003_seed_data.sql`'. The demo has two files of its own; its seed
    inserts the guide's Estee client (step 1.5, line 58: `contact@estee-agency.com`)."""
    migrations = demo.inputs("supabase:Migrations")
    assert Path(migrations["folder"]) == STACKS / "migrations" / "demo"
    files, sources = read_folder(migrations["folder"])
    assert list(files) == ["001_create_tables.sql", "002_seed_data.sql"]
    assert "contact@estee-agency.com" in sources["002_seed_data.sql"]
    assert demo.waits_for(WEB, "api") == {"db-migrations"}
    assert demo.waits_for(WORKER, "worker") == {"db-migrations"}


def test_step_2_option_a_an_upstash_database_next_to_the_project(demo: Deployed) -> None:
    """Seed 000 step 2, option A (lines 74-77): 'Create Redis Database', 'Region: Same as
    Supabase', 'Type: Regional'."""
    cache = demo.inputs("upstash:RedisDatabase")
    assert (cache["name"], cache["plan"]) == ("demo-cache", "free")
    assert cache["primary_region"] == demo.inputs("supabase:Project")["region"]
    assert "read_regions" not in cache


def test_step_3_2_render_web_service_with_npm_install_npm_start_and_health(
    demo: Deployed,
) -> None:
    """Seed 000 step 3.2 (lines 112-117): 'Environment: Node', 'Region: Same as Supabase',
    'Branch: main', 'Build Command: `npm install`', 'Start Command: `npm start`'; step 4.1
    (line 161): '/health'."""
    api = demo.inputs("render:Service", "api-service")
    assert (api["name"], api["type"], api["runtime"]) == ("demo-api", "web", "node")
    assert (api["region"], api["branch"], api["plan"]) == ("frankfurt", "main", "starter")
    assert (api["build_command"], api["start_command"]) == ("npm install", "npm start")
    assert api["health_check_path"] == "/health"
    assert demo.outputs["urls"] == {"api": "https://demo-api.onrender.com"}


def test_step_3_2_the_api_gets_the_database_cache_keys_and_secrets_as_one_secret_map(
    demo: Deployed,
) -> None:
    """Seed 000 step 3.2.5 (lines 121-135): NODE_ENV=production, PORT=3000, the SUPABASE_*
    values, JWT_SECRET, LOG_LEVEL=info. The demo's app reads DATABASE_URL and REDIS_URL (its
    queue takes one URL) instead of the guide's REDIS_HOST/PORT/PASSWORD."""
    env = demo.env_vars("api")
    assert set(env) == {
        "NODE_ENV",
        "PORT",
        "LOG_LEVEL",
        "DATABASE_URL",
        "SUPABASE_URL",
        "SUPABASE_ANON_KEY",
        "SUPABASE_SERVICE_ROLE_KEY",
        "REDIS_URL",
        "JWT_SECRET",
        "SESSION_SECRET",
    }
    assert (env["NODE_ENV"], env["PORT"], env["LOG_LEVEL"]) == ("production", "3000", "info")
    assert env["DATABASE_URL"] == demo.one("supabase:Project").outputs["database_url"]
    assert env["REDIS_URL"] == demo.one("upstash:RedisDatabase").outputs["redis_url"]
    assert is_secret(demo.one("render:Service", "api-service").inputs["env_vars"])


def test_step_3_3_background_worker_runs_npm_run_worker_with_what_it_needs(
    demo: Deployed,
) -> None:
    """Seed 000 step 3.3 (lines 146-153): 'Start Command: `npm run worker`', 'Add same
    environment variables as Web Service'. The demo's worker gets only what it reads: the
    database, the queue and the shared secrets."""
    worker = demo.inputs("render:Service", "worker-service")
    assert (worker["name"], worker["type"]) == ("demo-worker", "worker")
    assert (worker["build_command"], worker["start_command"]) == ("npm install", "npm run worker")
    assert "health_check_path" not in worker
    env = demo.env_vars("worker")
    assert set(env) == {"NODE_ENV", "DATABASE_URL", "REDIS_URL", "JWT_SECRET", "SESSION_SECRET"}
    api = demo.env_vars("api")
    assert {name: api[name] for name in env} == env  # the same values as the API's


def test_step_3_2_jwt_and_session_secrets_are_generated(demo: Deployed) -> None:
    """Seed 000 step 3.2 (line 130): 'JWT_SECRET=<generate-strong-random-key>'."""
    drawn = {
        r.name: (r.inputs["length_bytes"], r.inputs["encoding"])
        for r in demo.of_type("generated:GeneratedSecret")
    }
    assert drawn == {
        "app-secrets-JWT_SECRET": (32, "hex"),
        "app-secrets-SESSION_SECRET": (32, "urlsafe"),
    }


def test_cost_is_the_two_render_services_and_nothing_is_protected(demo: Deployed) -> None:
    """Seed 000 Cost Estimates, MVP (lines 376-381): free Supabase and Upstash; the two Render
    services are Starter (the Render API creates paid plans only), in a free Hobby workspace
    (nothing autoscales). The demo is not a production stack: nothing is protected, so `pulumi
    destroy` cleans the sandbox."""
    assert demo.outputs["monthlyCostBreakdown"] == {
        "render workspace": 0,
        "api": 7,
        "worker": 7,
        "db": 0,
        "cache": 0,
    }
    assert demo.outputs["monthlyCostUsd"] == 14
    assert demo.protected() == set()


def test_what_the_demo_leaves_out_declares_nothing(demo: Deployed) -> None:
    """Not in the demo, on purpose: seed 000 steps 1.4 / 1.5 user accounts (lines 39-66), step
    3.1 pushing code (lines 94-104), steps 4-7 checks and handoff (lines 156-314): and nothing
    bridged (no AWS, Cloudflare, GitHub or Vercel), so it runs against the sandbox alone."""
    assert demo.types() == {
        "paas:components:Environment",
        "pulumi-python:dynamic/owner:StackOwner",
        "paas:components:SecretSet",
        "paas:components:Postgres",
        "paas:components:Redis",
        WEB,
        WORKER,
        "pulumi-python:dynamic/generated:GeneratedSecret",
        "pulumi-python:dynamic/supabase:Project",
        "pulumi-python:dynamic/supabase:Migrations",
        "pulumi-python:dynamic/supabase:DatabaseConfig",
        "pulumi-python:dynamic/upstash:RedisDatabase",
        "pulumi-python:dynamic/render:Service",
    }
    assert demo.mocks.calls == []
