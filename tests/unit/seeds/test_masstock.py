"""Seed 000 "MasStock Backend - Deployment Guide" (docs/guides/000-masstock.md),
step by step, against the program run with ``stacks/Pulumi.masstock.yaml`` (the guide's MVP, free
plans where the APIs allow them) and ``stacks/Pulumi.masstock-production.yaml`` (its "Production"
cost estimate). Each test quotes the guide's line(s); line numbers are the seed file's.
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
def mvp() -> Deployed:
    return deploy("masstock")


@pytest.fixture(scope="module")
def production() -> Deployed:
    return deploy("masstock-production")


def test_both_stack_files_validate_and_the_program_exports_urls_costs_and_connections(
    mvp: Deployed, production: Deployed
) -> None:
    # The issue: "config validates and the program runs under mocks". Neither stack needs a
    # secret set by hand: JWT_SECRET is generated, Supabase and Upstash credentials are linked.
    for run in (mvp, production):
        assert load_stack(run.stack, STACKS).name == run.stack  # check_secrets on: none needed
        assert run.secret_keys == [] == stack_file_lists(run.stack)
        assert set(run.outputs) == {
            "environment",
            "urls",
            "releases",
            "monthlyCostUsd",
            "monthlyCostBreakdown",
            "connections",
            "DATABASE_URL",
            "REDIS_URL",
        }
        assert run.outputs["environment"] == run.stack
        assert run.secret_outputs == {"connections", "DATABASE_URL", "REDIS_URL"}


def test_step_1_1_a_supabase_project_in_the_region_closest_to_the_users(
    mvp: Deployed, production: Deployed
) -> None:
    """Step 1.1 (lines 16-19): 'Click "New Project"', 'Name: `masstock-production`',
    'Database Password: Generate strong password (save it!)', 'Region: Choose closest to your
    users'."""
    project = mvp.inputs("supabase:Project")
    assert project == {
        "name": "masstock-db",
        "organization_id": "masstock",
        "region": "eu-central-1",  # region: frankfurt, a French team
    }
    # No password is sent: the provider draws a strong one and keeps it as a secret output.
    assert "database_password" not in project
    # Vendor names are <stack>-<component>: the production stack's project is the guide's
    # "masstock-production" plus the component name.
    assert production.inputs("supabase:Project")["name"] == "masstock-production-db"


def test_step_1_2_the_project_url_and_both_keys_reach_the_services_as_secrets(
    mvp: Deployed,
) -> None:
    """Step 1.2 (lines 26-28): '**Project URL** (`SUPABASE_URL`)', '**anon public** key
    (`SUPABASE_ANON_KEY`)', '**service_role** key (`SUPABASE_SERVICE_ROLE_KEY`)'."""
    project = mvp.one("supabase:Project").outputs
    for service in ("backend", "worker"):
        env = mvp.env_vars(service)
        assert env["SUPABASE_URL"] == project["api_url"]
        assert env["SUPABASE_ANON_KEY"] == project["anon_key"]
        assert env["SUPABASE_SERVICE_ROLE_KEY"] == project["service_role_key"]
        assert is_secret(mvp.one("render:Service", f"{service}-service").inputs["env_vars"])


def test_step_1_3_migrations_001_to_003_are_applied_in_order_before_the_services_deploy(
    mvp: Deployed,
) -> None:
    """Step 1.3 (lines 34-37): 'Copy content from `database/migrations/001_create_tables.sql`',
    'Click "Run"', 'Repeat for `002_row_level_security.sql`', 'Repeat for
    `003_seed_data.sql`'."""
    migrations = mvp.inputs("supabase:Migrations")
    assert migrations["project_ref"] == mvp.one("supabase:Project").outputs["ref"]
    assert Path(migrations["folder"]) == STACKS / "migrations" / "masstock"
    files, _ = read_folder(migrations["folder"])  # what the provider applies, in this order
    assert list(files) == [
        "001_create_tables.sql",
        "002_row_level_security.sql",
        "003_seed_data.sql",
    ]
    # Step 3 comes after step 1: both services wait for the migrations.
    assert mvp.waits_for(WEB, "backend") == {"db-migrations"}
    assert mvp.waits_for(WORKER, "worker") == {"db-migrations"}


def test_step_2_option_a_upstash_database_masstock_queue_in_the_supabase_region(
    mvp: Deployed,
) -> None:
    """Step 2, option A (lines 74-77): 'Create Redis Database', 'Name: `masstock-queue`',
    'Region: Same as Supabase', 'Type: Regional'."""
    queue = mvp.inputs("upstash:RedisDatabase")
    assert queue["name"] == "masstock-queue"
    assert queue["primary_region"] == mvp.inputs("supabase:Project")["region"] == "eu-central-1"
    assert queue["plan"] == "free"  # "Upstash (Recommended - Free Tier)" (line 70)
    assert "read_regions" not in queue  # Regional: no read replicas elsewhere
    assert queue["eviction"] is False  # a job queue must not lose jobs


