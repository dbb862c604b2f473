"""The bad-input suite through the real program and engine: broken stack files, missing
credentials, wrong tokens, vendor 4xx answers and malformed vendor JSON.

Each gives one clear error (file/path/value, or resource, call, status and the vendor's words;
never a token), makes no write it should not, and loses nothing: what was made before the failure
stays in the state, and the next ``up`` after the fix converges without duplicating anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pulumi import automation as auto

from sandbox import Sandbox
from sandbox.core.faults import FaultSettings
from tests.conftest import EngineFactory
from tests.engine import VENDORS, EngineRun, changes
from tests.integration.test_provider_contract import databases_named
from tests.integration.test_seed_stacks_engine import SANDBOX_ORG, project_copy

pytestmark = pytest.mark.engine

HEAD = "config:\n  paas-stacks:environment:\n    region: frankfurt\n"
CACHE = "    redis:\n      cache: {provider: upstash, plan: free}\n"
API = (
    "    services:\n      api: {kind: web, platform: render, plan: starter, runtime: node,"
    " repo: https://github.com/acme/x, build_command: b, start_command: s, links: [cache]}\n"
)


def db(org: str) -> str:
    return f"    postgres:\n      db: {{provider: supabase, organization: {org}, plan: free}}\n"


class Stacks:
    """Stacks of the real program on a copy of the project, each from a stack file's text."""

    def __init__(self, tmp: Path, sandbox: Sandbox) -> None:
        self.project = project_copy(tmp)
        self.sandbox = sandbox
        self.runs: list[EngineRun] = []

    def new(self, name: str, text: str) -> EngineRun:
        self.write(name, text)
        stack = auto.create_stack(name, work_dir=str(self.project))
        stack.set_config("paas-stacks:offline", auto.ConfigValue("true"))
        self.runs.append(EngineRun(stack, self.sandbox))
        return self.runs[-1]

    def write(self, name: str, text: str) -> None:
        path = self.project / "stacks" / f"Pulumi.{name}.yaml"
        offline = "  paas-stacks:offline: 'true'\n" if path.exists() else ""
        path.write_text(text + offline)


@pytest.fixture
def stacks(
    tmp_path: Path, engine: type[EngineFactory], engine_sandbox: Sandbox
) -> Iterator[Stacks]:
    made = Stacks(tmp_path, engine_sandbox)
    yield made
    engine_sandbox.set_faults(FaultSettings())
    for run in made.runs:
        run.assert_no_leak()  # whatever each case left in the state holds no secret
        run.stack.destroy(on_output=lambda _line: None)
        run.stack.workspace.remove_stack(run.stack.name)


def marks(sandbox: Sandbox) -> dict[str, int]:
    return {vendor: sandbox.log(vendor).last_seq() for vendor in VENDORS}


def calls_since(sandbox: Sandbox, since: dict[str, int]) -> list[str]:
    return [f"{v} {e.method} {e.route}" for v in VENDORS for e in sandbox.log(v).entries(since[v])]


def failure(action: Any) -> str:
    """The engine's output of a failed command; exactly one error under Diagnostics."""
    with pytest.raises(auto.CommandError) as raised:
        action()
    text = str(raised.value)
    assert len(errors(text)) == 1, errors(text)
    return text


def errors(text: str) -> list[str]:
    """The ``error:`` lines of the Diagnostics section, without the engine's summary line."""
    diagnostics = text.partition("Diagnostics:")[2].partition("Resources:")[0]
    return [
        line.strip()
        for line in diagnostics.splitlines()
        if line.strip().startswith("error:")
        and line.strip() not in ("error: update failed", "error: preview failed")
    ]


def projects_named(sandbox: Sandbox, name: str) -> list[dict[str, Any]]:
    headers = {"authorization": f"Bearer {sandbox.token('supabase')}"}
    with httpx.Client(base_url=sandbox.base_url("supabase"), headers=headers) as api:
        found = api.get("/v1/projects").raise_for_status().json()
    return [project for project in found if project["name"] == name]


def test_a_broken_stack_file_fails_before_any_call_and_the_stack_keeps_what_it_has(
    stacks: Stacks, engine_sandbox: Sandbox
) -> None:
    run = stacks.new("bad-config", HEAD + CACHE)
    run.up()
    kept = [(r["urn"], r.get("id")) for r in run.resources()]
    stacks.write(
        "bad-config",
        HEAD + "    redis:\n      cache: {provider: upstash, plan: fre, evicton: true}\n",
    )
    since = marks(engine_sandbox)

    previewed = failure(run.preview)
    upped = failure(run.up)

    where = "stacks/Pulumi.bad-config.yaml: environment.redis.cache"
    for text in (previewed, upped):
        # Both problems, once each in the Diagnostics block (the progress row repeats them).
        assert text.split("Diagnostics:")[-1].count(where) == 2
        assert f"{where}.plan: 'fre' is not allowed" in text
        assert "did you mean 'free'?" in text
        assert f"{where}.evicton: unknown key" in text
    assert calls_since(engine_sandbox, since) == []
    assert [(r["urn"], r.get("id")) for r in run.resources()] == kept
    assert len(databases_named(engine_sandbox, "bad-config-cache")) == 1


