"""Seed 004 "Production Deployment Checklist" (Real Staging AI;
docs/guides/004-realstaging.md), item by item, against the program run with
``stacks/Pulumi.realstaging.yaml``: Go API and worker from Docker on Render, Render Postgres and
Key Value, a private Backblaze B2 bucket and the api.real-staging.ai domain. Each test quotes the
checklist's line(s); line numbers are the seed file's.
"""

from __future__ import annotations

import pytest

from paas_stacks.components.spec import load_stack
from paas_stacks.components.spec.cost import estimate
from tests.unit.seeds.support import (
    GET_ZONE,
    STACKS,
    ZONE_ID,
    Deployed,
    deploy,
    dummy,
    is_secret,
    stack_file_lists,
)

BUCKET = "aws:s3/bucket:Bucket"
DNS_RECORD = "cloudflare:index/dnsRecord:DnsRecord"
#: "Configure Secrets (API Service)" (lines 79-85) -> the config key each comes from.
API_SECRETS = {
    "AUTH0_DOMAIN": "auth0Domain",
    "AUTH0_AUDIENCE": "auth0Audience",
    "S3_ACCESS_KEY": "b2KeyId",
    "S3_SECRET_KEY": "b2ApplicationKey",
    "STRIPE_SECRET_KEY": "stripeSecretKey",
    "STRIPE_WEBHOOK_SECRET": "stripeWebhookSecret",
    "REPLICATE_API_TOKEN": "replicateApiToken",
}
#: "Configure Secrets (Worker Service)" (lines 88-90).
WORKER_SECRETS = ["S3_ACCESS_KEY", "S3_SECRET_KEY", "REPLICATE_API_TOKEN"]


@pytest.fixture(scope="module")
def realstaging() -> Deployed:
    return deploy("realstaging")


def test_the_stack_file_validates_and_names_every_secret_to_set(realstaging: Deployed) -> None:
    # The issue: "config validates and the program runs under mocks".
    assert load_stack("realstaging", STACKS, check_secrets=False).production is True
    assert realstaging.secret_keys == stack_file_lists("realstaging")
    assert realstaging.secret_keys == sorted(API_SECRETS.values())
    assert realstaging.outputs["urls"] == {"api": "https://realstaging-api.onrender.com"}
    assert realstaging.secret_outputs == {"connections", "DATABASE_URL", "REDIS_URL"}


def test_render_setup_api_and_worker_are_built_from_their_dockerfiles_on_main(
    realstaging: Deployed,
) -> None:
    """Render Setup (lines 71-76): 'Click "New" -> "Blueprint"', 'Connect GitHub repository',
    'Select main branch'; Docker Images (line 62): '`make build-api` and `make build-worker`';
    render.yaml (line 380): 'region: oregon'; Option 2's Dockerfile (line 332): 'EXPOSE 8080'."""
    api = realstaging.inputs("render:Service", "api-service")
    worker = realstaging.inputs("render:Service", "worker-service")
    assert (api["name"], api["type"]) == ("realstaging-api", "web")  # "realstaging-api" (l. 338)
    assert (worker["name"], worker["type"]) == ("realstaging-worker", "worker")
    assert (api["dockerfile_path"], worker["dockerfile_path"]) == (
        "apps/api/Dockerfile",
        "apps/worker/Dockerfile",
    )
    for service in (api, worker):
        assert (service["runtime"], service["docker_context"]) == ("docker", ".")
        assert (service["branch"], service["region"], service["plan"]) == (
            "main",
            "oregon",
            "starter",
        )
        assert service["repo"] == "https://github.com/your-org/real-staging-ai"
        assert "build_command" not in service  # Docker builds the image itself
    assert realstaging.env_vars("api")["PORT"] == "8080"


def test_configure_secrets_api_service_every_listed_secret_reaches_the_api(
    realstaging: Deployed,
) -> None:
    """Configure Secrets (API Service) (lines 79-85): AUTH0_DOMAIN, AUTH0_AUDIENCE,
    'S3_ACCESS_KEY: B2 keyID', 'S3_SECRET_KEY: B2 applicationKey', STRIPE_SECRET_KEY,
    STRIPE_WEBHOOK_SECRET, REPLICATE_API_TOKEN."""
    env = realstaging.env_vars("api")
    for name, key in API_SECRETS.items():
        assert env[name] == dummy(key), name
    assert is_secret(realstaging.one("render:Service", "api-service").inputs["env_vars"])


