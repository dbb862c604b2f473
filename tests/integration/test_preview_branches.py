"""The preview rehearsal of a Supabase-backed base on a paid plan, through the real engine and
the sandbox: each pull request's database is a ``pr-<N>`` branch of the base's project (not a
new project), its service's ``DATABASE_URL`` connects to that branch's own database with the
migrations applied there, closing the PR deletes the branch (its database dropped), the sweeper
deletes the branch a removed stack left behind, and the base's project is untouched. The
free-plan path (a new project, and the comment saying why) is the ``demo`` rehearsal's
(``test_preview_rehearsal.py``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from sandbox import Sandbox
from tests.conftest import EngineFactory
from tests.engine import credentials, handed_out_secrets
from tests.integration.test_preview_rehearsal import checkout, preview, pulumi, stacks

pytestmark = pytest.mark.engine

#: A paid-plan base: the sandbox's organization is on Pro, and so is the stack file's plan.
SHOP = """\
config:
  paas-stacks:environment:
    region: frankfurt
    services:
      api:
        kind: web
        platform: render
        plan: starter
        runtime: node
        repo: https://github.com/acme/masstock-demo
        branch: main
        build_command: npm install
        start_command: npm start
        links:
          - to: db
            only: [DATABASE_URL]
    postgres:
      db:
        provider: supabase
        organization: acme-sandbox-org
        plan: pro
        migrations: stacks/migrations/demo
        function_env:
          NODE_ENV: preview
"""


class Vendors:
    """What the sandbox's Render and Supabase APIs say, as their dashboards would show it."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.render = httpx.Client(
            base_url=sandbox.base_url("render"),
            headers={"authorization": f"Bearer {sandbox.token('render')}"},
        )
        self.supabase = httpx.Client(
            base_url=sandbox.base_url("supabase"),
            headers={"authorization": f"Bearer {sandbox.token('supabase')}"},
        )

    def database_url(self, service: str) -> str:
        listed = self.render.get("/services", params={"name": service}).json()
        assert len(listed) == 1, listed
        service_id = listed[0]["service"]["id"]
        env = self.render.get(f"/services/{service_id}/env-vars").json()
        return str(next(e["envVar"]["value"] for e in env if e["envVar"]["key"] == "DATABASE_URL"))

    def delete_service(self, service: str) -> None:
        listed = self.render.get("/services", params={"name": service}).json()
        for entry in listed:
            self.render.delete(f"/services/{entry['service']['id']}").raise_for_status()

    def branches(self, parent: str) -> dict[str, dict[str, Any]]:
        listed = self.supabase.get(f"/v1/projects/{parent}/branches").json()
        return {str(branch["name"]): branch for branch in listed}

    def projects(self) -> list[dict[str, Any]]:
        return list(self.supabase.get("/v1/projects").json())

    def secret_names(self, ref: str) -> set[str]:
        return {s["name"] for s in self.supabase.get(f"/v1/projects/{ref}/secrets").json()}


def database_of(url: str) -> tuple[str, set[str]]:
    """(the database the URL logs in to, its public tables)."""
    with psycopg.connect(url, connect_timeout=5) as conn:
        name = conn.execute("select current_database()").fetchone()
        rows = conn.execute(
            "select table_name from information_schema.tables where table_schema = 'public'"
        ).fetchall()
    return str(name[0] if name else ""), {str(row[0]) for row in rows}


def with_shop(project: Path) -> Path:
    (project / "stacks" / "Pulumi.shop.yaml").write_text(SHOP)
    return project


def test_a_paid_base_previews_each_pr_on_its_own_branch_of_the_base_project(
    tmp_path: Path, engine: type[EngineFactory], engine_sandbox: Sandbox
) -> None:
    base = with_shop(checkout(tmp_path, "base"))
    pr1, pr2 = with_shop(checkout(tmp_path, "pr1")), with_shop(checkout(tmp_path, "pr2"))
    vendors = Vendors(engine_sandbox)
    pulumi(base, "stack", "init", "shop")
    try:
        pulumi(base, "up", "--yes", "--skip-preview", "--stack", "shop")
        _rehearse(base, pr1, pr2, vendors, engine_sandbox)
    finally:
        for name in stacks(pr2):
            if name.startswith("pr-"):
                preview(pr2, "destroy", "--pr", name.removeprefix("pr-"))
        pulumi(base, "destroy", "--yes", "--skip-preview", "--stack", "shop")
        pulumi(base, "stack", "rm", "--yes", "shop")


