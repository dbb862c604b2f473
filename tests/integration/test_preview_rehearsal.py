"""A rehearsal of the preview workflows (.github/workflows/preview.yml and sweep.yml) through the
real engine, against the sandbox and a local file backend: the same commands, in the same order.

Each pull request has its own checkout (a copy of the project) without any generated stack file,
as on a runner. The workflow's `pulumi/actions` step (`command: up`, `upsert: true`) runs
`pulumi up --yes --skip-preview`; its `destroy` with `remove: true` is `pulumi destroy` + `pulumi
stack rm`, which `python -m paas_stacks.preview destroy` runs. Base: the sandbox-only `demo` stack,
with `paas-stacks:offline: true`.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sandbox import Sandbox
from tests.conftest import EngineFactory
from tests.engine import credentials, handed_out_secrets
from tests.integration.test_seed_stacks_engine import project_copy

pytestmark = pytest.mark.engine

OFFLINE = ("--config", "paas-stacks:offline=true")
VENDORS = ("render", "fly", "supabase", "upstash")
#: vars.PREVIEW_BUDGET_USD: a demo preview costs $14 a month (two Starter services).
CEILING = "50"


def preview(project: Path, *args: str) -> str:
    """``python -m paas_stacks.preview <args>`` in a checkout, as the workflow step runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "paas_stacks.preview", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"paas_stacks.preview {args} failed:\n{done.stderr}"
    return done.stdout


