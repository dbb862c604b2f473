"""The curated breakages ``make mutants`` applies, one at a time, each with the tests that must
notice it.

The rule that matters here: a mutant is one exact text edit of one file (``old`` occurs in it
exactly once) plus the smallest test subset that should fail on it. ``item`` numbers the ones
issue 18 found uncaught (1-9) and undoes the fixes of its two causes of flakiness (10): all must
be killed. The others are breakages of the same kind, kept so that a test weakened later shows
up in the score. Two of those survived when this list was written (a Fly release command
exiting 1, adopting a failed Supabase project) and have tests since.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    """``path`` with ``old`` replaced by ``new``; killed when ``tests`` fail on it."""

    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]
    #: The issue 18 item this mutant is (1-10), or None for the others.
    item: int | None = None


U = "tests/unit"
PROVIDERS = f"{U}/providers"
SECRETS = f"{PROVIDERS}/test_secret_outputs.py"

ITEMS: tuple[Mutant, ...] = (
    Mutant(
        "a REMOVED Supabase project no longer reads as gone",
        "providers/supabase/project.py",
        'if project is None or project.get("status") == "REMOVED":',
        "if project is None:",
        (f"{PROVIDERS}/test_supabase.py",),
        item=1,
    ),
    Mutant(
        "a DELETE answered 500 counts as done",
        "providers/_http.py",
        'self.request("DELETE", path, expect=(404,), **kwargs)',
        'self.request("DELETE", path, expect=(404, 500), **kwargs)',
        (f"{PROVIDERS}/test_http.py", "tests/against_sandbox/test_upstash_redis_database.py"),
        item=2,
    ),
    Mutant(
        "only: is applied after the collision check, so disjoint only: lists collide",
        "components/linking.py",
        """            if offer.only is not None and variable not in offer.only:
                continue
            injected = offer.rename.get(variable, variable)
            if injected in sources:
                problems.append(
                    Problem(
                        (index,),
                        f"injects {injected}, which {sources[injected]} also sets; rename one "
                        "with rename:",
                    )
                )
                continue
""",
        """            injected = offer.rename.get(variable, variable)
            if injected in sources:
                problems.append(
                    Problem(
                        (index,),
                        f"injects {injected}, which {sources[injected]} also sets; rename one "
                        "with rename:",
                    )
                )
                continue
            if offer.only is not None and variable not in offer.only:
                continue