def test_configure_secrets_worker_service_gets_the_b2_keys_and_replicate_only(
    realstaging: Deployed,
) -> None:
    """Configure Secrets (Worker Service) (lines 88-90): 'S3_ACCESS_KEY: B2 keyID',
    'S3_SECRET_KEY: B2 applicationKey', 'REPLICATE_API_TOKEN: `r8_...`'."""
    env = realstaging.env_vars("worker")
    assert {name: env[name] for name in WORKER_SECRETS} == {
        name: dummy(API_SECRETS[name]) for name in WORKER_SECRETS
    }
    # Auth0 and Stripe are the API's: the worker does not get them.
    assert not {
        "AUTH0_DOMAIN",
        "AUTH0_AUDIENCE",
        "STRIPE_SECRET_KEY",
        "STRIPE_WEBHOOK_SECRET",
    } & set(env)
    assert is_secret(realstaging.one("render:Service", "worker-service").inputs["env_vars"])


def test_backblaze_b2_private_bucket_realstaging_prod_with_cors_for_the_frontend(
    realstaging: Deployed,
) -> None:
    """Backblaze B2 Storage (lines 17-21): 'Create bucket: `realstaging-prod` (Private)', 'Note
    bucket region (e.g., `us-west-004`)', 'Create Application Key with bucket access', 'Save
    `keyID` and `applicationKey` securely', 'Configure CORS for your frontend domain'."""
    bucket = realstaging.one(BUCKET)
    assert bucket.inputs == {"bucket": "realstaging-prod", "forceDestroy": False}
    assert not realstaging.of_type("aws:s3/bucketAcl:BucketAcl")  # private: no public-read ACL
    vendor = realstaging.one("pulumi:providers:aws")
    assert "media-provider" in (bucket.provider or "")
    assert vendor.inputs["region"] == "us-west-004"
    assert vendor.inputs["endpoints"] == '[{"s3": "https://s3.us-west-004.backblazeb2.com"}]'
    assert is_secret(vendor.inputs["accessKey"])
    assert is_secret(vendor.inputs["secretKey"])
    cors = realstaging.inputs("aws:s3/bucketCorsConfiguration:BucketCorsConfiguration")
    assert cors["corsRules"][0]["allowedOrigins"] == ["https://real-staging.ai"]
    # "Update S3 endpoint to match B2 bucket region", "Update S3 bucket name" (lines 51-52).
    for service in ("api", "worker"):
        env = realstaging.env_vars(service)
        assert (env["S3_BUCKET"], env["S3_REGION"], env["S3_ENDPOINT"]) == (
            "realstaging-prod",
            "us-west-004",
            "https://s3.us-west-004.backblazeb2.com",
        )


def test_database_setup_realstaging_db_and_its_internal_database_url(
    realstaging: Deployed,
) -> None:
    """Database Setup (lines 93-94): 'Get DATABASE_URL from Render dashboard: Go to
    `realstaging-db` -> Connect -> Copy Internal Database URL'; (line 100)
    '...oregon-postgres.render.com/realstaging_db'."""
    database = realstaging.inputs("render:Postgres")
    assert (database["name"], database["region"]) == ("realstaging-db", "oregon")
    internal = realstaging.one("render:Postgres").outputs["internal_connection_string"]
    for service in ("api", "worker"):
        assert realstaging.env_vars(service)["DATABASE_URL"] == internal
    assert realstaging.outputs["DATABASE_URL"] == internal


def test_run_migrations_with_the_migrate_binary_before_each_api_deploy(
    realstaging: Deployed,
) -> None:
    """Option 2 (lines 298-339): 'Include Migrate Binary in API Docker Image', 'COPY
    ../../infra/migrations /app/migrations', 'migrate -path /app/migrations -database
    $DATABASE_URL up'. The stack runs it as Render's pre-deploy command, so every deploy
    migrates first (the automation of Option 4, lines 408-449) and the API waits for the
    database."""
    api = realstaging.inputs("render:Service", "api-service")
    assert api["pre_deploy_command"] == "migrate -path /app/migrations -database $DATABASE_URL up"
    assert "pre_deploy_command" not in realstaging.inputs("render:Service", "worker-service")
    assert realstaging.waits_for("paas:components:WebService", "api") == {"db-db"}
    assert realstaging.waits_for("paas:components:Worker", "worker") == {"db-db"}


def test_verification_redis_connection_is_a_render_key_value_that_keeps_its_jobs(
    realstaging: Deployed,
) -> None:
    """Verification (line 127): 'Verify Redis connection'; Expected Monthly Costs (line 532):
    'Redis: $10/month'."""
    redis = realstaging.inputs("render:KeyValue")
    assert redis == {
        "name": "realstaging-redis",
        "plan": "starter",
        "region": "oregon",
        "maxmemory_policy": "noeviction",
    }
    internal = realstaging.one("render:KeyValue").outputs["internal_connection_string"]
    for service in ("api", "worker"):
        assert realstaging.env_vars(service)["REDIS_URL"] == internal


