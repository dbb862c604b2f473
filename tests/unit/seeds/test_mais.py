"""Seed 002 "MAIS Deployment & Operations Guide" (docs/guides/002-mais.md),
section by section, against the program run with ``stacks/Pulumi.mais-staging.yaml`` and
``stacks/Pulumi.mais-production.yaml`` (which extends it): Express API and background jobs on
Render, Supabase Postgres (Prisma), Upstash Redis (BullMQ), Next.js on Vercel. Each test quotes
the guide's line(s); line numbers are the seed file's.
"""

from __future__ import annotations

import re

import pytest

from paas_stacks.components.spec import load_stack
from paas_stacks.components.spec.cost import estimate
from tests.unit.seeds.support import (
    STACKS,
    Deployed,
    deploy,
    dummy,
    is_secret,
    stack_file_lists,
)

VERCEL = "vercel:index/project:Project"
HEX_32_BYTES = re.compile(r"^[0-9a-f]{64}$")  # `openssl rand -hex 32`
#: "Required for All Environments" (lines 43-46).
REQUIRED = ["NODE_ENV", "DATABASE_URL", "JWT_SECRET", "BOOKING_TOKEN_SECRET"]
#: "Production-Only Required" (lines 52-56) -> the config key each comes from (None: generated).
PRODUCTION_ONLY = {
    "STRIPE_SECRET_KEY": "stripeSecretKey",
    "STRIPE_WEBHOOK_SECRET": "stripeWebhookSecret",
    "POSTMARK_SERVER_TOKEN": "postmarkServerToken",
    "TENANT_SECRETS_ENCRYPTION_KEY": None,
    "SENTRY_DSN": "sentryDsn",
}
#: "Optional (with Defaults)" (lines 62-66).
OPTIONAL = ["ADAPTERS_PRESET", "API_PORT", "DATABASE_POOL_SIZE", "CORS_ORIGIN", "LOG_LEVEL"]


@pytest.fixture(scope="module")
def staging() -> Deployed:
    return deploy("mais-staging")


@pytest.fixture(scope="module")
def production() -> Deployed:
    return deploy("mais-production")


def test_both_stack_files_validate_and_name_the_secrets_to_set(
    staging: Deployed, production: Deployed
) -> None:
    # The issue: "config validates and the program runs under mocks". Staging needs no secret
    # (ADAPTERS_PRESET=mock calls no vendor); production needs the four vendor keys.
    assert load_stack("mais-staging", STACKS).name == "mais-staging"
    assert staging.secret_keys == [] == stack_file_lists("mais-staging")
    assert production.secret_keys == stack_file_lists("mais-production")
    assert production.secret_keys == sorted(k for k in PRODUCTION_ONLY.values() if k)
    for run in (staging, production):
        assert run.secret_outputs == {"connections", "DATABASE_URL", "REDIS_URL"}
        assert run.outputs["urls"] == {
            "api": f"https://{run.stack}-api.onrender.com",
            "web": f"https://{run.stack}-web.vercel.app",
        }


def test_environment_architecture_vercel_render_supabase_and_upstash(staging: Deployed) -> None:
    """Environment Architecture (lines 16-28): 'VERCEL - Next.js SSR', 'RENDER - Express API -
    Background Jobs - Health Checks', 'SUPABASE - PostgreSQL', 'UPSTASH - Redis Cache - BullMQ
    Queue'."""
    assert staging.names(VERCEL) == ["web-project"]
    services = {r.inputs["name"]: r.inputs["type"] for r in staging.of_type("render:Service")}
    assert services == {"mais-staging-api": "web", "mais-staging-jobs": "worker"}
    assert staging.names("supabase:Project") == ["db-project"]
    assert staging.names("upstash:RedisDatabase") == ["cache-db"]


def test_env_vars_required_for_all_environments_reach_the_api_and_the_jobs(
    staging: Deployed, production: Deployed
) -> None:
    """Required for All Environments (lines 43-46): 'NODE_ENV ... production', 'DATABASE_URL
    ... postgresql://...', 'JWT_SECRET ... openssl rand -hex 32', 'BOOKING_TOKEN_SECRET ...
    openssl rand -hex 32'."""
    for run in (staging, production):
        database_url = run.one("supabase:Project").outputs["database_url"]
        for service in ("api", "jobs"):
            env = run.env_vars(service)
            assert set(REQUIRED) <= set(env)
            assert env["NODE_ENV"] == "production"
            assert env["DATABASE_URL"] == database_url
            assert HEX_32_BYTES.match(env["JWT_SECRET"])
            assert HEX_32_BYTES.match(env["BOOKING_TOKEN_SECRET"])
            assert is_secret(run.one("render:Service", f"{service}-service").inputs["env_vars"])


