"""The seed stacks' sandbox-backed parts through the real engine: the project's own program and
stack files, copied to a temp dir and pointed at the sandbox (``paas-stacks:offline: true``).

Each: ``up`` -> a second ``up`` changes nothing and writes nothing -> ``DATABASE_URL`` answers a
query and ``REDIS_URL`` a PING -> the plain state holds no secret -> ``destroy`` (after
``pulumi state unprotect`` for production stacks, as a user would) leaves the sandbox as before.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import redis
from pulumi import automation as auto

from paas_stacks.components.spec import load_stack
from sandbox import Sandbox
from tests.conftest import EngineFactory
from tests.engine import EngineRun, changes

pytestmark = pytest.mark.engine

REPO = Path(__file__).resolve().parents[2]
SANDBOX_ORG = "acme-sandbox-org"


def project_copy(tmp: Path) -> Path:
    """The repo's program and stack files, with Supabase organizations set to the sandbox's."""
    project = tmp / "project"
    project.mkdir()
    shutil.copy(REPO / "__main__.py", project)
    pulumi_yaml = (REPO / "Pulumi.yaml").read_text()
    (project / "Pulumi.yaml").write_text(
        pulumi_yaml.replace("virtualenv: .venv", f"virtualenv: {sys.prefix}")
    )
    shutil.copytree(REPO / "stacks", project / "stacks")
    for stack_file in (project / "stacks").glob("Pulumi.*.yaml"):
        text = re.sub(
            r"organization: [\w-]+", f"organization: {SANDBOX_ORG}", stack_file.read_text()
        )
        # The committed salt belongs to the local passphrase; the test backend has its own.
        text = re.sub(r"(?m)^encryptionsalt: .*$", "", text)
        stack_file.write_text(text)
    return project


def secret_config(stack: str, project: Path) -> dict[str, str]:
    """A made-up value for every config key the stack's secret sets and buckets reference."""
    spec = load_stack(stack, project / "stacks", check_secrets=False)
    keys = [key for s in spec.secrets.values() for key in s.from_config.values()]
    for store in spec.object_stores.values():
        keys += [k for k in (store.access_key_from_config, store.secret_key_from_config) if k]
    return {f"paas-stacks:{key}": f"seed-secret-{stack}-{key}-7f3a9c" for key in keys}


def ping(url: str) -> bool:
    return bool(redis.Redis.from_url(url, socket_timeout=5).ping())


def query(url: str) -> int:
    with psycopg.connect(url, connect_timeout=10) as conn:
        row = conn.execute("select 1").fetchone()
    return int(row[0]) if row else 0


@pytest.mark.parametrize("stack", ["demo", "masstock", "wecelebrate", "realstaging"])
def test_a_seed_stack_comes_up_holds_still_connects_and_goes(
    stack: str, tmp_path: Path, engine: type[EngineFactory], engine_sandbox: Sandbox
) -> None:
    before = engine_sandbox.objects()
    project = project_copy(tmp_path)
    secrets = secret_config(stack, project)
    workspace_stack = auto.create_stack(stack, work_dir=str(project))
    run = EngineRun(workspace_stack, engine_sandbox)
    workspace_stack.set_config("paas-stacks:offline", auto.ConfigValue("true"))
    for key, value in secrets.items():
        workspace_stack.set_config(key, auto.ConfigValue(value, secret=True))
    try:
        created, calls = run.up()
        assert created.summary.result == "succeeded"
        print(f"CALLS {stack} create", {v: c for v, c in calls.by_vendor.items() if c})
        outputs = run.outputs()

        again, calls = run.up()
        assert changes(again) == {}
        assert calls.writes() == 0

        if "DATABASE_URL" in outputs:
            assert query(outputs["DATABASE_URL"]) == 1
        if "REDIS_URL" in outputs:
            assert ping(outputs["REDIS_URL"])
        assert "DATABASE_URL" in outputs or "REDIS_URL" in outputs
        hidden = [*secrets.values(), *_secret_strings(outputs.get("connections") or {})]
        run.assert_state_hides(hidden, [engine_sandbox.token(v) for v in ("render", "supabase")])
    finally:
        subprocess.run(
            ["pulumi", "state", "unprotect", "--all", "--yes", "--stack", stack],
            cwd=project,
            check=False,
            capture_output=True,
        )
        gone, _ = run.destroy()
        workspace_stack.workspace.remove_stack(stack)
    assert gone.summary.result == "succeeded"
    assert engine_sandbox.objects() == before


def _secret_strings(connections: dict[str, str]) -> list[str]:
    return [value for value in connections.values() if isinstance(value, str)]


def test_the_demo_outputs_name_what_it_made(tmp_path: Path) -> None:
    """The stack file alone (no engine): the demo is the MasStock-like sandbox environment."""
    spec = load_stack("demo", REPO / "stacks")
    assert sorted(spec.components()) == ["api", "app-secrets", "cache", "db", "worker"]
    assert json.dumps(sorted(spec.services)) == '["api", "worker"]'
