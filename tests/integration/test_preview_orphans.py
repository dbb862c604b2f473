"""Orphans of preview stacks through the real engine, the preview command and the sandbox.

Two previews (PR 31 and PR 32) come up from the `demo` base. Objects carrying pr-31's owner
marker but absent from its state are planted (as a create whose answer was lost in a killed run
leaves them), beside an unmarked one. `destroy --pr 31` deletes pr-31's state objects and its
orphans, and nothing of pr-32 or the unmarked object. Then pr-32's state is removed outright
(`pulumi stack rm --force`): the sweeper reports its objects with the owner tag it recovered
from the readable markers, deletes nothing on that evidence, and `orphans --pr 32 --owner-tag
<tag> --delete` removes them. No output shows a secret or a credential.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from paas_stacks.preview.orphans import OWNER_TYPE
from paas_stacks.providers._ownership import Marker
from paas_stacks.providers.render import EnvGroupProvider
from paas_stacks.providers.upstash import RedisDatabaseProvider
from sandbox import Sandbox
from sandbox.core.context import Delays
from tests.conftest import EngineFactory, SandboxFactory
from tests.engine import credentials, handed_out_secrets
from tests.integration.test_faults import sigkill_up_after_first_create
from tests.integration.test_preview_rehearsal import (
    OFFLINE,
    checkout,
    preview,
    pulumi,
    stacks,
    vendor_documents,
)

pytestmark = pytest.mark.engine

#: The kinds whose objects a demo preview makes (their ids are what must survive or go).
VENDOR_TYPES = (
    "dynamic/render:Service",
    "dynamic/supabase:Project",
    "dynamic/upstash:RedisDatabase",
)


def come_up(project: Path, pr: int) -> None:
    preview(project, "prepare", "--pr", str(pr), "--base", "demo", *OFFLINE)
    pulumi(project, "up", "--yes", "--skip-preview", "--stack", f"pr-{pr}")


def exported(project: Path, stack: str) -> list[dict[str, Any]]:
    text = pulumi(project, "stack", "export", "--stack", stack)
    return list(json.loads(text)["deployment"].get("resources") or [])


def owner_of(project: Path, stack: str) -> Marker:
    (owner,) = [r for r in exported(project, stack) if r["type"] == OWNER_TYPE]
    found = Marker.parse(owner["outputs"]["marker"])
    assert found is not None
    return found


def vendor_ids(project: Path, stack: str) -> list[str]:
    return [
        str(r["id"])
        for r in exported(project, stack)
        if r.get("id") and r["type"].split(":", 1)[1] in VENDOR_TYPES
    ]


def plant(owner: Marker | None, name: str) -> tuple[str, str]:
    """An Upstash database and a Render env group made out of band (credentials from the
    environment the engine fixture points at the sandbox), as a lost create leaves them."""
    mark = {"owner": str(owner)} if owner else {}
    database = RedisDatabaseProvider().create({"name": name, "primary_region": "us-east-1", **mark})
    group = EnvGroupProvider().create({"name": name, "env_vars": {"SHARED": "x"}, **mark})
    return str(database.id), str(group.id)


def assert_clean(text: str, secrets: list[str], sandbox: Sandbox) -> None:
    assert secrets, "an empty secret list proves nothing"
    assert not [value for value in secrets if value in text]
    assert not [token for token in credentials(sandbox) if token in text]


def test_destroy_and_the_sweeper_find_a_previews_orphans_and_nothing_else(
    tmp_path: Path, engine: type[EngineFactory], engine_sandbox: Sandbox
) -> None:
    project = checkout(tmp_path, "repo")
    come_up(project, 31)
    come_up(project, 32)
    ours, neighbour = owner_of(project, "pr-31"), owner_of(project, "pr-32")
    planted = plant(ours, "pr-31-lost")
    handmade = plant(None, "pr-31-handmade")
    neighbours = vendor_ids(project, "pr-32")
    secrets = handed_out_secrets(engine_sandbox)
    held = vendor_documents(engine_sandbox)
    assert all(object_id in held for object_id in [*planted, *handmade, *neighbours])
    states = "".join(pulumi(project, "stack", "export", "--stack", s) for s in ("pr-31", "pr-32"))

    destroyed = preview(project, "destroy", "--pr", "31")
    for object_id in planted:
        assert re.search(rf"^orphan deleted: \w+ [\w ]+ {object_id} ", destroyed, re.M), destroyed
    assert destroyed.count("orphan deleted") == 2
    assert destroyed.rstrip().endswith("pr-31: destroyed and removed")
    held = vendor_documents(engine_sandbox)
    assert "pr-31-api" not in held
    assert not [object_id for object_id in planted if object_id in held]
    assert all(object_id in held for object_id in [*handmade, *neighbours])

    # pr-32's state is thrown away; its objects stay behind with its marker.
    pulumi(project, "stack", "rm", "--force", "--yes", "pr-32")
    swept = preview(project, "sweep", "--ttl-days", "7", "--open-prs", "32")
    report = [line for line in swept.splitlines() if "organization/paas-stacks/pr-32" in line]
    assert report, swept
    assert f"(owner tag {neighbour.tag})" in report[0]
    assert f"--owner-tag {neighbour.tag} --delete" in report[-1]
    assert any("Upstash Redis database" in line for line in report)  # found by the tag alone
    assert all(object_id in vendor_documents(engine_sandbox) for object_id in neighbours)

    removed = preview(project, "orphans", "--pr", "32", "--owner-tag", neighbour.tag, "--delete")
    held = vendor_documents(engine_sandbox)
    assert not [object_id for object_id in neighbours if object_id in held]
    assert "pr-32-" not in held
    assert all(object_id in held for object_id in handmade)
    assert "orphan deleted: Supabase project" in removed
    assert stacks(project) == []
    assert_clean(states + destroyed + swept + removed, secrets, engine_sandbox)

    database, group = handmade
    RedisDatabaseProvider().delete(database, {})
    EnvGroupProvider().delete(group, {})


def test_a_preview_killed_after_a_vendor_create_is_destroyed_with_its_orphan(
    tmp_path: Path,
    file_backend: Path,
    make_sandbox: type[SandboxFactory],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The orphan as it really comes about: ``pulumi up`` of the preview is SIGKILLed while a
    create it sent is in flight (the object exists, the state holds only a pending create). The
    PR then closes: ``destroy`` removes the state's objects and that orphan."""
    slow = Delays(deploy=3, database=0, project=3, machine=0)
    sandbox = make_sandbox.start(state_dir=tmp_path / "sandbox", rate_limits=True, delays=slow)
    for key, value in sandbox.env().items():
        monkeypatch.setenv(key, value)
    project = checkout(tmp_path, "repo")
    preview(project, "prepare", "--pr", "41", "--base", "demo", *OFFLINE)
    cli = ["pulumi", "--non-interactive", "--stack", "pr-41"]
    sigkill_up_after_first_create(cli, project, sandbox)
    pulumi(project, "cancel", "--yes", "--stack", "pr-41")  # the dead CLI's lock
    state = pulumi(project, "stack", "export", "--stack", "pr-41")
    held = json.loads(state)["deployment"]
    assert held.get("pending_operations"), "the kill came before any create started"
    assert "pr-41-" in vendor_documents(sandbox)
    secrets = handed_out_secrets(sandbox)

    destroyed = preview(project, "destroy", "--pr", "41")
    assert "orphan deleted" in destroyed, destroyed
    assert destroyed.rstrip().endswith("pr-41: destroyed and removed")
    assert "pr-41-" not in vendor_documents(sandbox)
    assert stacks(project) == []
    assert_clean(state + destroyed, secrets, sandbox)
