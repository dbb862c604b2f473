"""What a preview environment is, decided without touching Pulumi: its stack name, the plan
downgrades applied over the base stack, the secrets it needs, and when it has expired.

The rule that matters here: a preview may only ever name, change or delete a ``pr-<number>``
stack, and it never shares anything the base owns by name (domains, buckets, GitHub secrets) nor
a production secret value.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from paas_stacks.components.spec import (
    EnvironmentSpec,
    FlyServiceSpec,
    RenderKeyValueSpec,
    RenderPostgresSpec,
    RenderServiceSpec,
    SupabasePostgresSpec,
    UpstashRedisSpec,
)
from paas_stacks.errors import PreviewError

PREFIX = "pr-"
_PREVIEW = re.compile(r"^pr-([1-9][0-9]{0,8})$")
DEFAULT_TTL_DAYS = 7
#: The stack tags a preview carries: its PR, its base, when it was made, how long it may live.
TAG_PR, TAG_BASE, TAG_CREATED, TAG_TTL = "paas:pr", "paas:base", "paas:created", "paas:ttl-days"
#: Upstash's pay-as-you-go cap for a preview (USD/month): idle previews cost nothing.
PREVIEW_UPSTASH_BUDGET_USD = 5
#: Fly machines in a preview: the smallest shared CPU, memory capped at what it allows.
PREVIEW_FLY_SIZE = "shared-cpu-1x"
PREVIEW_FLY_MAX_MEMORY_MB = 2048
SECRET_ENV_PREFIX = "PREVIEW_SECRET_"  # noqa: S105 - a variable-name prefix, not a secret


def stack_name(pr: int) -> str:
    """``pr-<number>``; refuses anything that is not a pull request number."""
    if isinstance(pr, bool) or not isinstance(pr, int) or pr < 1:
        raise PreviewError(f"--pr must be a pull request number (1 or more); got {pr!r}")
    return f"{PREFIX}{pr}"


def pr_number(stack: str) -> int | None:
    """The pull request number of a preview stack name (``org/project/pr-3`` too), else None."""
    match = _PREVIEW.match(stack.rsplit("/", 1)[-1])
    return int(match.group(1)) if match else None


def require_preview(stack: str) -> int:
    """The guard every destructive path goes through: only ``pr-<number>`` stacks pass."""
    number = pr_number(stack)
    if number is None:
        raise PreviewError(
            f"refusing to touch stack {stack!r}: only preview stacks (pr-<number>) are managed here"
        )
    return number


def require_base(base: str) -> str:
    """A base must be an ordinary stack: previews never stack on previews."""
    if pr_number(base) is not None or base.startswith(PREFIX):
        raise PreviewError(
            f"--base {base!r} is a preview stack; use a long-lived stack such as staging"
        )
    return base


def overrides(base: EnvironmentSpec) -> dict[str, Any]:
    """The preview's own ``environment`` keys, merged over ``extends: <base>`` (``None`` removes
    a key): preview-sized plans, no production safety, nothing owned by name."""
    out: dict[str, Any] = {"production": False}
    sections = {
        "services": {n: _service(s) for n, s in base.services.items()},
        "postgres": {n: _postgres(p) for n, p in base.postgres.items()},
        "redis": {n: _redis(r) for n, r in base.redis.items()},
        # A fixed bucket name is global: the preview gets <stack>-<component> instead.
        "object_stores": {n: {"bucket": None} for n, o in base.object_stores.items() if o.bucket},
        "secrets": {n: {"github": None} for n, s in base.secrets.items() if s.github},
    }
    out.update({key: value for key, value in sections.items() if value})
    if base.domains:
        out["domains"] = None  # a preview must never take the base's hostnames
    if base.budget_usd is not None:
        out["budget_usd"] = None  # a preview's ceiling is the repository's (the preview gate)
    return out


def _never_adopt(entry: Any) -> dict[str, Any]:
    """A preview makes its own objects: it never takes over one the base names by ``adopt_id``."""
    return {"adopt_id": None} if getattr(entry, "adopt_id", None) else {}


def _service(svc: RenderServiceSpec | FlyServiceSpec) -> dict[str, Any]:
    scale: dict[str, Any] = {"instances": None, "autoscaling": None, **_never_adopt(svc)}
    if isinstance(svc, RenderServiceSpec):
        return {"plan": "starter", **scale}  # the smallest plan the Render API creates
    memory = svc.memory_mb
    capped = None if memory is None else min(memory, PREVIEW_FLY_MAX_MEMORY_MB)
    return {"size": PREVIEW_FLY_SIZE, "memory_mb": capped, "autostop": "stop", **scale}


def _postgres(db: SupabasePostgresSpec | RenderPostgresSpec) -> dict[str, Any]:
    if isinstance(db, SupabasePostgresSpec):
        return {"plan": "free", "instance_size": None, "pitr_days": None, **_never_adopt(db)}
    # Render allows one free database per workspace (and it expires): the smallest paid one.
    sized = {"plan": "basic_256mb", "high_availability": None, "disk_gb": None}
    return {**sized, **_never_adopt(db)}


def _redis(cache: UpstashRedisSpec | RenderKeyValueSpec) -> dict[str, Any]:
    if isinstance(cache, UpstashRedisSpec):
        # One free database per Upstash account: parallel previews each need their own.
        return {"plan": "payg", "budget_usd": PREVIEW_UPSTASH_BUDGET_USD, **_never_adopt(cache)}
    # Render allows one free Key Value per workspace: the smallest paid one.
    return {"plan": "starter", **_never_adopt(cache)}


@dataclass(frozen=True)
class SecretNeed:
    """A ``paas-stacks:<key>`` config value the preview must have."""

    key: str
    #: Random values are fine (an app secret); vendor credentials must come from the env var.
    random_ok: bool

    @property
    def env_var(self) -> str:
        """Where a real preview value can be given: ``stripeSecretKey`` ->
        ``PREVIEW_SECRET_STRIPE_SECRET_KEY`` (a repository secret in the workflow)."""
        snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", self.key).replace("-", "_")
        return SECRET_ENV_PREFIX + snake.upper()


def secret_needs(base: EnvironmentSpec) -> list[SecretNeed]:
    """Every config key the base's secret sets and buckets read, once each, sorted."""
    needs = {key: True for s in base.secrets.values() for key in s.from_config.values()}
    for store in base.object_stores.values():
        for key in (store.access_key_from_config, store.secret_key_from_config):
            if key:
                needs[key] = False
    return [SecretNeed(key, ok) for key, ok in sorted(needs.items())]