def test_env_vars_production_only_required_are_set_in_production_and_absent_in_staging(
    staging: Deployed, production: Deployed
) -> None:
    """Production-Only Required (lines 52-56): STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET,
    POSTMARK_SERVER_TOKEN, 'TENANT_SECRETS_ENCRYPTION_KEY | AES-256 key (64 hex chars) |
    openssl rand -hex 32', SENTRY_DSN."""
    for service in ("api", "jobs"):
        env = production.env_vars(service)
        for name, key in PRODUCTION_ONLY.items():
            if key is None:
                assert HEX_32_BYTES.match(env[name]), name
            else:
                assert env[name] == dummy(key), name
        assert not set(PRODUCTION_ONLY) & set(staging.env_vars(service))


def test_env_vars_optional_with_defaults_are_set_on_the_api(
    staging: Deployed, production: Deployed
) -> None:
    """Optional (with Defaults) (lines 62-66): 'ADAPTERS_PRESET | mock', 'API_PORT | 3001',
    'DATABASE_POOL_SIZE | 5', 'CORS_ORIGIN | http://localhost:5173', 'LOG_LEVEL | info'."""
    env = staging.env_vars("api")
    assert set(OPTIONAL) <= set(env)
    assert env["ADAPTERS_PRESET"] == "mock"
    assert (env["API_PORT"], env["DATABASE_POOL_SIZE"]) == ("3001", "5")
    assert env["LOG_LEVEL"] == "info"
    # A deployed API is not called from localhost: both stacks set an https origin.
    assert env["CORS_ORIGIN"].startswith("https://")
    assert production.env_vars("api")["CORS_ORIGIN"].startswith("https://")
    # Render routes to PORT: the declared port is the API_PORT the Express app listens on.
    assert env["PORT"] == env["API_PORT"]
    # The jobs worker serves no HTTP: no port, no CORS.
    assert not {"API_PORT", "PORT", "CORS_ORIGIN"} & set(staging.env_vars("jobs"))


def test_secrets_management_credentials_are_drawn_not_kept_in_env_files(
    production: Deployed,
) -> None:
    """Secrets Management (lines 83-104): 'Rotate All Credentials Immediately', 'openssl rand
    -hex 32  # Generate new JWT_SECRET', 'openssl rand -hex 32  # Generate new
    BOOKING_TOKEN_SECRET', 'Move to Secrets Manager'. Generated secrets are drawn by the stack
    (rotated by bumping their version) and every value reaches Render as a secret map."""
    drawn = {
        r.name: (r.inputs["length_bytes"], r.inputs["encoding"])
        for r in production.of_type("generated:GeneratedSecret")
    }
    assert drawn == {
        "app-JWT_SECRET": (32, "hex"),
        "app-BOOKING_TOKEN_SECRET": (32, "hex"),
        "app-TENANT_SECRETS_ENCRYPTION_KEY": (32, "hex"),
    }


def test_deployment_pipeline_frontend_next_js_on_vercel_from_the_monorepo_root(
    staging: Deployed, production: Deployed
) -> None:
    """Frontend (Next.js) - Vercel (lines 128-133): 'Root Directory: / (NOT apps/web -
    monorepo!)', 'Build Command: npm run build', 'Output Directory: apps/web/.next', 'Node
    Version: 18.x'."""
    for run in (staging, production):
        web = run.inputs(VERCEL)
        assert "rootDirectory" not in web  # the repository root
        assert (web["buildCommand"], web["outputDirectory"]) == ("npm run build", "apps/web/.next")
        assert (web["nodeVersion"], web["framework"]) == ("18.x", "nextjs")
        assert web["gitRepository"] == {
            "type": "github",
            "repo": "your-org/mais",
            "productionBranch": "main",  # "GitHub Push -> Vercel Build" (line 121)
        }
        # The web app reaches this environment's API (the variable name is the stack's choice).
        [variable] = web["environments"]
        assert (variable["key"], variable["value"]) == (
            "NEXT_PUBLIC_API_URL",
            run.outputs["urls"]["api"],
        )
        assert variable["targets"] == ["production", "preview"]