def test_step_2_redis_host_port_and_password_reach_the_services(mvp: Deployed) -> None:
    """Step 2 (lines 78-81): 'Copy connection details: `REDIS_HOST`, `REDIS_PORT`,
    `REDIS_PASSWORD`'."""
    queue = mvp.one("upstash:RedisDatabase").outputs
    for service in ("backend", "worker"):
        env = mvp.env_vars(service)
        assert env["REDIS_HOST"] == queue["endpoint"]
        assert env["REDIS_PORT"] == str(queue["port"])
        assert env["REDIS_PASSWORD"] == queue["password"]
        assert "REDIS_URL" not in env  # the guide's app reads the three parts only


def test_step_3_2_render_web_service_masstock_backend_with_npm_install_and_npm_start(
    mvp: Deployed,
) -> None:
    """Step 3.2 (lines 109-118): 'Click "New +" > "Web Service"', 'Connect your GitHub
    repository', '**Name:** `masstock-backend`', '**Environment:** Node', '**Region:** Same as
    Supabase', '**Branch:** main', '**Build Command:** `npm install`', '**Start Command:** `npm
    start`', '**Plan:** Free'."""
    backend = mvp.inputs("render:Service", "backend-service")
    assert backend["type"] == "web"
    assert backend["name"] == "masstock-backend"
    assert backend["runtime"] == "node"
    assert backend["region"] == "frankfurt"  # Render's site next to Supabase's eu-central-1
    assert backend["branch"] == "main"
    # The repository pushed in step 3.1 (line 102).
    assert backend["repo"] == "https://github.com/your-username/masstock-backend"
    assert (backend["build_command"], backend["start_command"]) == ("npm install", "npm start")
    # Not Free: POST /services creates paid plans only (the stack file says so).
    assert backend["plan"] == "starter"


def test_step_3_2_env_vars_listed_by_the_guide_reach_the_backend(mvp: Deployed) -> None:
    """Step 3.2.5 (lines 120-135): 'Add Environment Variables:' NODE_ENV=production, PORT=3000,
    SUPABASE_URL, SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY (from step 1.2), REDIS_HOST,
    REDIS_PORT, REDIS_PASSWORD (from step 2), JWT_SECRET, RATE_LIMIT_WINDOW_MS=60000,
    RATE_LIMIT_MAX_REQUESTS=100, LOG_LEVEL=info, CORS_ORIGIN=*."""
    literal = {
        "NODE_ENV": "production",
        "PORT": "3000",
        "RATE_LIMIT_WINDOW_MS": "60000",
        "RATE_LIMIT_MAX_REQUESTS": "100",
        "LOG_LEVEL": "info",
        "CORS_ORIGIN": "*",
    }
    linked = [
        "SUPABASE_URL",
        "SUPABASE_ANON_KEY",
        "SUPABASE_SERVICE_ROLE_KEY",
        "REDIS_HOST",
        "REDIS_PORT",
        "REDIS_PASSWORD",
        "JWT_SECRET",
    ]
    env = mvp.env_vars("backend")
    assert set(env) == {*literal, *linked}  # exactly the guide's list, nothing more
    assert {name: env[name] for name in literal} == literal
    assert all(env[name] for name in linked)


def test_step_3_2_jwt_secret_is_a_strong_random_key_shared_by_api_and_worker(
    mvp: Deployed,
) -> None:
    """Step 3.2 (line 130): 'JWT_SECRET=<generate-strong-random-key>'; step 6 (line 271):
    'JWT_SECRET is random and secure'; troubleshooting (line 336): 'Verify JWT_SECRET matches
    between deployments'."""
    drawn = mvp.inputs("generated:GeneratedSecret", "app-JWT_SECRET")
    assert (drawn["length_bytes"], drawn["encoding"]) == (32, "hex")
    value = mvp.one("generated:GeneratedSecret", "app-JWT_SECRET").outputs["value"]
    assert mvp.env_vars("backend")["JWT_SECRET"] == value == mvp.env_vars("worker")["JWT_SECRET"]
    assert len(value) == 64


