"""``python -m paas_stacks.release``: images built and resolved through Docker Buildx (a stand-in
``docker`` on PATH records the calls), and a release checked before it is written."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml

from paas_stacks.components.spec import load_stack
from paas_stacks.preview.pulumi_cli import Pulumi
from paas_stacks.release import cli
from paas_stacks.release.images import ReleaseError

DIGEST = "sha256:" + "7" * 64
STACK = {
    "repository": "https://github.com/acme/shop",
    "services": {
        "api": {
            "kind": "web",
            "platform": "fly",
            "size": "shared-cpu-1x",
            "image": "registry.fly.io/shop-api",
            "build": {"context": "api", "dockerfile": "api/Dockerfile", "target": "runtime"},
        },
        "web": {
            "kind": "web",
            "platform": "render",
            "plan": "starter",
            "runtime": "node",
            "build_command": "npm ci",
            "start_command": "npm start",
        },
    },
}


class RecordedPulumi(Pulumi):
    """Answers ``config`` calls by editing the stack file as the CLI would; records them all."""

    calls: list[tuple[str, ...]]

    def run(self, *args: str, stdin: str | None = None, show: bool = False) -> str:
        self.calls.append(args)
        path = self.cwd / "stacks" / f"Pulumi.{args[-1]}.yaml"
        document = yaml.safe_load(path.read_text())
        config: dict[str, Any] = document["config"]
        if args[:2] == ("config", "rm"):
            config.pop("paas-stacks:release", None)
        elif args[:2] == ("config", "set-all"):
            pairs = [args[i + 1] for i, arg in enumerate(args) if arg == "--plaintext"]
            for pair in pairs:
                key, _, value = pair.partition("=")
                node = config.setdefault("paas-stacks:release", {})
                *parents, leaf = key.removeprefix("paas-stacks:release.").split(".")
                for part in parents:
                    node = node.setdefault(part, {})
                node[leaf] = value
        path.write_text(yaml.safe_dump(document))
        return ""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "stacks").mkdir()
    document = {"config": {"paas-stacks:environment": STACK}}
    (tmp_path / "stacks" / "Pulumi.shop.yaml").write_text(yaml.safe_dump(document))
    return tmp_path


@pytest.fixture
def docker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ``docker`` that logs its arguments and answers as Buildx does."""
    log = tmp_path / "docker.log"
    script = tmp_path / "bin" / "docker"
    script.parent.mkdir()
    script.write_text(
        "#!/usr/bin/env python3\n"
        "import json, sys\n"
        f"open({str(log)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n"
        "args = sys.argv[1:]\n"
        "if 'imagetools' in args:\n"
        f"    print(json.dumps({{'digest': {DIGEST!r}}}))\n"
        "else:\n"
        "    meta = args[args.index('--metadata-file') + 1]\n"
        f"    json.dump({{'containerimage.digest': {DIGEST!r}}}, open(meta, 'w'))\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{script.parent}{os.pathsep}{os.environ['PATH']}")
    return log


def run(project: Path, *argv: str) -> str:
    pulumi = RecordedPulumi(project)
    pulumi.calls = []
    return cli.run(
        cli._parser().parse_args(["--stacks-dir", str(project / "stacks"), *argv]), pulumi
    )


def test_build_pushes_each_built_service_and_pins_the_digest_buildx_reports(
    project: Path, docker: Path
) -> None:
    answer = run(project, "build", "--stack", "shop", "--tag", "pr-3-abcdef1")
    assert answer == f"api=registry.fly.io/shop-api:pr-3-abcdef1@{DIGEST}"
    [call] = [json.loads(line) for line in docker.read_text().splitlines()]
    assert call[:2] == ["buildx", "build"]
    assert call[call.index("--file") + 1] == "api/Dockerfile"
    assert call[call.index("--target") + 1] == "runtime"
    assert call[call.index("--tag") + 1] == "registry.fly.io/shop-api:pr-3-abcdef1"
    assert "--push" in call
    assert call[-1] == "api"


def test_resolve_pins_an_existing_tag_without_building(project: Path, docker: Path) -> None:
    answer = run(project, "resolve", "--stack", "shop", "--tag", "main-abcdef1")
    assert answer == f"api=registry.fly.io/shop-api:main-abcdef1@{DIGEST}"
    [call] = [json.loads(line) for line in docker.read_text().splitlines()]
    assert call[:3] == ["buildx", "imagetools", "inspect"]


def test_registries_says_which_logins_the_builds_need(project: Path) -> None:
    assert run(project, "registries", "--stack", "shop") == "fly=true\nghcr=false"


def test_set_writes_the_release_the_next_load_applies(project: Path) -> None:
    sha = "c" * 40
    image = f"registry.fly.io/shop-api:main-ccccccc@{DIGEST}"
    said = run(project, "set", "--stack", "shop", "--commit", sha, "--image", f"api={image}")
    assert said == f"shop: release set (commit {sha}, api {image})"
    spec = load_stack("shop", project / "stacks", check_secrets=False)
    assert spec.services["api"].image == image
    assert spec.services["web"].commit == sha  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--commit", "123abc"), "--commit '123abc': git knows no such commit here"),
        (("--image", "api=registry.fly.io/shop-api:latest"), "invalid release: images.api:"),
        (("--image", "web=registry.fly.io/x@" + DIGEST), "images.web: 'web' is not a service"),
        (("--image", "api"), "--image takes NAME=REF@sha256:<digest>; got 'api'"),
    ],
)
def test_set_refuses_a_release_the_stack_cannot_run_before_writing(
    project: Path, argv: tuple[str, ...], message: str
) -> None:
    before = (project / "stacks" / "Pulumi.shop.yaml").read_text()
    with pytest.raises(ReleaseError, match=message.replace("(", r"\(").replace("?", r"\?")):
        run(project, "set", "--stack", "shop", *argv)
    assert (project / "stacks" / "Pulumi.shop.yaml").read_text() == before
