"""The typed stack config: seed stacks load, ``extends`` deep-merges, secrets are referenced by
config key, production protects data, and the spec refuses what the vendors refuse."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pydantic import ValidationError

from paas_stacks.components.spec import (
    EnvironmentSpec,
    FlyServiceSpec,
    RenderServiceSpec,
    SpecError,
    SupabasePostgresSpec,
    from_pulumi_config,
    load_stack,
    provided_env,
)
from paas_stacks.vendors.places import Vendor

STACKS = Path(__file__).resolve().parents[3] / "stacks"
SEEDS = {
    "masstock": "seed 000",
    "masstock-production": "seed 000",
    "mvp": "seed 001",
    "mais-staging": "seed 002",
    "mais-production": "seed 002",
    "wecelebrate": "seed 003",
    "realstaging": "seed 004",
    "demo": "seed 000",
}


def write(tmp_path: Path, files: dict[str, str]) -> Path:
    directory = tmp_path / "stacks"
    directory.mkdir(exist_ok=True)
    for stack, text in files.items():
        (directory / f"Pulumi.{stack}.yaml").write_text(text, encoding="utf-8")
    return directory


STAGING = """config:
  paas-stacks:environment:
    region: frankfurt
    services:
      api:
        kind: web
        platform: render
        plan: starter
        runtime: node
        repo: https://github.com/acme/shop
        build_command: npm ci
        start_command: npm start
        env: {NODE_ENV: production, LOG_LEVEL: debug, PORT: 3000}
        links: [db, app]
      preview-only: {kind: web, platform: render, plan: starter, runtime: node,
                     repo: "https://github.com/acme/shop", build_command: b, start_command: s}
    postgres:
      db: {provider: supabase, organization: acme, plan: free}
    secrets:
      app:
        generated: {JWT_SECRET: {}}
"""
PRODUCTION = """config:
  paas-stacks:stripeKey:
    secure: v1:AAAA
  paas-stacks:environment:
    extends: staging
    production: true
    services:
      api:
        plan: standard
        env: {LOG_LEVEL: info}
        links: [db]
      preview-only: null
    postgres:
      db: {plan: pro}
    secrets:
      app:
        from_config: {STRIPE_KEY: stripeKey}