def fallback_values(
    needs: list[SecretNeed], present: set[str], env: Mapping[str, str]
) -> dict[str, str]:
    """Values to set for the keys not yet in the preview's config: the ``PREVIEW_SECRET_*``
    variable if given, else random (never the base's value); a credential without one refuses."""
    values: dict[str, str] = {}
    for need in needs:
        if need.key in present:
            continue  # kept across pushes: a new value would redeploy every service
        given = env.get(need.env_var)
        if given:
            values[need.key] = given
        elif need.random_ok:
            values[need.key] = "preview-" + secrets.token_hex(24)
        else:
            raise PreviewError(
                f"config key paas-stacks:{need.key} is a vendor credential; "
                f"set {need.env_var} (a preview-only key)"
            )
    return values


@dataclass(frozen=True)
class PreviewStack:
    """A ``pr-*`` stack as the sweeper sees it."""

    name: str
    created: datetime | None
    ttl_days: int | None


def sweep_reasons(
    stacks: list[PreviewStack], open_prs: set[int] | None, now: datetime, default_ttl: int
) -> Iterator[tuple[str, str]]:
    """``(stack, why)`` for each preview to destroy: its PR is not open (``open_prs`` None: not
    known, TTL only), or it outlived its TTL (its own ``paas:ttl-days`` tag, else
    ``default_ttl``). Non-preview names never appear."""
    for stack in stacks:
        number = pr_number(stack.name)
        if number is None:
            continue
        ttl = stack.ttl_days if stack.ttl_days is not None else default_ttl
        if open_prs is not None and number not in open_prs:
            yield stack.name, f"PR #{number} is not open"
        elif stack.created is not None and now - stack.created > timedelta(days=ttl):
            age = (now - stack.created).days
            yield stack.name, f"created {age} days ago, older than its TTL of {ttl} days"


def parse_time(text: str) -> datetime:
    """An ISO 8601 time (a stack tag, a history entry); without a zone, UTC."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise PreviewError(f"{text!r} is not an ISO 8601 time") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