def test_health_checks_and_custom_domain_api_real_staging_ai(realstaging: Deployed) -> None:
    """Health Checks (line 125): 'Check API health: `curl https://api.real-staging.ai/health`';
    Custom Domain (lines 144-147): 'Add custom domain in Render dashboard', 'Configure DNS
    records', 'Wait for SSL certificate provisioning'."""
    api = realstaging.one("render:Service", "api-service")
    assert api.inputs["health_check_path"] == "/health"
    custom = realstaging.inputs("render:CustomDomain")
    assert custom == {"name": "api.real-staging.ai", "service_id": "api-service-id"}
    record = realstaging.inputs(DNS_RECORD)
    assert (record["name"], record["type"]) == ("api.real-staging.ai", "CNAME")
    assert record["content"] == "realstaging-api.onrender.com"
    assert record["zoneId"] == ZONE_ID
    assert record["proxied"] is False  # Render issues the certificate: no proxy in front
    assert realstaging.mocks.calls == [
        (GET_ZONE, {"filter": {"name": "real-staging.ai", "match": "all"}})
    ]


def test_expected_monthly_costs_render_starter_tier_and_b2_by_usage(
    realstaging: Deployed,
) -> None:
    """Expected Monthly Costs (lines 528-543): 'Render Services: ~$31/month (starter tier)',
    'API: $7/month', 'Worker: $7/month', 'PostgreSQL: $7/month', 'Redis: $10/month',
    'Backblaze B2: ~$5-20/month', 'Replicate AI: Variable'.

    Deliberate difference: Render's $7 Postgres is the legacy Starter plan (storage included);
    new databases get the flexible plans, the smallest is basic-256mb at $6 plus its storage
    ($0.30 for the smallest disk, 1 GB), so Render totals $30.30, not $31."""
    assert realstaging.outputs["monthlyCostBreakdown"] == {
        "render workspace": 0,
        "api": 7,
        "worker": 7,
        "db": 6.3,
        "redis": 10,
        "media": 0,
    }
    assert realstaging.outputs["monthlyCostUsd"] == 30.3
    [media] = [line for line in estimate(realstaging.spec).lines if line.component == "media"]
    assert "Backblaze B2" in media.note  # usage-based: priced $0 with the price in the note


def test_backup_and_recovery_production_data_is_protected(realstaging: Deployed) -> None:
    """Backup & Recovery (lines 189-193): 'Verify Render automatic backups are enabled'; Rollback
    Plan (line 514): 'Roll back database migrations if needed'. The database, the Key Value and
    the bucket are protected from deletion, and the bucket is never emptied on delete."""
    assert realstaging.protected() == {"db-db", "redis-kv", "media-bucket"}
    assert realstaging.inputs(BUCKET)["forceDestroy"] is False


def test_items_the_stack_does_not_model_declare_nothing(realstaging: Deployed) -> None:
    """Not modelled, on purpose:

    - Accounts, payment methods and vendor-side settings (lines 9-44): Render, Backblaze,
      Auth0 (callback/logout URLs, refresh token rotation), Stripe (live mode, webhook,
      products), Replicate: only their keys are in the stack.
    - Version control and image checks (lines 56-64); monitoring, logs, alerts (lines 155-167);
      access control and rotation procedures (lines 169-185); backup and restore tests,
      performance, documentation (lines 187-227); cost alerts (lines 545-550).
    - Migration options 1, 3 and 4 (lines 264-296, 352-449): the stack takes option 2.
    - The frontend ("Update frontend URL", line 53): not part of this guide's deployment.

    Render Postgres has no migrations API: the image's /app/migrations run in the API's
    pre-deploy command (option 2), so no Migrations resource appears here."""
    assert realstaging.types() == {
        "paas:components:Environment",
        "pulumi-python:dynamic/owner:StackOwner",
        "paas:components:SecretSet",
        "paas:components:Postgres",
        "paas:components:Redis",
        "paas:components:ObjectStore",
        "paas:components:WebService",
        "paas:components:Worker",
        "paas:components:Domain",
        "pulumi-python:dynamic/render:Postgres",
        "pulumi-python:dynamic/render:KeyValue",
        "pulumi-python:dynamic/render:Service",
        "pulumi-python:dynamic/render:CustomDomain",
        "pulumi:providers:aws",
        BUCKET,
        "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration",
        DNS_RECORD,
    }
    assert not realstaging.of_type("supabase:Migrations")
    assert realstaging.spec.postgres["db"].migrations is None
