"""A stack written by paas-stacks 0.1 (commit d38db11: top-level ``providers``) keeps working
after the upgrade to ``paas_stacks``, through the real engine, in a consumer's virtualenv.

Its state holds every provider as a pickle of ``providers.<vendor>.<module>.<Class>``, and the
engine unpickles that stored value for read and delete, so refresh and destroy run on the old
names (``paas_stacks/_legacy.py``); the upgraded program's imports change, its resources do not.
"""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from sandbox import Sandbox
from tests.conftest import EngineFactory
from tests.engine import EngineRun, changes, differing
from tests.unit.test_pickle_paths import reference
from tests.wheels import (
    REPO,
    build_wheel,
    consumer_project,
    consumer_venv,
    current_source,
    install,
    site_packages,
)

pytestmark = pytest.mark.engine

#: The last commit of the 0.1 layout (top-level ``components`` and ``providers``).
OLD_COMMIT = "d38db11"

PROGRAM = """\
import pulumi
{imports}

secret = GeneratedSecret("session-key", length_bytes=16)
cache = RedisDatabase("cache", name="upgrade-cache", primary_region="us-east-1")
api = Service(
    "api", name="upgrade-api", type="web", runtime="node",
    repo="https://github.com/acme/upgrade", build_command="npm ci", start_command="npm start",
    env_vars={{"SESSION_KEY": secret.value, "REDIS_URL": cache.redis_url}},
)
# No region: 0.1 created it in its default region, which is no longer the default.
db = Project("db", organization_id="acme-sandbox-org", name="upgrade-db")
pulumi.export("url", api.url)
pulumi.export("redis_url", cache.redis_url)
pulumi.export("database_url", db.database_url)
"""
#: The 0.1 program's imports, by the bare top-level name 0.1 installed (``providers``): built
#: from this table so that no line of the repository imports a bare name, only the consumer's
#: program written below does.
OLD_MODULES = (
    ("providers.generated", "GeneratedSecret"),
    ("providers.render", "Service"),
    ("providers.supabase", "Project"),
    ("providers.upstash", "RedisDatabase"),
)
OLD_IMPORTS = "\n".join(f"from {module} import {name}" for module, name in OLD_MODULES)
NEW_IMPORTS = """\
from paas_stacks.providers import GeneratedSecret
from paas_stacks.providers.render import Service
from paas_stacks.providers.supabase import Project
from paas_stacks.providers.upstash import RedisDatabase"""
RESOURCES = 5  # the stack itself and the four above
#: The modules the state's provider pickles name, before and after the upgrade.
OLD_PATHS = {
    "providers.generated",
    "providers.render.service",
    "providers.supabase.project",
    "providers.upstash.redis_database",
}
NEW_PATHS = {
    "paas_stacks.providers",
    "paas_stacks.providers.render",
    "paas_stacks.providers.supabase",
    "paas_stacks.providers.upstash",
}


def old_source(tmp: Path) -> Path:
    """The 0.1 source tree from git; a clone without that history cannot run this test."""
    known = subprocess.run(
        ["git", "-C", str(REPO), "cat-file", "-e", f"{OLD_COMMIT}^{{commit}}"],
        capture_output=True,
        check=False,
    )
    if known.returncode != 0:
        pytest.fail(
            f"the upgrade test needs the repository's history: commit {OLD_COMMIT} (0.1) is "
            "not in this clone (run `git fetch --unshallow`)",
            pytrace=False,
        )
    source = tmp / "old-source"
    source.mkdir()
    items = ["components", "providers", "pyproject.toml", "README.md"]
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", OLD_COMMIT, *items], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive.stdout, check=True)
    return source


def provider_paths(run: EngineRun) -> dict[str, set[str]]:
    """``{"inputs": {...}, "outputs": {...}}``: the modules the state's provider pickles name."""
    state = json.loads(run.export(show_secrets=True))
    paths: dict[str, set[str]] = {"inputs": set(), "outputs": set()}
    for resource in state["deployment"]["resources"]:
        for side, found in paths.items():
            pickled: Any = resource.get(side, {}).get("__provider")
            if isinstance(pickled, dict):  # a secret, shown: its JSON text is in "plaintext"
                pickled = json.loads(pickled["plaintext"])
            if pickled:
                found.add(reference(base64.b64decode(pickled))[0])
    return paths


def test_a_0_1_stack_refreshes_holds_still_and_destroys_after_the_upgrade(
    tmp_path: Path, engine: type[EngineFactory], engine_sandbox: Sandbox
) -> None:
    old_wheel = build_wheel(old_source(tmp_path), tmp_path / "old-dist")
    new_wheel = build_wheel(current_source(tmp_path), tmp_path / "new-dist")
    venv = consumer_venv(tmp_path, old_wheel)
    before = engine_sandbox.objects()
    project = consumer_project(tmp_path / "upgrade", venv, PROGRAM.format(imports=OLD_IMPORTS))
    stack = auto.create_stack("upgrade", work_dir=str(project))
    run = EngineRun(stack, engine_sandbox)
    try:
        created, _ = run.up()
        assert changes(created) == {"create": RESOURCES}
        first = run.outputs()
        assert provider_paths(run) == {"inputs": OLD_PATHS, "outputs": OLD_PATHS}

        # The upgrade: the new wheel replaces the old one, the program switches its imports.
        install(venv, new_wheel)
        site = site_packages(venv)
        assert not (site / "providers").exists()
        (project / "__main__.py").write_text(PROGRAM.format(imports=NEW_IMPORTS))

        # Without the wheel's .pth the stored 0.1 pickles cannot be loaded at all.
        pth = site / "paas_stacks_legacy.pth"
        pth.rename(tmp_path / pth.name)
        with pytest.raises(auto.CommandError, match="No module named 'providers'"):
            run.refresh()
        (tmp_path / pth.name).rename(pth)

        refreshed, calls = run.refresh()
        assert changes(refreshed) == {}
        assert calls.writes() == 0, calls.by_vendor
        # Every provider read its object live, through the 0.1 names.
        for vendor in ("render", "supabase", "upstash"):
            assert calls.by_vendor[vendor].get("GET", 0) > 0, vendor
        print("CALLS refresh after the upgrade", calls.by_vendor)
        previewed, calls = run.preview()
        # The one addition of the upgrade: the stack's StackOwner (its salt, in the state only).
        assert previewed.change_summary == {"same": RESOURCES, "create": 1}
        assert calls.writes() == 0, calls.by_vendor
        print("CALLS preview after the upgrade", calls.by_vendor)
        same, calls = run.up()
        assert changes(same) == {"create": 1}
        assert calls.writes() == 0, calls.by_vendor
        print("CALLS up after the upgrade", calls.by_vendor)
        assert differing(run.outputs(), first) == []

        # An unchanged resource keeps its stored outputs, old pickle included: destroy below
        # unpickles the 0.1 names, which only the legacy aliases can resolve.
        paths = provider_paths(run)
        # ...and the StackOwner the upgrade added is pickled under today's name.
        assert paths == {"inputs": NEW_PATHS, "outputs": OLD_PATHS | {"paas_stacks.providers"}}
        run.assert_no_leak()

        destroyed, calls = run.destroy()
        assert changes(destroyed) == {"delete": RESOURCES + 1}
        print("CALLS destroy after the upgrade", calls.by_vendor)
        assert engine_sandbox.objects() == before
    finally:
        stack.destroy(on_output=lambda _line: None)
        stack.workspace.remove_stack("upgrade")