def pulumi(project: Path, *args: str) -> str:
    done = subprocess.run(
        ["pulumi", *args, "--non-interactive"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"pulumi {args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def open_or_push(project: Path, pr: int) -> str:
    """preview.yml on opened/synchronize: prepare, the budget gate, the action's `up`, then the
    comment."""
    preview(project, "prepare", "--pr", str(pr), "--base", "demo", *OFFLINE)
    gate(project, pr, CEILING)
    pulumi(project, "up", "--yes", "--skip-preview", "--stack", f"pr-{pr}")
    return preview(project, "comment", "--pr", str(pr), "--base", "demo", "--ceiling", CEILING)


def gate(project: Path, pr: int, ceiling: str) -> subprocess.CompletedProcess[str]:
    """The workflow's budget gate step (before `pulumi up`)."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "paas_stacks.preview",
            "gate",
            "--pr",
            str(pr),
            "--base",
            "demo",
            "--ceiling",
            ceiling,
            "--output",
            "preview-comment.md",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


def checkout(tmp: Path, name: str) -> Path:
    """A fresh checkout: the repository's files, no generated pr-* stack file."""
    (tmp / name).mkdir()
    project = project_copy(tmp / name)
    for generated in (project / "stacks").glob("Pulumi.pr-*.yaml"):
        generated.unlink()
    return project


def vendor_documents(sandbox: Sandbox) -> str:
    """Every object the sandbox holds, as one JSON text to search for names."""
    docs = [
        sandbox.store.all(vendor, kind)
        for vendor, kind, _ in sandbox.store.kinds()
        if not vendor.startswith("_") and not kind.startswith("_")
    ]
    return json.dumps(docs)


def stacks(project: Path) -> list[str]:
    return [entry["name"] for entry in json.loads(pulumi(project, "stack", "ls", "--json"))]


def push_to_demo(project: Path) -> None:
    """The PR's second commit: a louder API log level and a bigger worker in the base stack."""
    path = project / "stacks" / "Pulumi.demo.yaml"
    text = path.read_text().replace("LOG_LEVEL: info", "LOG_LEVEL: debug")
    text = re.sub(r"(worker:\n(?:.*\n){2}\s+plan: )starter", r"\1standard", text)
    assert "plan: standard" in text
    path.write_text(text)


def test_pull_requests_get_independent_preview_environments_that_go_away(
    tmp_path: Path, engine: type[EngineFactory], engine_sandbox: Sandbox
) -> None:
    pr1, pr2 = checkout(tmp_path, "pr1"), checkout(tmp_path, "pr2")
    try:
        _rehearse(pr1, pr2, engine_sandbox)
    finally:
        for name in stacks(pr2):
            if name.startswith("pr-"):
                preview(pr2, "destroy", "--pr", name.removeprefix("pr-"))
    assert "pr-1-" not in vendor_documents(engine_sandbox)
    assert "pr-2-" not in vendor_documents(engine_sandbox)


def test_a_preview_over_the_budget_is_refused_before_any_vendor_call(
    tmp_path: Path, engine: type[EngineFactory], engine_sandbox: Sandbox
) -> None:
    project = checkout(tmp_path, "pr3")
    marks = {vendor: engine_sandbox.log(vendor).last_seq() for vendor in VENDORS}
    try:
        preview(project, "prepare", "--pr", "3", "--base", "demo", *OFFLINE)
        refused = gate(project, 3, "10")
        # The workflow stops here: the job fails, the breakdown is the PR comment.
        assert refused.returncode == 1
        assert refused.stderr == (
            "preview: pr-3: the monthly estimate $14.00 exceeds the repository's preview budget "
            "$10.00 (PREVIEW_BUDGET_USD): not deployed (api $7.00, worker $7.00)\n"
        )
        comment = (project / "preview-comment.md").read_text()
        assert "### Preview environment `pr-3` (from `demo`): not deployed" in comment
        assert "| api | — | — | $7 | $7 |" in comment
        assert "| **total** | | | **$14** | **$14** |" in comment
        calls = {v: engine_sandbox.log(v).entries(marks[v]) for v in VENDORS}
        assert calls == {vendor: [] for vendor in VENDORS}  # not one request to any vendor
        assert json.loads(pulumi(project, "stack", "export", "--stack", "pr-3")).get(
            "deployment", {}
        ).get("resources") in (None, [])
    finally:
        preview(project, "destroy", "--pr", "3")
    assert "pr-3-" not in vendor_documents(engine_sandbox)


def _rehearse(pr1: Path, pr2: Path, sandbox: Sandbox) -> None:
    # PR 1 opened: under the budget, its environment comes up; the comment carries its URL and
    # cost.
    opened = open_or_push(pr1, 1)
    assert "Preview budget: $50.00 a month." in opened
    # demo's database is on the free plan: a new project, and the comment says why.
    assert (
        "Database: `db` is a new Supabase project, not a branch: Supabase branching needs a paid "
        "plan and postgres.db of `demo` is on 'free'." in opened
    )
    url = json.loads(pulumi(pr1, "stack", "output", "urls", "--json", "--stack", "pr-1"))["api"]
    assert "pr-1-api" in url
    # Each service shows the commit its live deploy runs (demo follows main's head).
    assert re.search(
        rf"\| api \| <{re.escape(url)}> runs `[0-9a-f]{{7}}` \| created \| \$7 \| \$7 \|", opened
    )
    assert "| **total** | | | **$14** | **$14** |" in opened
    assert re.search(r"Update #1: \d+ created\.", opened)

    # PR 1 pushed while PR 2 opens, from their own checkouts at the same time.
    push_to_demo(pr1)
    with ThreadPoolExecutor(max_workers=2) as pool:
        pushed_job = pool.submit(open_or_push, pr1, 1)
        second_job = pool.submit(
            preview, pr2, "up", "--pr", "2", "--base", "demo", "--ceiling", CEILING, *OFFLINE
        )  # the local wrapper: prepare + gate + up + comment
        pushed, second = pushed_job.result(), second_job.result()
    print(pushed)  # shown with -s: the comment as the PR would get it
    assert re.search(
        rf"\| api \| <{re.escape(url)}> runs `[0-9a-f]{{7}}` \| updated \| \$7 \| \$7 \|", pushed
    )
    # preview-sized beside the base
    assert re.search(r"\| worker \| — runs `[0-9a-f]{7}` \| no change \| \$7 \| \$25 \|", pushed)
    assert "| **total** | | | **$14** | **$32** |" in pushed
    assert "Update #2: 1 updated, 15 unchanged." in pushed  # 15: the stack's StackOwner too
    assert "pr-2-api" in second
    assert "| api | <https://pr-2-api" in second
    held = vendor_documents(sandbox)
    assert "pr-1-api" in held
    assert "pr-2-api" in held
    for project, stack in ((pr1, "pr-1"), (pr2, "pr-2")):
        plain = pulumi(project, "stack", "export", "--stack", stack)
        shown = pulumi(project, "stack", "export", "--show-secrets", "--stack", stack)
        assert not [value for value in handed_out_secrets(sandbox) if value in plain]
        assert not [token for token in credentials(sandbox) if token in plain + shown]

    # PR 1 closed (a fresh checkout on the runner: no stack file): destroyed and removed.
    (pr1 / "stacks" / "Pulumi.pr-1.yaml").unlink()
    preview(pr1, "destroy", "--pr", "1")
    assert "pr-1" not in stacks(pr1)
    held = vendor_documents(sandbox)
    assert "pr-1-" not in held
    assert "pr-2-api" in held
    assert "pr-2" in stacks(pr2)

    # The sweeper: PR 2 is still open but its preview outlived its TTL; PR 9 closed long ago;
    # `demo` is not a preview and must survive even with no open PR naming it.
    old = (datetime.now(UTC) - timedelta(days=8)).strftime("%Y-%m-%dT%H:%M:%SZ")
    pulumi(pr2, "stack", "tag", "set", "paas:created", old, "--stack", "pr-2")
    pulumi(pr2, "stack", "init", "pr-9")
    pulumi(pr2, "stack", "init", "demo")
    swept = preview(pr2, "sweep", "--ttl-days", "7", "--open-prs", "2,3")
    assert "pr-2: destroyed and removed (created 8 days ago, older than its TTL of 7 days)" in swept
    assert "pr-9: destroyed and removed (PR #9 is not open)" in swept
    assert sorted(stacks(pr2)) == ["demo"]
    assert "pr-2-" not in vendor_documents(sandbox)
    pulumi(pr2, "stack", "rm", "--yes", "demo")