def test_deployment_pipeline_backend_express_on_render_from_server(staging: Deployed) -> None:
    """Backend (Express) - Render (lines 144-148): 'Root Directory: server/', 'Build Command:
    npm install && npm run build', 'Start Command: npm start', 'Health Check Path: /health';
    Health Check Endpoints (line 267): 'GET /health | Liveness | 200 OK'."""
    api = staging.inputs("render:Service", "api-service")
    assert (api["root_dir"], api["runtime"], api["branch"]) == ("server", "node", "main")
    assert api["build_command"] == "npm install && npm run build"
    assert api["start_command"] == "npm start"
    assert api["health_check_path"] == "/health"
    jobs = staging.inputs("render:Service", "jobs-service")
    assert (jobs["root_dir"], jobs["build_command"]) == ("server", api["build_command"])
    assert "health_check_path" not in jobs


def test_database_prisma_migrate_deploy_runs_before_each_api_deploy(
    staging: Deployed, production: Deployed
) -> None:
    """Database (Prisma) - Supabase (lines 157-158): 'Production Deployment: npm exec prisma
    migrate deploy'. Render runs it as the API's pre-deploy command; Prisma owns the schema, so
    the stack applies no SQL folder itself."""
    for run in (staging, production):
        api = run.inputs("render:Service", "api-service")
        assert api["pre_deploy_command"] == "npm exec prisma migrate deploy"
        assert "pre_deploy_command" not in run.inputs("render:Service", "jobs-service")
        assert not run.of_type("supabase:Migrations")
        assert run.waits_for("paas:components:WebService", "api") == {"db-project"}


def test_background_jobs_bullmq_worker_and_api_share_the_upstash_redis(
    staging: Deployed,
) -> None:
    """Architecture (lines 19, 27-28): 'Background Jobs', 'UPSTASH - Redis Cache - BullMQ
    Queue'; Redis (Upstash) (lines 326-327): 'Current: Serverless', 'Scaling: Automatic (pay per
    request)'; Runbook 2 (line 443): 'Check Redis connectivity'."""
    cache = staging.inputs("upstash:RedisDatabase")
    assert (cache["name"], cache["plan"]) == ("mais-staging-cache", "payg")
    assert cache["primary_region"] == staging.inputs("supabase:Project")["region"] == "us-west-2"
    assert cache["eviction"] is False  # BullMQ loses jobs to eviction
    redis_url = staging.one("upstash:RedisDatabase").outputs["redis_url"]
    assert (
        staging.env_vars("api")["REDIS_URL"] == staging.env_vars("jobs")["REDIS_URL"] == redis_url
    )
    jobs = staging.inputs("render:Service", "jobs-service")
    assert (jobs["type"], jobs["start_command"]) == ("worker", "npm run start:jobs")


def test_scaling_configuration_production_api_is_standard_and_autoscales_on_cpu_and_memory(
    staging: Deployed, production: Deployed
) -> None:
    """Express API (Render) (lines 303-308): 'Current: Single instance', 'Scaling: Horizontal
    (add instances)', 'Instance Type: Standard (512 MB, 0.5 CPU)', 'Auto-scaling: Based on
    CPU/memory'."""
    api = production.inputs("render:Service", "api-service")
    assert api["plan"] == "standard"
    assert api["autoscaling"] == {
        "min": 1,
        "max": 3,
        "target_cpu_percent": 70,
        "target_memory_percent": 70,
    }
    current = staging.inputs("render:Service", "api-service")
    assert current["plan"] == "starter"
    assert "autoscaling" not in current
    assert "num_instances" not in current  # one instance


def test_database_supabase_is_the_free_shared_instance_in_staging_and_pro_in_production(
    staging: Deployed, production: Deployed
) -> None:
    """Database (Supabase) (lines 316-320): 'Current: Shared instance (free tier)', 'Scaling:
    Upgrade plan for: Dedicated CPU, More connections, Point-in-time recovery'."""
    assert staging.spec.postgres["db"].plan == "free"
    assert production.spec.postgres["db"].plan == "pro"
    for run in (staging, production):
        project = run.inputs("supabase:Project")
        assert project == {
            "name": f"{run.stack}-db",
            "organization_id": "mais",
            "region": "us-west-2",  # the guide names no region: Render's default, oregon
        }


