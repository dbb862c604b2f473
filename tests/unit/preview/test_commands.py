"""``python -m paas_stacks.preview`` against a fake Pulumi CLI: what it writes, tags, sets and
destroys."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from paas_stacks.errors import PreviewError
from paas_stacks.preview import commands as preview
from paas_stacks.preview import costing, teardown
from paas_stacks.preview.orphans import OWNER_TYPE, Found, Vendors
from paas_stacks.preview.pulumi_cli import Pulumi

REPO = Path(__file__).resolve().parents[3]
BASE_REF = "mmmmmmmmmmmmmmmmmmmm"
_DB = "urn:pulumi:mais-production::paas-stacks::paas:components:Postgres::db"
#: What ``pulumi stack export`` of a deployed base holds: its Supabase project (paid plan).
BASE_STATES: dict[str, dict[str, Any]] = {
    "mais-production": {
        "deployment": {
            "resources": [
                {"urn": _DB, "type": "paas:components:Postgres"},
                {
                    "urn": f"{_DB}$pulumi-python:dynamic/supabase:Project::db-project",
                    "type": "pulumi-python:dynamic/supabase:Project",
                    "parent": _DB,
                    "outputs": {"ref": BASE_REF},
                },
            ]
        }
    }
}


class FakePulumi(Pulumi):
    """Stacks and tags in memory; every command recorded."""

    state: dict[str, dict[str, str]]
    calls: list[tuple[str, ...]]
    dir: Path

    def __init__(self, stacks: dict[str, dict[str, str]], stacks_dir: Path) -> None:
        super().__init__(stacks_dir.parent)
        object.__setattr__(self, "state", stacks)
        object.__setattr__(self, "calls", [])
        object.__setattr__(self, "dir", stacks_dir)

    def run(self, *args: str, stdin: str | None = None, show: bool = False) -> str:
        self.calls.append(args)
        if args[:2] == ("stack", "init"):
            self.state[args[2]] = {}
            (self.dir / f"Pulumi.{args[2]}.yaml").write_text("encryptionsalt: v1:salt\n")
        elif args[:2] == ("config", "refresh"):
            (self.dir / f"Pulumi.{args[-1]}.yaml").write_text(
                yaml.safe_dump(
                    {
                        "encryptionsalt": "v1:old",
                        "config": {"paas-stacks:sentryDsn": {"secure": "s"}},
                    }
                )
            )
        elif args[:2] == ("stack", "rm"):
            del self.state[args[-1]]
        elif args[:2] == ("config", "set"):
            path = self.dir / f"Pulumi.{args[5]}.yaml"
            document = yaml.safe_load(path.read_text())
            document["config"][args[3]] = {"secure": "v1:" + str(stdin)[::-1]}
            path.write_text(yaml.safe_dump(document))
        return ""

    def stacks(self) -> list[str]:
        return list(self.state)

    def exists(self, stack: str) -> bool:
        return stack in self.state or stack in BASE_STATES

    def tags(self, stack: str) -> dict[str, str]:
        assert stack.startswith("pr-"), f"read the tags of non-preview stack {stack}"
        return dict(self.state[stack])

    def set_tag(self, stack: str, name: str, value: str) -> None:
        self.state[stack][name] = value

    def export(self, stack: str) -> dict[str, Any]:
        if stack in BASE_STATES:  # a deployed base, read by prepare for its Supabase project
            return BASE_STATES[stack]
        self.calls.append(("stack", "export", stack))
        owner = {"type": OWNER_TYPE, "id": "owner-1", "outputs": {"marker": f"o/p/{stack}#{TAG}"}}
        return {"deployment": {"resources": [owner, {"id": f"srv-{stack}"}]}}


TAG = "0123456789ab"


class RecordedVendors(Vendors):
    """No vendor at all; records when the orphan search ran and what it was given."""

    def __init__(self, calls: list[tuple[str, ...]]) -> None:
        super().__init__(sources=())
        self.calls = calls

    def scan(self) -> list[Found]:
        self.calls.append(("scan",))
        return []


@pytest.fixture
def stacks_dir(tmp_path: Path) -> Path:
    target = tmp_path / "stacks"
    shutil.copytree(REPO / "stacks", target, ignore=shutil.ignore_patterns("Pulumi.pr-*", "*.py*"))
    return target


def test_prepare_writes_an_extending_stack_file_with_secrets_and_tags(
    stacks_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREVIEW_SECRET_STRIPE_SECRET_KEY", "stripe-preview-x")
    fake = FakePulumi({}, stacks_dir)
    assert preview.prepare(fake, stacks_dir, 4, "mais-production", ttl_days=3) == "pr-4"
    document = yaml.safe_load((stacks_dir / "Pulumi.pr-4.yaml").read_text())
    assert document["encryptionsalt"] == "v1:salt"  # kept from `stack init`
    environment = document["config"]["paas-stacks:environment"]
    assert environment["extends"] == "mais-production"
    assert environment["production"] is False
    secrets = {key for key in document["config"] if key != "paas-stacks:environment"}
    keys = ("postmarkServerToken", "sentryDsn", "stripeSecretKey", "stripeWebhookSecret")
    assert secrets == {f"paas-stacks:{key}" for key in keys}
    assert document["config"]["paas-stacks:stripeSecretKey"] == {"secure": "v1:x-weiverp-epirts"}
    tags = fake.state["pr-4"]
    assert {k: tags[k] for k in ("paas:pr", "paas:base", "paas:ttl-days")} == {
        "paas:pr": "4",
        "paas:base": "mais-production",
        "paas:ttl-days": "3",
    }
    datetime.fromisoformat(tags["paas:created"])


def test_a_paid_supabase_base_previews_as_a_pr_branch_of_the_project_its_state_holds(
    stacks_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREVIEW_SECRET_STRIPE_SECRET_KEY", "stripe-preview-x")
    fake = FakePulumi({}, stacks_dir)
    preview.prepare(fake, stacks_dir, 4, "mais-production", head_ref="feature/login")
    document = yaml.safe_load((stacks_dir / "Pulumi.pr-4.yaml").read_text())
    db = document["config"]["paas-stacks:environment"]["postgres"]["db"]
    assert db["plan"] == "pro"  # the base's: it is what allows the branch
    assert db["branch"] == {
        "parent_ref": BASE_REF,
        "name": "pr-4",
        "persistent": False,
        "with_data": False,
        "git_branch": "feature/login",
    }


def test_a_paid_base_whose_project_cannot_be_found_refuses_before_creating_the_stack(
    stacks_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SUPABASE_ACCESS_TOKEN", raising=False)
    monkeypatch.setitem(BASE_STATES, "mais-production", {"deployment": {"resources": []}})
    fake = FakePulumi({}, stacks_dir)
    with pytest.raises(PreviewError, match="has no Supabase project for it"):
        preview.prepare(fake, stacks_dir, 4, "mais-production")
    assert fake.calls == []
    assert not (stacks_dir / "Pulumi.pr-4.yaml").exists()


def test_a_second_prepare_keeps_secrets_and_the_creation_time(stacks_dir: Path) -> None:
    fake = FakePulumi({}, stacks_dir)
    preview.prepare(fake, stacks_dir, 4, "mais-production")
    first = yaml.safe_load((stacks_dir / "Pulumi.pr-4.yaml").read_text())
    fake.state["pr-4"]["paas:created"] = "2025-01-01T00:00:00Z"
    fake.calls.clear()
    preview.prepare(fake, stacks_dir, 4, "mais-production")
    assert yaml.safe_load((stacks_dir / "Pulumi.pr-4.yaml").read_text()) == first
    assert not [c for c in fake.calls if c[:2] in (("config", "set"), ("stack", "init"))]
    assert fake.state["pr-4"]["paas:created"] == "2025-01-01T00:00:00Z"


def test_a_fresh_checkout_recovers_the_config_of_the_last_update(stacks_dir: Path) -> None:
    fake = FakePulumi({"pr-4": {}}, stacks_dir)
    preview.prepare(fake, stacks_dir, 4, "mais-production")
    assert fake.calls[0] == ("config", "refresh", "--stack", "pr-4")
    document = yaml.safe_load((stacks_dir / "Pulumi.pr-4.yaml").read_text())
    assert document["encryptionsalt"] == "v1:old"
    assert document["config"]["paas-stacks:sentryDsn"] == {"secure": "s"}  # not redrawn
    redrawn = {c[3] for c in fake.calls if c[:2] == ("config", "set")}
    assert "paas-stacks:sentryDsn" not in redrawn
    assert "paas-stacks:stripeSecretKey" in redrawn


def test_prepare_writes_the_file_from_scratch_over_one_the_pr_committed(stacks_dir: Path) -> None:
    """A PR can commit its own ``Pulumi.pr-N.yaml``: only what prepare wrote survives, so a
    ``render:apiUrl`` there never sends the Render key to another host."""
    fake = FakePulumi({"pr-4": {}}, stacks_dir)
    committed = {
        "encryptionsalt": "v1:committed",
        "config": {
            "render:apiUrl": "https://attacker.example/v1",
            "upstash:apiUrl": "https://attacker.example",
            "paas-stacks:sentryDsn": {"secure": "v1:kept"},
            "paas-stacks:stripeSecretKey": "plain-text-not-a-fallback",
            "paas-stacks:unrelated": {"secure": "v1:other"},
            "paas-stacks:environment": {"extends": "demo", "name": "shop"},
        },
    }
    (stacks_dir / "Pulumi.pr-4.yaml").write_text(yaml.safe_dump(committed))
    preview.prepare(fake, stacks_dir, 4, "mais-production", config={"fly:org": "acme"})
    document = yaml.safe_load((stacks_dir / "Pulumi.pr-4.yaml").read_text())
    config = document["config"]
    assert not [key for key in config if key.endswith(":apiUrl")]
    assert "paas-stacks:unrelated" not in config
    assert config["paas-stacks:environment"]["extends"] == "mais-production"
    assert "name" not in config["paas-stacks:environment"]
    assert config["paas-stacks:sentryDsn"] == {"secure": "v1:kept"}  # a fallback prepare wrote
    # A plain value under a secret's key is not one of ours: a fresh secret is drawn.
    assert config["paas-stacks:stripeSecretKey"]["secure"].startswith("v1:")
    assert config["fly:org"] == "acme"  # what this run was told
    assert document["encryptionsalt"] == "v1:committed"


def test_a_missing_vendor_credential_refuses_before_creating_the_stack(
    stacks_dir: Path,
) -> None:
    fake = FakePulumi({}, stacks_dir)
    with pytest.raises(PreviewError, match="PREVIEW_SECRET_B2"):
        preview.prepare(fake, stacks_dir, 4, "realstaging")
    assert fake.calls == []


def test_the_sweeper_destroys_previews_only_and_never_reads_other_stacks(
    stacks_dir: Path,
) -> None:
    old = {"paas:created": "2025-01-01T00:00:00Z"}
    fake = FakePulumi(
        {
            "demo": {},
            "production": {},
            "pr-3": dict(old),
            "pr-4": dict(old),
            "pr-5": {"paas:created": "2025-06-09T00:00:00Z"},
        },
        stacks_dir,
    )
    vendors = RecordedVendors(fake.calls)
    done = teardown.sweep(
        fake, stacks_dir, 7, {4, 5}, datetime(2025, 6, 10, tzinfo=UTC), vendors=vendors
    )
    assert done == [
        "pr-3: destroyed and removed (PR #3 is not open)",
        "pr-4: destroyed and removed (created 160 days ago, older than its TTL of 7 days)",
    ]
    assert sorted(fake.state) == ["demo", "pr-5", "production"]
    destroyed = [c[-1] for c in fake.calls if c[0] == "destroy"]
    assert destroyed == ["pr-3", "pr-4"]
    # Each preview's orphans were searched, and once more for previews already removed.
    assert fake.calls.count(("scan",)) == 3
    assert [c[-1] for c in fake.calls if c[:2] == ("stack", "export")] == ["pr-3", "pr-4"]


def test_destroy_reads_the_owner_first_and_cleans_orphans_between_destroy_and_rm(
    stacks_dir: Path,
) -> None:
    fake = FakePulumi({"pr-6": {}}, stacks_dir)
    assert teardown.destroy(fake, stacks_dir, "pr-6", RecordedVendors(fake.calls)) == (
        "pr-6: destroyed and removed"
    )
    order = [c[:2] for c in fake.calls if c[0] != "scan"]
    assert order == [("stack", "export"), ("destroy", "--yes"), ("stack", "rm")]
    assert fake.calls.index(("scan",)) == 2  # after the destroy, before the rm


@pytest.mark.parametrize("stack", ["demo", "production", "pr-x"])
def test_destroy_refuses_a_stack_that_is_not_a_preview(stack: str, stacks_dir: Path) -> None:
    fake = FakePulumi({stack: {}}, stacks_dir)
    with pytest.raises(PreviewError, match=f"refusing to touch stack '{stack}'"):
        teardown.destroy(fake, stacks_dir, stack)
    assert fake.calls == []


def test_closing_a_pr_without_a_preview_is_not_an_error(stacks_dir: Path) -> None:
    assert teardown.destroy(FakePulumi({}, stacks_dir), stacks_dir, "pr-8") == (
        "pr-8: no such stack; nothing to destroy"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["prepare", "--pr", "3", "--base", "pr-2"], "preview: --base 'pr-2' is a preview stack"),
        (["prepare", "--pr", "3", "--base", "demo", "--ttl-days", "0"], "--ttl-days must be 1"),
        (["sweep", "--ttl-days", "0"], "--ttl-days must be 1 or more; got 0"),
        (["sweep", "--ttl-days", "-3", "--open-prs", "3"], "--ttl-days must be 1 or more; got -3"),
        (["prepare", "--pr", "3", "--base", "demo", "--config", "x"], "--config takes"),
        (["sweep", "--open-prs", "3,x"], "--open-prs must be PR numbers"),
        (["destroy", "--pr", "-1"], "--pr must be a pull request number"),
        (["prepare", "--pr", "3", "--base", "nope"], "stacks/Pulumi.nope.yaml: no such stack"),
    ],
)
def test_every_refusal_is_one_clear_line(
    argv: list[str],
    message: str,
    stacks_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(preview, "Pulumi", lambda _cwd: FakePulumi({}, stacks_dir))
    assert preview.main(["--stacks-dir", str(stacks_dir), *argv]) == 1
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1


def test_the_budget_gate_refuses_a_preview_over_the_ceiling_with_its_breakdown(
    stacks_dir: Path,
) -> None:
    fake = FakePulumi({}, stacks_dir)
    preview.prepare(fake, stacks_dir, 4, "mais-production")
    calls = list(fake.calls)
    passed, message, refused = costing.gate(stacks_dir, 4, "mais-production", 40)
    assert fake.calls == calls  # the gate runs no Pulumi command (and calls no vendor)
    assert not passed
    # Starter api + jobs $14; the free project inside the Pro organization 'mais' runs micro
    # compute ($10: the base pays the fee and spends the credit); Vercel Pro $20 per member.
    assert message == (
        "pr-4: the monthly estimate $43.81 exceeds the repository's preview budget $40.00 "
        "(PREVIEW_BUDGET_USD): not deployed (api $7.00, jobs $7.00, db $9.81, web $20.00)"
    )
    assert refused.startswith(
        "<!-- paas-stacks-preview -->\n"
        "### Preview environment `pr-4` (from `mais-production`): not deployed\n"
    )
    assert "| db | — | — | $9.81 | $25 |\n" in refused
    assert "| render workspace | — | — | $0 | $25 |\n" in refused
    assert "| **total** | | | **$43.81** | **$102** |\n" in refused
    assert f"**Over budget**: {message}.\n" in refused
    assert (
        "Assumed: Supabase organization 'mais' (pro): plan fee and compute credit counted on "
        "mais-production.db.\n"
    ) in refused
    assert costing.gate(stacks_dir, 4, "mais-production", 50)[0]
    assert costing.gate(stacks_dir, 4, "mais-production", None)[0]


def test_the_gate_command_writes_the_comment_and_fails(
    stacks_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    preview.prepare(FakePulumi({}, stacks_dir), stacks_dir, 4, "mais-production")
    out = stacks_dir.parent / "comment.md"
    argv = ["--stacks-dir", str(stacks_dir), "gate", "--pr", "4", "--base", "mais-production"]
    assert preview.main([*argv, "--ceiling", "40", "--output", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("preview: pr-4: the monthly estimate $43.81 exceeds")
    assert "not deployed" in out.read_text()
    assert preview.main([*argv, "--ceiling", ""]) == 0  # vars.PREVIEW_BUDGET_USD unset: no gate
    assert preview.main([*argv, "--ceiling", "lots"]) == 1
    assert capsys.readouterr().err.endswith(
        "preview: --ceiling (PREVIEW_BUDGET_USD) must be a number of USD above 0; got 'lots'\n"
    )


HEAD = "3f2a9c1" + "0" * 33


def test_prepare_with_the_head_pins_its_commit_and_branch_as_the_release(
    stacks_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakePulumi({}, stacks_dir)
    monkeypatch.setattr(preview, "Pulumi", lambda _cwd: fake)
    argv = ["prepare", "--pr", "4", "--base", "mais-production"]
    head = ["--head-ref", "feature/checkout", "--head-sha", HEAD]
    assert preview.main(["--stacks-dir", str(stacks_dir), *argv, *head]) == 0
    out = capsys.readouterr().out
    assert f"pr-4: release set (commit {HEAD}, branch feature/checkout)" in out
    assert "nothing in this stack follows" not in out
    [set_all] = [call for call in fake.calls if call[:2] == ("config", "set-all")]
    assert set_all == (
        "config",
        "set-all",
        "--path",
        "--plaintext",
        f"paas-stacks:release.commit={HEAD}",
        "--plaintext",
        "paas-stacks:release.branch=feature/checkout",
        "--stack",
        "pr-4",
    )
    # Nothing pins a head without --head-sha: the preview runs what its base runs.
    fake.calls.clear()
    assert preview.main(["--stacks-dir", str(stacks_dir), *argv]) == 0
    assert not [call for call in fake.calls if call[:2] == ("config", "set-all")]


@pytest.mark.parametrize(
    ("head", "shown"),
    [
        (["--head-ref", "feature-1", "--head-sha", "3f2a9c1"], "'3f2a9c1'"),
        (["--head-ref", "../main", "--head-sha", HEAD], "'../main'"),
        (["--head-ref", "bad;rm -rf", "--head-sha", HEAD], "'bad;rm -rf'"),
        (["--head-ref", "feature-1"], "None and 'feature-1'"),
    ],
)
def test_a_head_that_is_not_a_full_sha_on_a_branch_is_one_clear_line(
    head: list[str],
    shown: str,
    stacks_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = FakePulumi({}, stacks_dir)
    monkeypatch.setattr(preview, "Pulumi", lambda _cwd: fake)
    argv = ["--stacks-dir", str(stacks_dir), "prepare", "--pr", "4", "--base", "mais-production"]
    assert preview.main([*argv, *head]) == 1
    err = capsys.readouterr().err
    assert "--head-sha must be the head commit's full SHA and --head-ref a branch name" in err
    assert shown in err
    assert err.count("\n") == 1
    assert fake.calls == []  # refused before the preview stack is created


def test_a_head_for_a_base_that_follows_no_repository_is_said_not_silently_ignored(
    stacks_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preview, "Pulumi", lambda _cwd: FakePulumi({}, stacks_dir))
    argv = ["prepare", "--pr", "4", "--base", "demo", "--head-ref", "f", "--head-sha", HEAD]
    assert preview.main(["--stacks-dir", str(stacks_dir), *argv]) == 0
    out = capsys.readouterr().out
    assert "nothing in this stack follows this repository (no `repository:`)" in out


def test_the_cli_is_never_run_with_pulumi_debug_grpc(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULUMI_DEBUG_GRPC", str(tmp_path / "grpc.log"))
    # A binary that does not exist: had the command run, the error would be another one.
    cli = Pulumi(tmp_path, binary=str(tmp_path / "no-such-pulumi"))
    with pytest.raises(PreviewError, match=r"^PULUMI_DEBUG_GRPC is set: the Pulumi CLI would"):
        cli.run("up", "--yes", "--stack", "pr-4")
    assert not (tmp_path / "grpc.log").exists()
