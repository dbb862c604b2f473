"""The bad-config suite: each broken stack file fails with exactly these lines (file, config
path, value, what is allowed, did-you-mean), and every problem is reported in one error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from paas_stacks.components.spec import SpecError, load_stack

F = "stacks/Pulumi.bad.yaml"
RENDER_PLANS = "free, starter, standard, pro, pro_plus, pro_max, pro_ultra"
#: An environment may name any Fly region too (its place is then the nearest one).
FLY_REGIONS = (
    "ams, arn, bom, cdg, dfw, ewr, fra, gru, iad, jnb, lax, lhr, nrt, ord, sin, sjc, syd, yyz"
)
PAID_PLANS = "starter, standard, pro, pro_plus, pro_max, pro_ultra"
RENDER_KEYS = (
    "adopt_id, auto_deploy, autoscaling, branch, build, build_command, build_filter, commit, "
    "disk, docker_context, dockerfile, env, health_check_path, image, instances, kind, links, "
    "plan, platform, port, pre_deploy_command, region, repo, root_dir, runtime, schedule, size, "
    "start_command"
)
WEB = (
    'kind: web, platform: render, runtime: node, repo: "https://github.com/a/b", '
    "build_command: b, start_command: s"
)
WORKER = (
    'kind: worker, platform: render, runtime: node, repo: "https://github.com/a/b", '
    "build_command: b, start_command: s"
)


FREE = (
    "'free' cannot be created through the Render API (POST /services takes a paidPlan; free "
    "instances are made in the dashboard only: render.com/docs/free); allowed: " + PAID_PLANS
)


def env(body: str) -> str:
    return "config:\n  paas-stacks:environment:\n" + body


CASES: dict[str, tuple[str, list[str]]] = {
    "a misspelt plan names the allowed plans and the close one": (
        env(f"    services:\n      api: {{{WEB}, plan: starer}}\n"),
        [
            f"{F}: environment.services.api.plan: 'starer' is not allowed; allowed: {RENDER_PLANS};"
            " did you mean 'starter'?"
        ],
    ),
    "an unknown key lists the model's keys": (
        env(f"    services:\n      api: {{{WEB}, plan: starter, heath_check_path: /health}}\n"),
        [
            f"{F}: environment.services.api.heath_check_path: unknown key; allowed: {RENDER_KEYS}; "
            "did you mean 'health_check_path'?"
        ],
    ),
    "a misspelt platform": (
        env("    services:\n      api: {kind: web, platform: rendr, plan: starter}\n"),
        [
            f"{F}: environment.services.api.platform: 'rendr' is not allowed; allowed: fly, "
            "render; "
            "did you mean 'render'?"
        ],
    ),
    "a missing platform": (
        env("    services:\n      api: {kind: web, plan: starter}\n"),
        [f"{F}: environment.services.api.platform: is required; allowed: fly, render"],
    ),
    "a Supabase database without its organization": (
        env("    postgres:\n      db: {provider: supabase, plan: free}\n"),
        [f"{F}: environment.postgres.db.organization: is required"],
    ),
    "a link to a missing component": (
        env(
            f"    services:\n      api: {{{WEB}, plan: starter, links: [dbb]}}\n"
            "    postgres:\n      db: {provider: render, plan: basic_256mb}\n"
        ),
        [
            f"{F}: environment.services.api.links[0].to: 'dbb' is not a component; allowed: api, "
            "db;"
            " did you mean 'db'?"
        ],
    ),
    "autoscaling with min above max": (
        env(
            "    services:\n      api: {kind: web, platform: fly, size: shared-cpu-1x, image: x,"
            " autoscaling: {min: 3, max: 1}}\n"
        ),
        [f"{F}: environment.services.api.autoscaling.min: 3 is greater than max 1"],
    ),
    "a worker with a health check": (
        env(
            f"    services:\n      jobs: {{{WORKER}, plan: starter, health_check_path: /health}}\n"
        ),
        [
            f"{F}: environment.services.jobs.health_check_path: a worker serves no HTTP, so it has "
            "no health_check_path; remove it or set kind: web"
        ],
    ),
    "a free Render worker, which the Render API cannot create": (
        env(f"    services:\n      jobs: {{{WORKER}, plan: free}}\n"),
        [f"{F}: environment.services.jobs.plan: {FREE}"],
    ),
    "a free Render web service, even outside production": (
        env(f"    services:\n      api: {{{WEB}, plan: free}}\n"),
        [f"{F}: environment.services.api.plan: {FREE}"],
    ),
    "a free Render web service with a pre-deploy command: both lines": (
        env(f"    services:\n      api: {{{WEB}, plan: free, pre_deploy_command: m}}\n"),
        [
            f"{F}: environment.services.api.plan: {FREE}",
            f"{F}: environment.services.api.pre_deploy_command: needs a paid plan "
            "(render.com/docs/free)",
        ],
    ),
    "Render Postgres settings its provider cannot apply are refused, not dropped": (
        env(
            "    postgres:\n      db: {provider: render, plan: basic_256mb, migrations: stacks,"
            " high_availability: true}\n"
        ),
        [
            f"{F}: environment.postgres.db.migrations: Render Postgres has no API to run "
            "migrations; run them in a linked service's pre_deploy_command",
            f"{F}: environment.postgres.db.high_availability: is not supported by the Render "
            "Postgres provider yet; set it in the dashboard or leave it false",
        ],
    ),
    "production refuses a free Supabase project": (
        env(
            "    production: true\n    postgres:\n"
            "      db: {provider: supabase, organization: acme, plan: free}\n"
        ),
        [
            f"{F}: environment.postgres.db.plan: 'free' is refused by production: true (free "
            "Supabase projects are paused after 1 week of inactivity: supabase.com/pricing); "
            "allowed: pro, team, enterprise"
        ],
    ),
    "production refuses a free Render Postgres": (
        env("    production: true\n    postgres:\n      db: {provider: render, plan: free}\n"),
        [
            f"{F}: environment.postgres.db.plan: 'free' is refused by production: true (free "
            "Render "
            "Postgres databases expire 30 days after creation: render.com/docs/free); choose a "
            "paid "
            "plan, e.g. 'basic_256mb'"
        ],
    ),
    "production refuses a free Render Key Value": (
        env("    production: true\n    redis:\n      cache: {provider: render, plan: free}\n"),
        [
            f"{F}: environment.redis.cache.plan: 'free' is refused by production: true (free "
            "Render "
            "Key Value keeps data in memory only and loses it on restart: render.com/docs/free); "
            "choose a paid plan, e.g. 'starter'"
        ],
    ),
    "a misspelt region": (
        env("    region: frankfort\n"),
        [
            f"{F}: environment.region: 'frankfort' is not allowed; allowed: oregon, ohio, "
            f"virginia, frankfurt, singapore, {FLY_REGIONS}; did you mean 'frankfurt'?"
        ],
    ),
    "a component name that is not DNS-safe": (
        env(f"    services:\n      My_Api: {{{WEB}, plan: starter}}\n"),
        [
            f"{F}: environment.services.My_Api: 'My_Api' is not a name of lowercase letters, "
            "digits "
            "and '-' (at most 24, starting with a letter)"
        ],
    ),
    "one name in two sections": (
        env(
            "    postgres:\n      db: {provider: render, plan: basic_256mb}\n"
            "    redis:\n      db: {provider: upstash, plan: free}\n"
        ),
        [
            f"{F}: environment.redis.db: 'db' is already the name of environment.postgres.db; "
            "links "
            "refer to components by name, so names are unique across sections"
        ],
    ),
    "a secret whose config key is not set": (
        env(
            "    secrets:\n      app:\n        from_config: {STRIPE_SECRET_KEY: stripeSecretKey}\n"
        ),
        [
            f"{F}: environment.secrets.app.from_config.STRIPE_SECRET_KEY: config key "
            "'paas-stacks:stripeSecretKey' is not set; run: pulumi config set --secret "
            "paas-stacks:stripeSecretKey <value> --stack bad"
        ],
    ),
    "a link picking a variable its target does not provide": (
        env(
            f"    services:\n      api: {{{WEB}, plan: starter, links: [{{to: cache, only: "
            "[REDIS_URI]}]}\n    redis:\n      cache: {provider: upstash, plan: free}\n"
        ),
        [
            f"{F}: environment.services.api.links[0].only[0]: 'REDIS_URI' is not provided by "
            "'cache'; allowed: REDIS_URL, REDIS_HOST, REDIS_PORT, REDIS_PASSWORD; did you mean "
            "'REDIS_URL'?"
        ],
    ),
    "a link that overwrites a plain env var": (
        env(
            f"    services:\n      api: {{{WEB}, plan: starter, env: {{DATABASE_URL: x}}, links:"
            " [db]}\n    postgres:\n      db: {provider: render, plan: basic_256mb}\n"
        ),
        [
            f"{F}: environment.services.api.links[0]: injects DATABASE_URL, which "
            "env.DATABASE_URL also sets; rename one with rename:"
        ],
    ),
    "a domain on a worker": (
        env(
            f"    services:\n      api: {{{WEB}, plan: starter}}\n"
            f"      jobs: {{{WORKER}, plan: starter}}\n"
            "    domains:\n      www: {hostname: jobs.example.com, target: jobs}\n"
        ),
        [
            f"{F}: environment.domains.www.target: 'jobs' is not a web service or static site; "
            "allowed: api"
        ],
    ),
    "point-in-time recovery on a free project": (
        env(
            "    postgres:\n      db: {provider: supabase, organization: acme, plan: free, "
            "pitr_days: 7}\n"
        ),
        [
            f"{F}: environment.postgres.db.pitr_days: point-in-time recovery needs plan pro or "
            "higher; got 'free'",
            f"{F}: environment.postgres.db.pitr_days: point-in-time recovery needs instance_size "
            "'small' or larger; got 'micro'",
        ],
    ),
    "a migrations folder that does not exist": (
        env(
            "    postgres:\n      db: {provider: supabase, organization: acme, plan: free, "
            "migrations: stacks/migrations/nowhere}\n"
        ),
        [
            f"{F}: environment.postgres.db.migrations: folder 'stacks/migrations/nowhere' does not "
            "exist (paths are relative to the project root)"
        ],
    ),
    "a start command on Fly that is no command line is one line, not a traceback": (
        env(
            "    services:\n      api: {kind: web, platform: fly, size: shared-cpu-1x, image: x,"
            ' start_command: "sh -c \'npm start"}\n'
        ),
        [
            f"{F}: environment.services.api.start_command: is not a command line (No closing "
            'quotation): "sh -c \'npm start"'
        ],
    ),
    "an IP allow list entry that is no CIDR is one line": (
        env(
            "    redis:\n      cache: {provider: render, plan: starter, ip_allow_list: "
            "[10.0.0.0/8, {cidr: office, description: hq}]}\n"
        ),
        [
            f"{F}: environment.redis.cache.ip_allow_list[1].cidr: 'office' is not a CIDR block "
            "such as '10.0.0.0/8'"
        ],
    ),
    "a Render service moved to Fly names each line to change": (
        env(
            "    services:\n      api: {kind: web, platform: fly, image: registry.fly.io/a:1, "
            'runtime: node, repo: "https://github.com/a/b", build_command: b, plan: starter}\n'
        ),
        [
            f"{F}: environment.services.api.runtime: is not a setting of this platform: Fly "
            "machines run a prebuilt image; remove runtime and set image:",
            f"{F}: environment.services.api.repo: is not a setting of this platform: Fly "
            "machines run a prebuilt image, not a repository build; remove repo and set image:",
            f"{F}: environment.services.api.build_command: is not a setting of this platform: "
            "Fly machines run a prebuilt image; build it in CI and remove build_command",
            f"{F}: environment.services.api.plan: is not a setting of this platform: Fly sizes "
            "machines with size:; write size: small|medium|... (both platforms) or a Fly preset",
        ],
    ),
    "a cron job without its schedule, on a platform without cron": (
        env(
            "    services:\n      nightly: {kind: cron, platform: render, runtime: node, "
            'repo: "https://github.com/a/b", build_command: b, start_command: s, instances: 2}\n'
            "      tick: {kind: cron, platform: fly, image: registry.fly.io/a:1, "
            "schedule: '0 3 * * *'}\n"
        ),
        [
            f"{F}: environment.services.nightly.schedule: is required for kind: cron: a cron "
            "expression in UTC, e.g. '0 3 * * *' (render.com/docs/cronjobs)",
            f"{F}: environment.services.nightly.instances: a cron job runs one instance each "
            "time it is due; remove it",
            f"{F}: environment.services.tick.schedule: Fly machines run on a schedule of hourly, "
            "daily, weekly or monthly only, never a cron expression; set platform: render for a "
            "cron job, or run a worker with its own scheduler",
        ],
    ),
    "a disk on a service that scales": (
        env(
            f"    services:\n      api: {{{WEB}, plan: starter, instances: 2, "
            "disk: {name: data, mount_path: /var/data, size_gb: 5}}\n"
        ),
        [
            f"{F}: environment.services.api.instances: a service with a disk runs one instance "
            "(render.com/docs/disks); got 2",
        ],
    ),
    "link properties name what the target has, and a service's own address only": (
        env(
            f"    services:\n      api: {{{WEB}, plan: starter, links: ["
            "{to: db, properties: {DB_HOST: hostname}}, {to: api}, "
            "{to: jobs, properties: {J: host, K: env.NOPE}}, "
            "{to: cache, only: [REDIS_URL], properties: {R: host}}]}\n"
            f"      jobs: {{{WORKER}, plan: starter, env: {{TOKEN: t}}, links: ["
            "{to: jobs, properties: {ME: url}}]}\n"
            "    postgres:\n      db: {provider: render, plan: basic_256mb}\n"
            "    redis:\n      cache: {provider: render, plan: starter}\n"
        ),
        [
            f"{F}: environment.services.api.links[1].to: 'api' links to itself: name its own "
            "address under properties:, e.g. {PUBLIC_URL: url}",
            f"{F}: environment.services.api.links[0].properties.DB_HOST: 'hostname' is not a "
            "property of 'db'; allowed: connection_string, host, port, hostport, user, password, "
            "database; did you mean 'host'?",
            f"{F}: environment.services.api.links[2].properties.J: 'host' is not a property of "
            "'jobs'; allowed: env.TOKEN, env.ME",
            f"{F}: environment.services.api.links[2].properties.K: 'env.NOPE' is not a property "
            "of 'jobs'; allowed: env.TOKEN, env.ME; did you mean 'env.ME'?",
            f"{F}: environment.services.api.links[3].only: properties: names every variable "
            "itself; remove only",
            f"{F}: environment.services.jobs.links[0].properties.ME: 'url' is not a property of "
            "a worker service's own address; allowed: none (it has no address)",
        ],
    ),
    "a cycle through a service's link to itself is located at the link that closes it": (
        env(
            f"    services:\n      api: {{{WEB}, plan: starter, links: ["
            "{to: api, properties: {SELF: url}}, {to: jobs, properties: {T: env.TOKEN}}]}\n"
            f"      jobs: {{{WORKER}, plan: starter, env: {{TOKEN: t}}, links: ["
            "{to: api, properties: {API: url}}]}\n"
        ),
        [
            f"{F}: environment.services.api.links[1].to: 'api' -> 'jobs' -> 'api' is a cycle: "
            "each would have to be built before the other; drop one link",
        ],
    ),
    "links that go round": (
        env(
            f"    services:\n      api: {{{WEB}, plan: starter, links: [web]}}\n"
            '    static_sites:\n      web: {provider: render_static, repo: "https://github.com/a/b",'
            " build_command: b, output_dir: d, links: [api]}\n"
        ),
        [
            f"{F}: environment.services.api.links[0].to: 'api' -> 'web' -> 'api' is a cycle: "
            "each would have to be built before the other; drop one link"
        ],
    ),
    "a value nested deeper than any stack file needs": (
        env(
            f"    services:\n      api: {{{WEB}, plan: starter, env: "
            + "{A: " * 40
            + "1"
            + "}" * 40
            + "}\n"
        ),
        [f"{F}: environment.services.api.env" + ".A" * 29 + ": is nested more than 32 levels deep"],
    ),
    "a value nested too deep for the YAML reader names its path too": (
        env("    services:\n      api:\n        env: " + "{A: [" * 600 + "1" + "]}" * 600 + "\n"),
        [
            f"{F}: config.paas-stacks:environment.services.api.env" + ".A.0" * 13 + ".A: is "
            "nested more than 32 levels deep"
        ],
    ),
    "more memory than a Fly size allows": (
        env(
            "    services:\n      api: {kind: web, platform: fly, size: shared-cpu-1x, image: x,"
            " memory_mb: 4096}\n"
        ),
        [
            f"{F}: environment.services.api.memory_mb: 4096 is outside what shared-cpu-1x allows: "
            "256-2048 MB (fly.io/docs/machines/guides-examples/machine-sizing)"
        ],
    ),
    "a plan the frontend provider does not sell": (
        env(
            "    static_sites:\n      web: {provider: cloudflare_pages, plan: pro, build_command:"
            " b, output_dir: dist}\n"
        ),
        [f"{F}: environment.static_sites.web.plan: 'pro' is not allowed; allowed: free"],
    ),
    "an S3-compatible bucket without endpoint or keys": (
        env("    object_stores:\n      media: {provider: s3_compatible, bucket: media-bucket}\n"),
        [
            f"{F}: environment.object_stores.media.{key}: is required for provider 's3_compatible'"
            for key in ("endpoint", "access_key_from_config", "secret_key_from_config")
        ],
    ),
    "a retention Supabase does not sell": (
        env(
            "    postgres:\n      db: {provider: supabase, organization: acme, plan: pro, "
            "instance_size: small, pitr_days: 10}\n"
        ),
        [f"{F}: environment.postgres.db.pitr_days: 10 is not allowed; allowed: 7, 14, 28"],
    ),
    "zero instances": (
        env(f"    services:\n      api: {{{WEB}, plan: starter, instances: 0}}\n"),
        [f"{F}: environment.services.api.instances: must be greater than or equal to 1; got 0"],
    ),
    "the old one-word environment": (
        "config:\n  paas-stacks:environment: demo\n",
        [f"{F}: config.paas-stacks:environment: must be a mapping; got 'demo'"],
    ),
    "a stack file that is not YAML": (
        "config:\n  paas-stacks:environment: {services: [\n",
        [
            f"{F}: not valid YAML at line 3, column 1: expected the node content, but found "
            "'<stream end>'"
        ],
    ),
}


def stacks_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    directory = tmp_path / "stacks"
    directory.mkdir()
    for stack, text in files.items():
        (directory / f"Pulumi.{stack}.yaml").write_text(text, encoding="utf-8")
    return directory


def problems(directory: Path, stack: str = "bad") -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_stack(stack, directory)
    return list(caught.value.lines)


@pytest.mark.parametrize(("text", "expected"), CASES.values(), ids=CASES.keys())
def test_a_broken_stack_file_fails_with_exactly_these_lines(
    tmp_path: Path, text: str, expected: list[str]
) -> None:
    assert problems(stacks_dir(tmp_path, {"bad": text})) == expected


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = env(
        f"    production: true\n    region: frankfort\n    services:\n"
        f"      api: {{{WEB}, plan: starer, links: [db]}}\n"
        f"      jobs: {{{WORKER}, plan: starter, health_check_path: /health, links: [db, cahce]}}\n"
        "    postgres:\n      db: {provider: supabase, organization: acme, plan: free, pooler: "
        "transactoin}\n    redis:\n      cache: {provider: upstash, plan: free, evicton: true}\n"
    )
    assert problems(stacks_dir(tmp_path, {"bad": text})) == [
        f"{F}: environment.region: 'frankfort' is not allowed; allowed: oregon, ohio, virginia, "
        f"frankfurt, singapore, {FLY_REGIONS}; did you mean 'frankfurt'?",
        f"{F}: environment.services.api.plan: 'starer' is not allowed; allowed: {RENDER_PLANS}; "
        "did you mean 'starter'?",
        f"{F}: environment.postgres.db.pooler: 'transactoin' is not allowed; allowed: "
        "transaction, session; did you mean 'transaction'?",
        f"{F}: environment.redis.cache.evicton: unknown key; allowed: adopt_id, budget_usd, "
        "eviction, plan, provider, region; did you mean 'eviction'?",
        f"{F}: environment.services.jobs.health_check_path: a worker serves no HTTP, so it has no "
        "health_check_path; remove it or set kind: web",
        f"{F}: environment.services.jobs.links[1].to: 'cahce' is not a component; allowed: api, "
        "cache, db, jobs; did you mean 'cache'?",
    ]


def test_a_problem_in_a_base_stack_names_the_base_file(tmp_path: Path) -> None:
    directory = stacks_dir(
        tmp_path,
        {
            "staging": env(f"    services:\n      api: {{{WEB}, plan: free, helth: /x}}\n"),
            "prod": env("    extends: staging\n    services:\n      api:\n        plan: standrd\n"),
        },
    )
    assert problems(directory, "prod") == [
        "stacks/Pulumi.prod.yaml: environment.services.api.plan: 'standrd' is not allowed; "
        f"allowed: {RENDER_PLANS}; did you mean 'standard'?",
        f"stacks/Pulumi.staging.yaml: environment.services.api.helth: unknown key; allowed: "
        f"{RENDER_KEYS}",
    ]


def test_extends_refuses_a_cycle(tmp_path: Path) -> None:
    directory = stacks_dir(tmp_path, {"a": env("    extends: b\n"), "b": env("    extends: a\n")})
    assert problems(directory, "a") == [
        "stacks/Pulumi.b.yaml: environment.extends: 'a' -> 'b' -> 'a' is a cycle"
    ]


def test_extends_names_the_stacks_there_are(tmp_path: Path) -> None:
    directory = stacks_dir(
        tmp_path, {"a": env("    extends: stagin\n"), "staging": env("    {}\n")}
    )
    assert problems(directory, "a") == [
        "stacks/Pulumi.a.yaml: environment.extends: 'stagin' is not a stack; allowed: a, "
        "staging; did you mean 'staging'?"
    ]


def test_a_stack_without_an_environment_or_file(tmp_path: Path) -> None:
    directory = stacks_dir(tmp_path, {"a": "config:\n  aws:region: us-east-1\n"})
    assert problems(directory, "a") == [
        "stacks/Pulumi.a.yaml: config.paas-stacks:environment: is required (the stack's "
        "environment object)"
    ]
    assert problems(directory, "nope") == ["stacks/Pulumi.nope.yaml: no such stack file"]


def test_the_error_is_a_value_error_whose_message_is_the_lines(tmp_path: Path) -> None:
    directory = stacks_dir(tmp_path, {"bad": env("    region: frankfort\n")})
    with pytest.raises(ValueError, match=r"^stacks/Pulumi\.bad\.yaml: environment\.region: "):
        load_stack("bad", directory)


@pytest.mark.parametrize("how", ["dotdot", "absolute", "symlink"])
def test_a_migrations_folder_outside_the_project_is_refused(tmp_path: Path, how: str) -> None:
    """Even one that exists and holds .sql files: migrations come from the project only."""
    project = tmp_path / "project"
    project.mkdir()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "001.sql").write_text("drop table users;\n")
    folder = {"dotdot": "../elsewhere", "absolute": str(outside), "symlink": "stacks/linked"}[how]
    directory = stacks_dir(
        project,
        {
            "bad": env(
                "    postgres:\n      db: {provider: supabase, organization: acme, plan: free, "
                f"migrations: {folder}}}\n"
            )
        },
    )
    (directory / "linked").symlink_to(outside)
    assert problems(directory) == [
        f"{F}: environment.postgres.db.migrations: folder {folder!r} is outside the project "
        "root; migrations must be a folder inside the project, such as "
        "'stacks/migrations/<name>'"
    ]


def big_environment(kib: int) -> str:
    """An environment whose env vars add up to about ``kib`` KiB."""
    values = "".join(f"          VAR_{i}: {'x' * 1000}\n" for i in range(kib))
    return env(
        "    services:\n      api:\n        kind: web\n        platform: render\n"
        "        plan: starter\n        runtime: node\n        repo: https://github.com/o/r\n"
        "        build_command: npm ci\n        start_command: npm start\n        env:\n" + values
    )


def test_a_stack_config_over_the_environment_variable_limit_is_refused_with_its_size(
    tmp_path: Path,
) -> None:
    directory = stacks_dir(tmp_path, {"bad": big_environment(140), "fits": big_environment(100)})
    [refused] = problems(directory)
    assert re.fullmatch(
        rf"{F}: config: is 14\d{{4}} bytes as Pulumi hands it to the program; the limit is "
        r"131057 bytes \(Linux's cap on one environment variable, PULUMI_CONFIG\); move part of "
        r"the environment into a stack it extends",
        refused,
    ), refused
    assert load_stack("fits", directory).services["api"].env["VAR_99"] == "x" * 1000


def test_a_large_environment_works_from_a_stack_it_extends(tmp_path: Path) -> None:
    """The base's file is read by the program, not handed to it in PULUMI_CONFIG."""
    directory = stacks_dir(
        tmp_path, {"big": big_environment(140), "small": env("    extends: big\n")}
    )
    assert len(load_stack("small", directory).services["api"].env) == 140