def test_step_3_3_background_worker_masstock_worker_runs_npm_run_worker(mvp: Deployed) -> None:
    """Step 3.3 (lines 143-151): 'Click "New +" > "Background Worker"', 'Connect same
    repository', '**Name:** `masstock-worker`', '**Environment:** Node', '**Branch:** main',
    '**Build Command:** `npm install`', '**Start Command:** `npm run worker`', '**Plan:**
    Free'."""
    worker = mvp.inputs("render:Service", "worker-service")
    backend = mvp.inputs("render:Service", "backend-service")
    assert worker["type"] == "worker"
    assert worker["name"] == "masstock-worker"
    assert (worker["runtime"], worker["branch"], worker["repo"]) == (
        "node",
        "main",
        backend["repo"],
    )
    assert (worker["build_command"], worker["start_command"]) == ("npm install", "npm run worker")
    assert "health_check_path" not in worker  # a worker serves no HTTP
    # Not Free: Render sells no free background workers (render.com/docs/free).
    assert worker["plan"] == "starter"


def test_step_3_3_the_worker_gets_the_same_environment_variables_as_the_web_service(
    mvp: Deployed,
) -> None:
    """Step 3.3 (line 153): 'Add same environment variables as Web Service'."""
    assert mvp.env_vars("worker") == mvp.env_vars("backend")


def test_step_4_1_health_check_path_is_health_on_the_exported_service_url(mvp: Deployed) -> None:
    """Step 3.2 (line 139): 'Copy the service URL: `https://masstock-backend.onrender.com`';
    step 4.1 (line 161): 'curl https://masstock-backend.onrender.com/health'."""
    assert mvp.inputs("render:Service", "backend-service")["health_check_path"] == "/health"
    assert mvp.outputs["urls"] == {"backend": "https://masstock-backend.onrender.com"}


def test_cost_estimates_mvp_is_free_except_the_two_render_services(mvp: Deployed) -> None:
    """Cost Estimates, MVP (lines 376-381): 'Supabase: Free ($0)', 'Render Web Service: Free
    ($0)', 'Render Worker: Free ($0)', 'Upstash Redis: Free ($0)', '**Total: $0/month**'.

    Deliberate difference: both Render services are Starter ($7 each), see steps 3.2 and 3.3."""
    assert mvp.outputs["monthlyCostBreakdown"] == {
        "render workspace": 0,
        "backend": 7,
        "worker": 7,
        "db": 0,
        "queue": 0,
    }
    assert mvp.outputs["monthlyCostUsd"] == 14


def test_cost_estimates_production_is_about_49_dollars_a_month(production: Deployed) -> None:
    """Cost Estimates, Production (lines 383-388): 'Supabase Pro: $25/mo', 'Render Starter:
    $7/mo', 'Render Worker: $7/mo', 'Upstash: $10/mo', '**Total: ~$49/month**'."""
    assert production.outputs["monthlyCostBreakdown"] == {
        "render workspace": 0,
        "db": 25,
        "backend": 7,
        "worker": 7,
        "queue": 10,
    }
    assert production.outputs["monthlyCostUsd"] == 49
    assert production.inputs("upstash:RedisDatabase")["plan"] == "fixed_250mb"
    assert production.inputs("render:Service", "backend-service")["plan"] == "starter"


def test_production_keeps_its_data_protected_and_its_names_apart_from_the_mvp(
    mvp: Deployed, production: Deployed
) -> None:
    """Backup Strategy (lines 410-417): 'Database: Supabase automatic backups (daily)';
    'Redis: ... Upstash persistence enabled'. The production stack protects the project, its
    migrations and the queue from deletion; the MVP stack protects nothing."""
    assert production.protected() == {"db-project", "db-migrations", "queue-db"}
    assert mvp.protected() == set()
    assert production.names("render:Service") == mvp.names("render:Service")
    assert {r.inputs["name"] for r in production.of_type("render:Service")} == {
        "masstock-production-backend",
        "masstock-production-worker",
    }


def test_steps_the_stack_does_not_model_declare_nothing(mvp: Deployed) -> None:
    """Not modelled, on purpose:

    - 1.4 / 1.5 (lines 39-66) "Create Admin User", "Create Estee Client User": accounts and
      UPDATEs of application data, not infrastructure (no Supabase Auth user resource).
    - 2, option B (lines 83-90) "Render Redis": the stack takes option A (Upstash).
    - 3.1 (lines 94-104) "Push Code to GitHub": the repository is the user's.
    - 4.2-4.5 (lines 175-227) login and workflow tests, 5 (lines 229-250) monitoring, 6
      (lines 252-271) the checklist, 7 (lines 273-314) handoff: checks and documents.
    - "Scale (10,000 executions/day)" (lines 390-395): a future plan, not a stack.

    So the program declares exactly these kinds of resources and nothing else."""
    assert mvp.types() == {
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
        "pulumi-python:dynamic/supabase:DatabaseConfig",  # the pooler (transaction mode)
        "pulumi-python:dynamic/upstash:RedisDatabase",
        "pulumi-python:dynamic/render:Service",
    }
    assert not mvp.of_type("render:KeyValue")
    assert mvp.mocks.calls == []  # no DNS lookups: no custom domain in the guide