def test_missing_credentials_fail_the_preview_naming_the_key_before_any_call(
    stacks: Stacks, engine_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RENDER_API_KEY")
    run = stacks.new("no-key", HEAD + API + CACHE)
    since = marks(engine_sandbox)

    text = failure(run.preview)

    [error] = errors(text)
    assert "Render API key missing: set the stack config `render:apiKey`" in error
    assert "environment variable RENDER_API_KEY" in error
    assert calls_since(engine_sandbox, since) == []


def test_a_wrong_token_is_one_line_without_the_token_and_the_rest_is_kept(
    stacks: Stacks, engine_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    right = engine_sandbox.token("render")
    monkeypatch.setenv("RENDER_API_KEY", "rnd_wrong_token_0123456789")
    run = stacks.new("wrong-token", HEAD + API + CACHE)
    since = marks(engine_sandbox)

    text = failure(run.up)

    [error] = errors(text)
    assert error.endswith(
        "Render web 'wrong-token-api': Render API: GET /v1/owners -> 401: unauthorized"
    )
    assert "rnd_wrong_token_0123456789" not in text
    render_calls = [c for c in calls_since(engine_sandbox, since) if c.startswith("render ")]
    assert render_calls
    assert all(" GET " in c for c in render_calls)
    assert "upstash:RedisDatabase" in str(run.resources())

    monkeypatch.setenv("RENDER_API_KEY", right)
    fixed, calls = run.up()
    assert changes(fixed) == {"create": 1}
    assert calls.routes("upstash").get("POST /redis/database") is None
    assert len(databases_named(engine_sandbox, "wrong-token-cache")) == 1


def test_a_vendor_4xx_on_create_is_one_line_posted_once_and_the_fixed_stack_converges(
    stacks: Stacks, engine_sandbox: Sandbox
) -> None:
    run = stacks.new("refused", HEAD + CACHE)
    run.up()
    stacks.write("refused", HEAD + db("someone-elses-org") + CACHE)
    since = marks(engine_sandbox)

    text = failure(run.up)

    [error] = errors(text)
    assert error.endswith(
        "Supabase project 'refused-db': Supabase API: POST /v1/projects -> 404: "
        "Organization not found"
    )
    writes = [c for c in calls_since(engine_sandbox, since) if " GET " not in c]
    assert writes == ["supabase POST /v1/projects"]
    assert projects_named(engine_sandbox, "refused-db") == []
    assert "upstash:RedisDatabase" in str(run.resources())

    stacks.write("refused", HEAD + db(SANDBOX_ORG) + CACHE)
    fixed, calls = run.up()
    assert fixed.summary.result == "succeeded"
    assert calls.routes("upstash").get("POST /redis/database") is None
    assert len(projects_named(engine_sandbox, "refused-db")) == 1
    assert len(databases_named(engine_sandbox, "refused-cache")) == 1


def test_a_malformed_listing_is_one_clear_error_and_no_write(
    stacks: Stacks, engine_sandbox: Sandbox
) -> None:
    run = stacks.new("garbled-read", HEAD + CACHE)
    engine_sandbox.set_faults(
        FaultSettings(malformed_next=1, malformed_methods=("GET",), path_contains="/redis/"),
        ("upstash",),
    )
    since = marks(engine_sandbox)

    text = failure(run.up)

    assert (
        "Upstash RedisDatabase 'garbled-read-cache': Upstash API: GET /v2/redis/databases" in text
    )
    assert "the answer is not valid JSON" in text
    assert [c for c in calls_since(engine_sandbox, since) if " GET " not in c] == []


def test_a_malformed_create_answer_fails_once_and_the_rerun_adopts_without_a_second_post(
    stacks: Stacks, engine_sandbox: Sandbox
) -> None:
    run = stacks.new("garbled-create", HEAD + CACHE)
    engine_sandbox.set_faults(
        FaultSettings(malformed_next=1, malformed_methods=("POST",), path_contains="/redis/"),
        ("upstash",),
    )
    since = marks(engine_sandbox)

    text = failure(run.up)
    assert "POST /v2/redis/database -> 200: the answer is not valid JSON" in text

    rerun, _ = run.up()
    assert changes(rerun) == {"create": 1}
    refreshed, _ = run.refresh()
    assert changes(refreshed) == {}
    creates = [c for c in calls_since(engine_sandbox, since) if c == "upstash POST /redis/database"]
    assert len(creates) == 1
    [database] = databases_named(engine_sandbox, "garbled-create-cache")
    assert run.outputs()["REDIS_URL"].endswith(f"{database['endpoint']}:{database['port']}")


def test_a_broken_stack_file_shows_its_lines_without_a_traceback(stacks: Stacks) -> None:
    run = stacks.new(
        "bad-trace", HEAD + "    redis:\n      cache: {provider: upstash, plan: fre}\n"
    )
    text = failure(run.preview)
    assert "Traceback" not in text