"""


@pytest.mark.parametrize("stack", SEEDS)
def test_every_seed_stack_file_validates(stack: str) -> None:
    spec = load_stack(stack, STACKS, check_secrets=False)
    assert spec.name == stack


@pytest.mark.parametrize(("stack", "seed"), SEEDS.items())
def test_every_stack_file_opens_by_naming_the_guide_it_models(stack: str, seed: str) -> None:
    first = (STACKS / f"Pulumi.{stack}.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("#")
    assert seed in first


def test_only_the_demo_carries_an_encryption_salt() -> None:
    demo = (STACKS / "Pulumi.demo.yaml").read_text(encoding="utf-8")
    expected = (
        "encryptionsalt: v1:eMug+fV1B8M=:v1:nkG/CURNPphI9wjc:hHp4OZFoHjqj0OgI2q4gZLxloYgAPw=="
    )
    assert expected in demo.splitlines()
    for stack in set(SEEDS) - {"demo"}:
        assert "encryptionsalt" not in (STACKS / f"Pulumi.{stack}.yaml").read_text(encoding="utf-8")


def test_the_demo_needs_no_secret_set_by_hand() -> None:
    spec = load_stack("demo", STACKS, check_secrets=True)
    assert all(not s.from_config for s in spec.secrets.values())
    assert isinstance(spec.postgres["db"], SupabasePostgresSpec)
    assert spec.postgres["db"].migrations == "stacks/migrations/demo"


def test_extends_merges_mappings_and_replaces_lists_and_scalars(tmp_path: Path) -> None:
    spec = load_stack("prod", write(tmp_path, {"staging": STAGING, "prod": PRODUCTION}))
    api = spec.services["api"]
    assert isinstance(api, RenderServiceSpec)
    assert (spec.production, spec.region, api.plan, api.start_command) == (
        True,
        "frankfurt",
        "standard",
        "npm start",
    )
    assert api.env == {"NODE_ENV": "production", "LOG_LEVEL": "info", "PORT": "3000"}
    assert [link.to for link in api.links] == ["db"]
    assert spec.secrets["app"].from_config == {"STRIPE_KEY": "stripeKey"}
    assert list(spec.secrets["app"].generated) == ["JWT_SECRET"]


def test_null_in_a_derived_stack_removes_the_component(tmp_path: Path) -> None:
    spec = load_stack("prod", write(tmp_path, {"staging": STAGING, "prod": PRODUCTION}))
    assert list(spec.services) == ["api"]


def test_the_name_defaults_to_the_stack_and_is_never_inherited(tmp_path: Path) -> None:
    base = STAGING.replace(
        "    region: frankfurt\n", "    name: shop-staging\n    region: frankfurt\n"
    )
    directory = write(tmp_path, {"staging": base, "prod": PRODUCTION})
    assert load_stack("staging", directory).name == "shop-staging"
    assert load_stack("prod", directory).name == "prod"
    assert load_stack("prod", directory).resource_name("api") == "prod-api"


def test_a_derived_stack_needs_its_own_secrets_not_its_bases(tmp_path: Path) -> None:
    # Pulumi gives each stack only its own file's config, so a key in the base does not count.
    base = STAGING.replace("config:\n", "config:\n  paas-stacks:stripeKey: x\n")
    derived = PRODUCTION.replace("  paas-stacks:stripeKey:\n    secure: v1:AAAA\n", "")
    directory = write(tmp_path, {"staging": base, "prod": derived})
    with pytest.raises(SpecError, match="paas-stacks:stripeKey' is not set"):
        load_stack("prod", directory)
    assert load_stack("prod", directory, check_secrets=False).production is True


def test_a_secure_config_value_satisfies_a_secret_reference(tmp_path: Path) -> None:
    spec = load_stack("prod", write(tmp_path, {"staging": STAGING, "prod": PRODUCTION}))
    assert spec.secrets["app"].from_config["STRIPE_KEY"] == "stripeKey"


def test_production_stacks_mark_their_stateful_components() -> None:
    spec = load_stack("realstaging", STACKS, check_secrets=False)
    assert spec.production is True
    assert sorted(spec.stateful()) == ["db", "media", "redis"]


def test_the_region_follows_the_stack_unless_a_component_names_its_own() -> None:
    spec = load_stack("masstock", STACKS)
    vendors: tuple[Vendor, ...] = ("render", "fly", "supabase", "upstash")
    assert [spec.region_for(vendor) for vendor in vendors] == [
        "frankfurt",
        "fra",
        "eu-central-1",
        "eu-central-1",
    ]
    assert spec.region_for("upstash", "eu-west-1") == "eu-west-1"


def test_links_inject_each_kind_of_value() -> None:
    spec = load_stack("mvp", STACKS, check_secrets=False)
    assert provided_env(spec, "db") == (
        "DATABASE_URL",
        "DATABASE_POOLER_URL",
        "SUPABASE_URL",
        "SUPABASE_ANON_KEY",
        "SUPABASE_SERVICE_ROLE_KEY",
    )
    assert provided_env(spec, "cache") == (
        "REDIS_URL",
        "REDIS_HOST",
        "REDIS_PORT",
        "REDIS_PASSWORD",
    )
    assert provided_env(spec, "api") == ("URL",)
    assert provided_env(spec, "assets") == (
        "S3_BUCKET",
        "S3_REGION",
        "S3_ENDPOINT",
        "CDN_URL",
    )
    web = spec.static_sites["web"]
    assert web.links[0].rename == {"URL": "VITE_API_BASE_URL"}


TWO_CACHES = """config:
  paas-stacks:environment:
    services:
      api: {kind: web, platform: render, plan: starter, runtime: node,
            repo: "https://github.com/acme/shop", build_command: b, start_command: s,
            links: [{to: cache, only: [REDIS_URL]}, {to: queue, only: [REDIS_HOST, REDIS_PORT]}]}
    redis:
      cache: {provider: render, plan: starter}
      queue: {provider: upstash, plan: payg}