""",
        (f"{U}/components/test_linking.py", f"{U}/spec/test_loading.py"),
        item=3,
    ),
    Mutant(
        "Render Key Value standard costs 30 instead of 32",
        "components/spec/prices.py",
        '"standard": Price(32, RENDER, EARLIER),',
        '"standard": Price(30, RENDER, EARLIER),',
        (f"{U}/spec/test_prices.py", f"{U}/spec/test_cost.py"),
        item=4,
    ),
    Mutant(
        "the Render sandbox loads a PATCHed service whoever owns it",
        "sandbox/render/services.py",
        """    doc = load(ctx, KIND, serviceId, owner, "service")
    request = parse(m.ServicePatch, body)""",
        """    doc = load(ctx, KIND, serviceId, None, "service")  # type: ignore[arg-type]
    request = parse(m.ServicePatch, body)""",
        ("tests/sandbox/test_render_services.py",),
        item=5,
    ),
    Mutant(
        "a Render service's env_vars are no longer a secret output",
        "providers/render/service.py",
        'SECRET_OUTPUTS = ("env_vars", "secret_files")',
        'SECRET_OUTPUTS = ("secret_files",)',
        (SECRETS,),
        item=6,
    ),
    Mutant(
        "TLS is never enabled on an existing Upstash database",
        "providers/upstash/redis_database.py",
        'if "tls" in changed and inputs.tls:',
        'if "tls" in changed and inputs.tls and False:',
        ("tests/against_sandbox/test_upstash_redis_database.py", f"{PROVIDERS}/test_upstash.py"),
        item=7,
    ),
    Mutant(
        "a deploy that ends pre_deploy_failed (a failed migration) is not a failure",
        "providers/render/service_release.py",
        'DEPLOY_FAILED = frozenset({"build_failed", "update_failed", "pre_deploy_failed", '
        '"canceled"})',
        'DEPLOY_FAILED = frozenset({"build_failed", "update_failed", "canceled"})',
        (f"{PROVIDERS}/test_render.py",),
        item=8,
    ),
    Mutant(
        "Upstash redis_url is not a secret output",
        "providers/upstash/redis_database.py",
        'SECRET_OUTPUTS = ("password", "rest_token", "read_only_rest_token", "redis_url")',
        'SECRET_OUTPUTS = ("password", "rest_token", "read_only_rest_token")',
        (SECRETS,),
        item=9,
    ),
    Mutant(
        "Supabase service_role_key is not a secret output",
        "providers/supabase/project.py",
        'SECRET_OUTPUTS = ("database_password", "anon_key", "service_role_key", "database_url", '
        '"pooler_url")',
        'SECRET_OUTPUTS = ("database_password", "anon_key", "database_url", "pooler_url")',
        (SECRETS,),
        item=9,
    ),
    # Item 10's two causes of flakiness, each undone.
    Mutant(
        "the sandbox's rate-limit windows follow the real clock, not the injected one",
        "sandbox/core/server.py",
        "limiter=RateLimiter(enabled=self.config.rate_limits, clock=self.config.clock),",
        "limiter=RateLimiter(enabled=self.config.rate_limits),",
        (
            "tests/sandbox/test_supabase_config.py::test_rate_limit_is_120_per_minute_per_endpoint"
            "_with_headers",
        ),
        item=10,
    ),
    Mutant(
        "test sessions share pytest's temp root again (a new one resets its permissions)",
        "tests/conftest.py",
        "config.option.basetemp = str(session_dir(keep=keep))",
        "config.option.basetemp = None",
        ("tests/sandbox/test_sessions_side_by_side.py",),
        item=10,
    ),
)

OTHERS: tuple[Mutant, ...] = (
    Mutant(
        "a POST answered 503 is repeated",
        "providers/_http.py",
        "if status in RETRYABLE_STATUSES and (repeatable or status == 429) and not last:",
        "if status in RETRYABLE_STATUSES and not last:",
        (f"{PROVIDERS}/test_http.py",),
    ),
    Mutant(
        "configured secrets are no longer redacted from errors",
        "providers/_http.py",
        "            text = text.replace(secret, REDACTED)",
        "            text = text.replace(secret, secret)",
        (f"{PROVIDERS}/test_http.py", f"{PROVIDERS}/test_redaction.py"),
    ),
    Mutant(
        "Retry-After is ignored",
        "providers/_http.py",
        'hinted = _seconds(response.headers.get("retry-after"))',
        "hinted = None",
        (f"{PROVIDERS}/test_http.py",),
    ),
    Mutant(
        "a create whose answer was lost is posted again instead of looked up",
        "providers/_resource.py",
        """                if not exc.maybe_applied:
                    raise""",
        """                if exc.maybe_applied or not exc.maybe_applied:
                    raise""",
        (f"{PROVIDERS}/test_render.py", f"{PROVIDERS}/test_upstash.py"),
    ),
    Mutant(
        "an undeclared optional input is compared, so the vendor's value is overwritten",
        "providers/_resource.py",
        "if desired is None and key in self.optional:",
        "if desired is None and key in ():",
        (f"{PROVIDERS}/test_supabase.py",),
    ),
    Mutant(
        "turning TLS off an Upstash database updates in place (no call can)",
        "providers/upstash/redis_database.py",
        'if olds.get("tls") is True and news.get("tls") is False:',
        'if olds.get("tls") is True and news.get("tls") is None:',
        (f"{PROVIDERS}/test_upstash.py",),
    ),
    Mutant(
        "an Upstash TLS database gets a redis:// URL",
        "providers/upstash/redis_database.py",
        'scheme = self.client.redis_scheme or ("rediss" if tls else "redis")',
        'scheme = self.client.redis_scheme or "redis"',
        (f"{PROVIDERS}/test_upstash.py",),
    ),
    Mutant(
        "waiting for a Supabase project ignores a terminal status",
        "providers/supabase/project.py",
        "if project is None or status in FAILED:",
        "if project is None:",
        (f"{PROVIDERS}/test_supabase.py",),
    ),
    Mutant(
        "an in-place update forgets the generated database password",
        "providers/supabase/project.py",
        'news = {**news, "database_password": olds.get("database_password")}',
        "news = dict(news)",
        (f"{PROVIDERS}/test_supabase.py",),
    ),
    Mutant(
        "a Render deploy superseded by a newer one is not done",
        "providers/render/service_release.py",
        'DEPLOY_DONE = frozenset({"live", "deactivated"})',
        'DEPLOY_DONE = frozenset({"live"})',
        (f"{PROVIDERS}/test_render.py",),
    ),
    Mutant(
        "a Render service moved to another region is updated in place (no PATCH can)",
        "providers/render/service.py",
        'replace_on: ClassVar[tuple[str, ...]] = ("type", "region")',
        'replace_on: ClassVar[tuple[str, ...]] = ("type",)',
        ("tests/against_sandbox/test_render_service.py",),
    ),
    Mutant(
        "a same-named Supabase project that failed to start is adopted",
        "providers/supabase/project.py",
        'and project.get("status") not in FAILED',
        'and project.get("status") not in ()',
        (f"{PROVIDERS}/test_supabase.py", "tests/against_sandbox/test_supabase_project.py"),
    ),
    Mutant(
        "a failing Fly release command no longer stops the rollout",
        "providers/fly/rollout.py",
        "        if code not in (None, 0):",
        "        if code not in (None, 0, 1):",
        (f"{PROVIDERS}/test_fly.py",),
    ),
    Mutant(
        "a Fly app of the same name in another org is adopted",
        "providers/fly/app.py",
        "if inputs.org not in (PERSONAL, slug):",
        "if inputs.org in ():",
        (f"{PROVIDERS}/test_fly.py",),
    ),
    Mutant(
        "a link may overwrite the consumer's own env var",
        "components/linking.py",
        'sources: dict[str, str] = {name: f"env.{name}" for name in own}',
        "sources: dict[str, str] = {}",
        (f"{U}/components/test_linking.py", f"{U}/spec/test_errors.py"),
    ),
    Mutant(
        "Render starter instances cost 8 instead of 7",
        "components/spec/prices.py",
        '"starter": Price(7, RENDER, EARLIER),',
        '"starter": Price(8, RENDER, EARLIER),',
        (f"{U}/spec/test_cost.py",),
    ),
    Mutant(
        "the Supabase database URL a component offers is not secret",
        "components/postgres.py",
        "self.database_url = pulumi.Output.secret(database.database_url)",
        "self.database_url = database.database_url",
        (f"{U}/components/test_postgres.py",),
    ),
    Mutant(
        "a production Redis is not protected from deletion",
        "components/redis.py",
        "kept = self.child_opts(protect=args.protect)",
        "kept = self.child_opts(protect=False)",
        (f"{U}/components/test_redis.py",),
    ),
    Mutant(
        "the sandbox's rate limiter allows one request too many",
        "sandbox/core/limits.py",
        "if used >= limit:",
        "if used > limit:",
        (
            "tests/sandbox/test_supabase_config.py::test_rate_limit_is_120_per_minute_per_endpoint"
            "_with_headers",
        ),
    ),
    Mutant(
        "the sandbox's store hands any workspace's object to any caller",
        "sandbox/core/store.py",
        "if row is None or (owner is not None and row[0] != owner):",
        "if row is None:",
        ("tests/sandbox/test_render_services.py",),
    ),
    Mutant(
        "the sandbox's PostgreSQL socket stays under a state dir too deep for a Unix socket",
        "sandbox/core/postgres.py",
        'if len(os.fsencode(inside / ".s.PGSQL.65535")) <= SOCKET_PATH_MAX:',
        "if inside:",
        (
            "tests/sandbox/test_core.py::test_a_state_dir_too_deep_for_a_unix_socket_still_runs"
            "_postgres_and_keeps_its_data",
        ),
    ),
    Mutant(
        "a preview's orphan search deletes unmarked objects too",
        "paas_stacks/preview/orphans.py",
        "if judge(item.markers, owner)[0] is Verdict.OURS and item.id not in in_state",
        "if judge(item.markers, owner)[0] is not Verdict.FOREIGN and item.id not in in_state",
        (f"{U}/preview/test_orphans.py",),
    ),
    Mutant(
        "the branch sweep deletes a persistent branch paas-stacks did not make",
        "paas_stacks/preview/branch_sweep.py",
        'if branch.get("persistent") and not secret_markers(',
        'if branch.get("persistent") and False and not secret_markers(',
        (f"{U}/preview/test_databases.py",),
    ),
    Mutant(
        "the branch sweep no longer knows a killed run's tagged branch name",
        "paas_stacks/preview/branch_sweep.py",
        'declared = Marker.split_name(str(branch.get("name") or ""))[0]',
        'declared = str(branch.get("name") or "")',
        (f"{U}/preview/test_databases.py",),
    ),
    Mutant(
        "a Supabase branch's database password is not a secret output",
        "providers/supabase/branch.py",
        """SECRET_OUTPUTS = (
    "database_password",
""",
        """SECRET_OUTPUTS = (
""",
        (SECRETS,),
    ),
    Mutant(
        "a Fly process group's machines include another group's",
        "providers/fly/machines.py",
        ".get(GROUP_KEY) == group",
        ".get(GROUP_KEY) is not None",
        (
            f"{PROVIDERS}/test_fly.py",
            "tests/against_sandbox/test_fly_app_machines.py",
            "tests/integration/test_fly_processes_engine.py",
        ),
    ),
)

MUTANTS: tuple[Mutant, ...] = ITEMS + OTHERS