def _rehearse(base: Path, pr1: Path, pr2: Path, vendors: Vendors, sandbox: Sandbox) -> None:
    [project] = [p for p in vendors.projects() if p["name"] == "shop-db"]
    parent = str(project["ref"])
    base_url = vendors.database_url("shop-api")
    base_db, base_tables = database_of(base_url)
    assert {"clients"} <= base_tables
    projects_before = sorted(p["ref"] for p in vendors.projects())
    assert "NODE_ENV" in vendors.secret_names(parent)  # a plain function variable, applied

    # PR 1 and PR 2 opened: each gets a branch of the base's project, named after the PR.
    comments = {}
    for number, checkout_dir in ((1, pr1), (2, pr2)):
        head = ("--head-ref", f"feature/{number}", "--head-sha", f"{number}" * 40)
        preview(checkout_dir, "prepare", "--pr", str(number), "--base", "shop", *head)
        pulumi(checkout_dir, "up", "--yes", "--skip-preview", "--stack", f"pr-{number}")
        comments[number] = preview(checkout_dir, "comment", "--pr", str(number), "--base", "shop")
    branches = vendors.branches(parent)
    assert branches["pr-1"]["git_branch"] == "feature/1"
    assert branches["pr-2"]["git_branch"] == "feature/2"
    assert branches["pr-1"]["persistent"] is False
    # Not a project of their own: every project there is now is the base's or a branch's.
    refs = {str(b["project_ref"]) for b in branches.values()}
    assert not [p for p in vendors.projects() if p["ref"] not in {*projects_before, *refs}]
    assert not [p for p in vendors.projects() if p["name"] in ("pr-1-db", "pr-2-db")]

    urls = {n: vendors.database_url(f"pr-{n}-api") for n in (1, 2)}
    seen = {n: database_of(url) for n, url in urls.items()}
    assert len({base_db, seen[1][0], seen[2][0]}) == 3  # three databases, one each
    for number in (1, 2):
        assert branches[f"pr-{number}"]["project_ref"] in seen[number][0]
        assert {"clients"} <= seen[number][1]  # the migrations ran on the branch
        assert "NODE_ENV" in vendors.secret_names(branches[f"pr-{number}"]["project_ref"])
    assert "is a Supabase branch of `shop`'s project" in comments[1]
    assert "branch `pr-1`: micro compute $0.01344/hour ($9.81 a month" in comments[1]
    for project_dir, stack in ((pr1, "pr-1"), (pr2, "pr-2")):
        plain = pulumi(project_dir, "stack", "export", "--stack", stack)
        shown = pulumi(project_dir, "stack", "export", "--show-secrets", "--stack", stack)
        assert not [value for value in handed_out_secrets(sandbox) if value in plain]
        assert not [token for token in credentials(sandbox) if token in plain + shown]
        assert not [value for value in handed_out_secrets(sandbox) if value in comments[1]]

    # PR 1 closed: its branch is deleted and its database dropped; PR 2's stays.
    (pr1 / "stacks" / "Pulumi.pr-1.yaml").unlink()
    preview(pr1, "destroy", "--pr", "1")
    assert "pr-1" not in vendors.branches(parent)
    with pytest.raises(psycopg.OperationalError):
        database_of(urls[1])
    assert database_of(urls[2])[0] == seen[2][0]

    # PR 2's stack removed without a destroy (a lost runner): the sweeper finds its branch by
    # the base and deletes it; the base's own project and data are untouched throughout.
    pulumi(pr2, "stack", "rm", "--yes", "--force", "pr-2")
    vendors.delete_service("pr-2-api")  # the rest of what the lost stack left (not swept here)
    swept = preview(pr2, "sweep", "--ttl-days", "7", "--open-prs", "3", "--base", "shop")
    assert f"branch pr-2 of {parent}: deleted (PR #2 is not open)" in swept
    assert set(vendors.branches(parent)) <= {"main"}  # only the default branch is left
    with pytest.raises(psycopg.OperationalError):
        database_of(urls[2])
    assert database_of(base_url) == (base_db, base_tables)
    assert vendors.database_url("shop-api") == base_url
    after = json.loads(pulumi(base, "stack", "export", "--stack", "shop"))
    [kept] = [
        r
        for r in after["deployment"]["resources"]
        if r["type"] == "pulumi-python:dynamic/supabase:Project"
    ]
    assert kept["outputs"]["ref"] == parent
