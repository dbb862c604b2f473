"""Live Supabase prices: with a token, the estimate reads compute and PITR prices from the
sandbox's billing add-ons endpoint (spec-validated there) and says which figures are live."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from paas_stacks.components.spec import load_stack
from paas_stacks.components.spec.cost import estimate
from paas_stacks.cost.live import HOURS_PER_MONTH, supabase_prices
from sandbox import Sandbox
from tests.against_sandbox.test_supabase_project import client_for, org_of, unique

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def supabase_env(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    env = {
        "SUPABASE_ACCESS_TOKEN": sandbox.token("supabase"),
        "SUPABASE_API_URL": sandbox.base_url("supabase"),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


@pytest.fixture
def project(sandbox: Sandbox) -> Iterator[str]:
    """A project to read prices through (any project: prices are the same); its organization."""
    client = client_for(sandbox)
    org = org_of(client)
    body = {"name": unique("prices"), "organization_slug": org, "db_pass": "Pw-1234567890ab"}
    ref = str(client.create_project(body)["ref"])
    yield org
    client.delete_project(ref)
    client.close()


def test_live_prices_come_from_the_billing_add_ons_endpoint(
    sandbox: Sandbox, supabase_env: dict[str, str], project: str
) -> None:
    mark = sandbox.log("supabase").last_seq()
    live = supabase_prices([project])
    assert live.missing == ""
    assert live.via.startswith("Supabase GET /v1/projects/")
    # The sandbox serves the docs' hourly prices: micro $0.01344/hour, small $0.0206/hour.
    assert live.supabase_compute["micro"] == round(0.01344 * HOURS_PER_MONTH, 2)
    assert live.supabase_compute["small"] == round(0.0206 * HOURS_PER_MONTH, 2)
    assert "24xlarge" not in live.supabase_compute  # "Contact sales": left to the table
    assert live.supabase_pitr == {"7": 100, "14": 200, "28": 400}
    calls = [f"{e.method} {e.path}" for e in sandbox.log("supabase").entries(mark)]
    assert any(call.endswith("/billing/addons") and call.startswith("GET") for call in calls)
    assert all(call.startswith("GET") for call in calls)  # reading prices writes nothing

    report = estimate(load_stack("wecelebrate", ROOT / "stacks", check_secrets=False), live)
    assert report.lines[0].source == "live"
    assert report.total_usd == round(25 + 0.0206 * HOURS_PER_MONTH - 10 + 100, 2)
    assert report.sources().startswith("live from Supabase GET /v1/projects/")


@pytest.mark.usefixtures("supabase_env", "project")
def test_the_cost_command_says_which_figures_are_live() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "paas_stacks.cost", "wecelebrate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    first = done.stdout.splitlines()[0]
    assert first.startswith("wecelebrate: 130.04 USD a month (live from Supabase GET /v1/projects/")
    assert first.endswith("/billing/addons: db; the rest from the tables)")


def test_a_wrong_token_leaves_the_tables_and_says_why(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPABASE_ACCESS_TOKEN", "sbp_not-a-real-token")
    monkeypatch.setenv("SUPABASE_API_URL", sandbox.base_url("supabase"))
    live = supabase_prices(["wecelebrate"])
    assert live.supabase_compute == {}
    assert live.missing.startswith("Supabase billing add-ons could not be read: ")
    assert "sbp_not-a-real-token" not in live.missing