def test_security_hardening_pre_production_checklist(
    staging: Deployed, production: Deployed
) -> None:
    """Security Hardening Checklist, Pre-Production (lines 394-402): 'All secrets rotated from
    development', '`NODE_ENV=production` set', '`ADAPTERS_PRESET=real` set', 'CORS restricted to
    production domains', 'Sentry DSN configured', 'Database backups enabled'."""
    for service in ("api", "jobs"):
        env = production.env_vars(service)
        assert (env["NODE_ENV"], env["ADAPTERS_PRESET"]) == ("production", "real")
        assert env["SENTRY_DSN"] == dummy("sentryDsn")
    assert production.env_vars("api")["CORS_ORIGIN"] != staging.env_vars("api")["CORS_ORIGIN"]
    # Production data is protected from deletion; staging's is not.
    assert production.protected() == {"db-project", "cache-db"}
    assert staging.protected() == set()


def test_deployment_checklist_staging_first_then_production_from_the_same_definition(
    staging: Deployed, production: Deployed
) -> None:
    """Deployment Checklist (lines 486-489): 'Deploy to staging first', 'Smoke test staging',
    'Run E2E tests on staging', 'Deploy to production'; Schema Changes (lines 164-165): 'Deploy
    to staging', 'Deploy to production'. Production extends staging: same components, its own
    vendor-side names."""
    assert staging.names("render:Service") == production.names("render:Service")
    assert set(staging.spec.components()) == set(production.spec.components())
    names = {r.inputs["name"] for r in production.of_type("render:Service")}
    assert names == {"mais-production-api", "mais-production-jobs"}


def test_costs_follow_the_plans_the_guide_names(staging: Deployed, production: Deployed) -> None:
    """The guide prices nothing; the plans it names: 'Instance Type: Standard' (line 307),
    'Auto-scaling: Based on CPU/memory' (which needs Render's $25 Pro workspace), 'Shared
    instance (free tier)' (line 316), Upstash 'pay per request' (line 327), which has no ceiling:
    production is at least $102 a month, $152 with every bounded part at its maximum."""
    assert staging.outputs["monthlyCostBreakdown"] == {
        "render workspace": 0,
        "api": 7,
        "jobs": 7,
        "db": 0,
        "cache": 0,
        "web": 0,
    }
    assert production.outputs["monthlyCostBreakdown"] == {
        "render workspace": 25,
        "api": 25,
        "jobs": 7,
        "db": 25,
        "cache": 0,
        "web": 20,
    }
    assert production.outputs["monthlyCostUsd"] == 102
    ceiling = {line.component: line.max_usd for line in estimate(production.spec).lines}
    assert ceiling["api"] == 75  # three Standard instances at the autoscaling maximum
    assert ceiling["cache"] is None  # pay-as-you-go with no budget_usd: no ceiling


def test_sections_the_stack_does_not_model_declare_nothing(
    staging: Deployed, production: Deployed
) -> None:
    """Not modelled, on purpose:

    - CI/CD (lines 213-257): the GitHub Actions workflow and its secrets RENDER_SERVICE_ID,
      RENDER_API_KEY, VERCEL_TOKEN, VERCEL_ORG_ID, VERCEL_PROJECT_ID: Render and Vercel build
      from the repository themselves, so no Actions secret is mirrored.
    - 'GET /health/ready | Readiness' (line 268) and 'Health Check Interval: 30s', 'Health Check
      Timeout: 5s' (lines 309-310): Render takes one health check path, no timings.
    - Supabase Storage (line 19, lines 352-355) and Auth ('unused', line 20).
    - Stripe and Postmark accounts (lines 25-29): vendors' accounts; only their keys are here.
    - Rollback (lines 170-207), uptime monitoring and alerting (lines 284-294, 360-386),
      .gitignore (lines 106-112), runbooks (lines 415-469).
    """
    for run in (staging, production):
        assert run.types() == {
            "paas:components:Environment",
            "pulumi-python:dynamic/owner:StackOwner",
            "paas:components:SecretSet",
            "paas:components:Postgres",
            "paas:components:Redis",
            "paas:components:StaticSite",
            "paas:components:WebService",
            "paas:components:Worker",
            "pulumi-python:dynamic/generated:GeneratedSecret",
            "pulumi-python:dynamic/supabase:Project",
            "pulumi-python:dynamic/supabase:DatabaseConfig",
            "pulumi-python:dynamic/upstash:RedisDatabase",
            "pulumi-python:dynamic/render:Service",
            VERCEL,
        }
        assert run.mocks.calls == []  # no custom domain, so no DNS lookup
