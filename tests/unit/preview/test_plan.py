"""The preview decisions without Pulumi: names, the downgrade table, secrets and the TTL."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from paas_stacks.components.spec import load_stack
from paas_stacks.components.spec.cost import estimate
from paas_stacks.errors import PreviewError
from paas_stacks.preview.plan import (
    PreviewStack,
    SecretNeed,
    fallback_values,
    overrides,
    pr_number,
    require_base,
    require_preview,
    secret_needs,
    stack_name,
    sweep_reasons,
)

REPO = Path(__file__).resolve().parents[3]
STACKS = REPO / "stacks"
BASES = sorted(
    p.name[len("Pulumi.") : -len(".yaml")]
    for p in STACKS.glob("Pulumi.*.yaml")
    if not p.name.startswith("Pulumi.pr-")
)
NOW = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)


def test_a_preview_stack_is_named_after_its_pull_request() -> None:
    assert stack_name(42) == "pr-42"
    assert pr_number("pr-42") == 42
    assert pr_number("acme/paas-stacks/pr-7") == 7


@pytest.mark.parametrize("bad", [0, -3, True])
def test_a_stack_name_needs_a_pull_request_number(bad: int) -> None:
    with pytest.raises(PreviewError, match="--pr must be a pull request number"):
        stack_name(bad)


@pytest.mark.parametrize("name", ["demo", "staging", "pr-0", "pr-3a", "staging-pr-3", "pr-"])
def test_only_pr_number_stacks_count_as_previews(name: str) -> None:
    assert pr_number(name) is None
    with pytest.raises(PreviewError, match=rf"refusing to touch stack '{name}'"):
        require_preview(name)


def test_a_preview_never_extends_another_preview() -> None:
    with pytest.raises(PreviewError, match="is a preview stack"):
        require_base("pr-3")
    assert require_base("staging") == "staging"


def test_render_supabase_and_upstash_are_preview_sized() -> None:
    got = overrides(load_stack("mais-production", STACKS, check_secrets=False))
    scale = {"plan": "starter", "instances": None, "autoscaling": None}
    assert got == {
        "production": False,
        "services": {"api": scale, "jobs": scale},
        "postgres": {"db": {"plan": "free", "instance_size": None, "pitr_days": None}},
        "redis": {"cache": {"plan": "payg", "budget_usd": 5}},
    }


def test_a_preview_never_takes_over_an_object_the_base_adopts(tmp_path: Path) -> None:
    stacks = tmp_path / "stacks"
    shutil.copytree(STACKS, stacks)
    (stacks / "Pulumi.adopting.yaml").write_text(
        "config:\n  paas-stacks:environment:\n    extends: mais-production\n"
        "    services: {api: {adopt_id: srv-taken}}\n"
        "    postgres: {db: {adopt_id: takenref}}\n"
        "    redis: {cache: {adopt_id: taken-cache}}\n"
    )
    got = overrides(load_stack("adopting", stacks, check_secrets=False))
    assert got["services"]["api"]["adopt_id"] is None
    assert got["postgres"]["db"]["adopt_id"] is None
    assert got["redis"]["cache"]["adopt_id"] is None
    assert "adopt_id" not in got["services"]["jobs"]  # nothing to drop where the base has none


def test_render_data_is_the_smallest_paid_plan_and_domains_and_buckets_are_dropped() -> None:
    got = overrides(load_stack("realstaging", STACKS, check_secrets=False))
    assert got["production"] is False
    assert got["domains"] is None
    assert got["postgres"] == {
        "db": {"plan": "basic_256mb", "high_availability": None, "disk_gb": None}
    }
    assert got["redis"] == {"redis": {"plan": "starter"}}
    assert got["object_stores"] == {"media": {"bucket": None}}


def test_fly_previews_run_one_small_machine_that_sleeps_and_drop_github_mirrors() -> None:
    got = overrides(load_stack("mvp", STACKS, check_secrets=False))
    assert got["services"]["api"] == {
        "size": "shared-cpu-1x",
        "memory_mb": 1024,
        "autostop": "stop",
        "instances": None,
        "autoscaling": None,
    }
    assert set(got["secrets"]) == {
        n for n, s in load_stack("mvp", STACKS, check_secrets=False).secrets.items() if s.github
    }
    assert all(value == {"github": None} for value in got["secrets"].values())


@pytest.mark.parametrize("base", BASES)
def test_every_stack_has_a_valid_preview_that_costs_no_more(base: str, tmp_path: Path) -> None:
    stacks = tmp_path / "stacks"
    shutil.copytree(STACKS, stacks)
    environment = {"extends": base, **overrides(load_stack(base, stacks, check_secrets=False))}
    document = {"config": {"paas-stacks:environment": environment}}
    (stacks / "Pulumi.pr-5.yaml").write_text(yaml.safe_dump(document))
    preview = load_stack("pr-5", stacks, check_secrets=False)
    assert preview.name == "pr-5"
    assert preview.production is False
    assert not preview.domains
    assert all(not s.github for s in preview.secrets.values())
    base_spec = load_stack(base, stacks, check_secrets=False)
    # The floor; the ceiling may grow by the Upstash pay-as-you-go cap that replaces a free
    # database (one free database per Upstash account cannot serve parallel previews).
    assert estimate(preview).total_usd <= estimate(base_spec).total_usd


def test_secret_keys_map_to_preview_variables() -> None:
    needs = secret_needs(load_stack("realstaging", STACKS, check_secrets=False))
    by_key = {need.key: need for need in needs}
    assert by_key["stripeSecretKey"].env_var == "PREVIEW_SECRET_STRIPE_SECRET_KEY"
    assert by_key["stripeSecretKey"].random_ok
    assert by_key["b2KeyId"].env_var == "PREVIEW_SECRET_B2_KEY_ID"
    assert not by_key["b2KeyId"].random_ok


def test_fallbacks_keep_set_values_prefer_preview_variables_and_never_reuse_a_value() -> None:
    needs = [
        SecretNeed("stripeSecretKey", True),
        SecretNeed("jwtKey", True),
        SecretNeed("sentryDsn", True),
    ]
    env = {"PREVIEW_SECRET_STRIPE_SECRET_KEY": "stripe-preview-value"}
    first = fallback_values(needs, {"sentryDsn"}, env)
    second = fallback_values(needs, {"sentryDsn"}, env)
    assert set(first) == {"stripeSecretKey", "jwtKey"}
    assert first["stripeSecretKey"] == "stripe-preview-value"
    assert first["jwtKey"].startswith("preview-")
    assert len(first["jwtKey"]) == len("preview-") + 48
    assert first["jwtKey"] != second["jwtKey"]


def test_a_vendor_credential_without_a_preview_variable_is_refused() -> None:
    with pytest.raises(PreviewError, match="set PREVIEW_SECRET_B2_KEY_ID"):
        fallback_values([SecretNeed("b2KeyId", False)], set(), {})
    assert fallback_values(
        [SecretNeed("b2KeyId", False)], set(), {"PREVIEW_SECRET_B2_KEY_ID": "k"}
    ) == {"b2KeyId": "k"}


def test_the_sweeper_picks_closed_and_expired_previews_only() -> None:
    stacks = [
        PreviewStack("pr-1", NOW - timedelta(days=1), None),  # open, fresh: kept
        PreviewStack("pr-2", NOW - timedelta(days=1), None),  # closed
        PreviewStack("pr-3", NOW - timedelta(days=8), None),  # open, past the default 7
        PreviewStack("pr-4", NOW - timedelta(days=8), 14),  # its own longer TTL
        PreviewStack("pr-5", None, None),  # open, no created tag: kept
        PreviewStack("demo", NOW - timedelta(days=90), None),  # never a candidate
        PreviewStack("pr-x", NOW - timedelta(days=90), None),
    ]
    got = dict(sweep_reasons(stacks, {1, 3, 4, 5}, NOW, 7))
    assert got == {
        "pr-2": "PR #2 is not open",
        "pr-3": "created 8 days ago, older than its TTL of 7 days",
    }


def test_without_the_open_pr_list_the_sweeper_goes_by_ttl_alone() -> None:
    stacks = [
        PreviewStack("pr-2", NOW - timedelta(days=1), None),
        PreviewStack("pr-3", NOW - timedelta(days=3), 2),
    ]
    assert dict(sweep_reasons(stacks, None, NOW, 7)) == {
        "pr-3": "created 3 days ago, older than its TTL of 2 days"
    }