"""


def test_two_links_with_disjoint_only_lists_load_though_their_targets_provide_the_same_names(
    tmp_path: Path,
) -> None:
    directory = write(tmp_path, {"shop": TWO_CACHES})
    spec = load_stack("shop", directory)
    assert provided_env(spec, "cache") == provided_env(spec, "queue")
    assert [(link.to, link.only) for link in spec.services["api"].links] == [
        ("cache", ("REDIS_URL",)),
        ("queue", ("REDIS_HOST", "REDIS_PORT")),
    ]
    overlapping = TWO_CACHES.replace("only: [REDIS_HOST, REDIS_PORT]", "only: [REDIS_URL]")
    with pytest.raises(SpecError, match=r"links\[1\]: injects REDIS_URL, which links\[0\]"):
        load_stack("shop", write(tmp_path, {"shop": overlapping}))


def test_the_mvp_api_autoscales_one_to_three_on_fly() -> None:
    api = load_stack("mvp", STACKS, check_secrets=False).services["api"]
    assert isinstance(api, FlyServiceSpec)
    assert api.autoscaling is not None
    assert (api.autoscaling.min, api.autoscaling.max, api.health_check_path) == (
        1,
        3,
        "/api/health",
    )


def test_mais_production_adds_its_secrets_to_stagings() -> None:
    staging = load_stack("mais-staging", STACKS)
    production = load_stack("mais-production", STACKS, check_secrets=False)
    assert list(staging.secrets["app"].generated) == ["JWT_SECRET", "BOOKING_TOKEN_SECRET"]
    generated = production.secrets["app"].generated
    assert all(g.bytes == 32 and g.encoding == "hex" for g in generated.values())
    assert list(generated) == [
        "JWT_SECRET",
        "BOOKING_TOKEN_SECRET",
        "TENANT_SECRETS_ENCRYPTION_KEY",
    ]
    assert production.services["api"].env["ADAPTERS_PRESET"] == "real"
    assert staging.services["api"].env["ADAPTERS_PRESET"] == "mock"


def test_wecelebrate_sets_the_guides_database_settings() -> None:
    db = load_stack("wecelebrate", STACKS, check_secrets=False).postgres["db"]
    assert isinstance(db, SupabasePostgresSpec)
    assert (db.max_connections, db.statement_timeout, db.pooler, db.pitr_days) == (
        100,
        "30s",
        "transaction",
        7,
    )


def test_a_spec_built_in_python_still_runs_the_rules() -> None:
    with pytest.raises(ValidationError, match="a worker serves no HTTP"):
        EnvironmentSpec.model_validate(
            {
                "name": "shop",
                "services": {
                    "jobs": {
                        "kind": "worker",
                        "platform": "render",
                        "plan": "starter",
                        "runtime": "node",
                        "build_command": "b",
                        "start_command": "s",
                        "health_check_path": "/health",
                    }
                },
            }
        )


def test_the_spec_is_frozen() -> None:
    spec = load_stack("demo", STACKS)
    with pytest.raises(ValidationError):
        spec.production = True


class _Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        return args.name, dict(args.inputs)

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


Configure = Callable[[str, dict[str, str]], None]


@pytest.fixture
def pulumi_stack() -> Iterator[Configure]:
    def configure(stack: str, config: dict[str, str]) -> None:
        pulumi.runtime.set_mocks(_Mocks(), project="paas-stacks", stack=stack, preview=False)
        pulumi.runtime.set_all_config(config, [])

    yield configure
    pulumi.runtime.set_all_config({}, [])


def test_inside_pulumi_the_environment_comes_from_stack_config(pulumi_stack: Configure) -> None:
    environment = {
        "extends": "mais-staging",
        "production": True,
        "postgres": {"db": {"plan": "pro"}},
        "static_sites": {"web": {"plan": "pro"}},
    }
    pulumi_stack("mais-preview", {"paas-stacks:environment": json.dumps(environment)})
    spec = from_pulumi_config(STACKS)
    assert (spec.name, spec.production, spec.postgres["db"].plan) == ("mais-preview", True, "pro")


def test_inside_pulumi_a_missing_secret_names_the_command_to_set_it(
    pulumi_stack: Configure,
) -> None:
    environment = {"secrets": {"app": {"from_config": {"API_KEY": "apiKey"}}}}
    pulumi_stack("dev", {"paas-stacks:environment": json.dumps(environment)})
    with pytest.raises(SpecError) as caught:
        from_pulumi_config(STACKS)
    assert caught.value.lines == (
        "stacks/Pulumi.dev.yaml: environment.secrets.app.from_config.API_KEY: config key "
        "'paas-stacks:apiKey' is not set; run: pulumi config set --secret paas-stacks:apiKey "
        "<value> --stack dev",
    )
    pulumi_stack(
        "dev", {"paas-stacks:environment": json.dumps(environment), "paas-stacks:apiKey": "s3cret"}
    )
    assert from_pulumi_config(STACKS).secrets["app"].from_config == {"API_KEY": "apiKey"}
