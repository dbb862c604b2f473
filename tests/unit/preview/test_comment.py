"""The preview's PR comment, rendered from data: exact markdown, and changes from the state."""

from __future__ import annotations

from datetime import UTC, datetime

from paas_stacks.preview.comment import MARKER, CommentData, changes_by_component, render

SINCE = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)


def test_the_comment_lists_each_component_with_url_change_and_both_costs() -> None:
    data = CommentData(
        stack="pr-12",
        base="staging",
        urls={"api": "https://pr-12-api.onrender.com"},
        changes={"api": "updated", "worker": "no change", "db": "created", "app": "no change"},
        preview_cost={"api": 7, "worker": 7, "db": 0, "cache": 0},
        base_cost={"api": 25, "worker": 7, "db": 25, "cache": 10, "web": 1.94},
        summary={"update": 2, "create": 3, "same": 9},
        update=4,
        expires=datetime(2025, 6, 17, 9, 30, tzinfo=UTC),
        ttl_days=7,
        left_out=("static_sites.web",),
    )
    assert render(data) == (
        f"{MARKER}\n"
        "### Preview environment `pr-12` (from `staging`)\n"
        "\n"
        "| component | URL | what changed | preview $/month | `staging` $/month |\n"
        "|---|---|---|---:|---:|\n"
        "| api | <https://pr-12-api.onrender.com> | updated | $7 | $25 |\n"
        "| worker | — | no change | $7 | $7 |\n"
        "| db | — | created | $0 | $25 |\n"
        "| cache | — | — | $0 | $10 |\n"
        "| app | — | no change | — | — |\n"
        "| web | — | — | — | $1.94 |\n"
        "| **total** | | | **$14** | **$68.94** |\n"
        "\n"
        "Update #4: 3 created, 2 updated, 9 unchanged.\n"
        "Left out (bridged providers, offline): static_sites.web.\n"
        "Destroyed when the PR closes, or after 2025-06-17 09:30 UTC (TTL 7 days).\n"
    )


def test_an_update_that_changed_nothing_says_so() -> None:
    data = CommentData("pr-1", "demo", {}, {}, {}, {}, {"same": 4}, 2)
    assert "Update #2: 4 unchanged.\n" in render(data)
    assert "Update #3: no changes." in render(CommentData("pr-1", "demo", {}, {}, {}, {}, {}, 3))


def _resource(urn: str, parent: str | None, created: str, modified: str) -> dict[str, object]:
    return {
        "urn": urn,
        "type": urn.split("::")[2],
        "parent": parent,
        "created": created,
        "modified": modified,
    }


def test_changes_come_from_the_state_timestamps_of_each_component_and_its_children() -> None:
    stack = "urn:pulumi:pr-1::paas-stacks::pulumi:pulumi:Stack::paas-stacks-pr-1"
    env = "urn:pulumi:pr-1::paas-stacks::paas:components:Environment::pr-1"
    api = (
        "urn:pulumi:pr-1::paas-stacks::paas:components:Environment$paas:components:WebService::api"
    )
    svc = api.replace("::api", "$pulumi-python:dynamic:Resource::api-service")
    db = env.replace("Environment::pr-1", "Environment$paas:components:Postgres::db")
    project = db.replace("::db", "$pulumi-python:dynamic:Resource::db-project")
    cache = env.replace("Environment::pr-1", "Environment$paas:components:Redis::cache")
    old, new = "2025-06-01T10:00:00.123456789Z", "2025-06-10T12:00:03.5Z"
    deployment = {
        "deployment": {
            "resources": [
                _resource(stack, None, old, new),
                _resource(env, stack, old, old),
                _resource(api, env, old, old),
                _resource(svc, api, old, new),  # an env var changed
                _resource(db, env, old, old),
                _resource(project, db, old, old),
                _resource(cache, env, new, new),  # added by this update
            ]
        }
    }
    assert changes_by_component(deployment, SINCE) == {
        "api": "updated",
        "db": "no change",
        "cache": "created",
    }


def test_the_comment_says_where_prices_come_from_the_budget_and_the_assumptions() -> None:
    data = CommentData(
        "pr-1",
        "demo",
        {},
        {},
        {"api": 7, "cache": 0},
        {"api": 7},
        {"same": 4},
        2,
        prices="all prices from the tables",
        budget="Preview budget: $50.00 a month.",
        notes=("cache has no monthly ceiling",),
    )
    assert render(data).endswith(
        "Update #2: 4 unchanged.\n"
        "Prices: all prices from the tables.\n"
        "Preview budget: $50.00 a month.\n"
        "Assumed: cache has no monthly ceiling.\n"
    )


def test_each_service_shows_the_commit_or_image_it_runs_beside_its_url() -> None:
    digest = "sha256:" + "1a2b3c4d5e6f" + "0" * 52
    data = CommentData(
        stack="pr-4",
        base="staging",
        urls={"api": "https://pr-4-api.onrender.com", "edge": "https://pr-4-edge.fly.dev"},
        changes={"api": "updated", "edge": "updated", "jobs": "no change"},
        preview_cost={},
        base_cost={},
        summary={"update": 2},
        update=2,
        runs={
            "api": {"commit": "3f2a9c1" + "0" * 33, "image": None, "digest": None},
            "edge": {"commit": None, "image": f"registry.fly.io/x:pr-4-3f2a9c1@{digest}"},
            "jobs": {"commit": None, "image": "registry.fly.io/jobs:1.2", "digest": digest},
        },
        head=("feature/checkout", "3f2a9c1" + "0" * 33),
    )
    text = render(data)
    assert "| api | <https://pr-4-api.onrender.com> runs `3f2a9c1` | updated |" in text
    assert "| edge | <https://pr-4-edge.fly.dev> runs `pr-4-3f2a9c1@sha256:1a2b3c4d5e6f` |" in text
    assert "| jobs | — runs `1.2@sha256:1a2b3c4d5e6f` | no change |" in text
    assert "Runs `feature/checkout` at `3f2a9c1` (the pull request's head)." in text
