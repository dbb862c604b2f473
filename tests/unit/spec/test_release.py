"""The release config (``paas-stacks:release``): which services follow this repository, what the
release pins on each, and the one-line refusals of a release the stack cannot run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from paas_stacks.components.platforms import Render
from paas_stacks.components.spec import SpecError, compile_entry, entries, load_stack
from paas_stacks.components.spec.release import follows, sources

A = "a" * 40
DIGEST = "sha256:" + "d" * 64
REPO = "https://github.com/acme/shop"
RENDER = {
    "kind": "web",
    "platform": "render",
    "plan": "starter",
    "runtime": "node",
    "build_command": "npm ci",
    "start_command": "npm start",
}
ENVIRONMENT: dict[str, Any] = {
    "repository": REPO,
    "services": {
        "api": RENDER,  # repo defaults to the repository: follows it
        "docs": {**RENDER, "repo": "https://github.com/acme/docs", "commit": "b" * 40},
        "jobs": {
            "kind": "worker",
            "platform": "fly",
            "size": "shared-cpu-1x",
            "image": "registry.fly.io/shop-jobs",
            "build": {"dockerfile": "jobs/Dockerfile"},
        },
        "proxy": {
            "kind": "web",
            "platform": "fly",
            "size": "shared-cpu-1x",
            "image": f"docker.io/library/nginx:1.27@{DIGEST}",
        },
    },
    "static_sites": {
        "web": {"provider": "vercel", "repo": REPO, "build_command": "b", "output_dir": "dist"},
        "pages": {
            "provider": "cloudflare_pages",
            "repo": REPO,
            "build_command": "b",
            "output_dir": "dist",
        },
    },
}


def stack(tmp_path: Path, release: dict[str, Any] | None = None, **env: Any) -> Path:
    directory = tmp_path / "stacks"
    directory.mkdir(exist_ok=True)
    config: dict[str, Any] = {"paas-stacks:environment": {**ENVIRONMENT, **env}}
    if release is not None:
        config["paas-stacks:release"] = release
    (directory / "Pulumi.shop.yaml").write_text(yaml.safe_dump({"config": config}))
    return directory


def render_of(spec: Any, name: str) -> Render:
    entry = next(e for e in entries(spec) if e.name == name)
    platform = compile_entry(entry, spec).args.platform
    assert isinstance(platform, Render)
    return platform


def test_the_stack_file_says_which_services_follow_this_repository(tmp_path: Path) -> None:
    spec = load_stack("shop", stack(tmp_path))
    assert {name: follows(spec, name) for name in [*spec.services, *spec.static_sites]} == {
        "api": True,
        "docs": False,
        "jobs": True,
        "proxy": False,
        "web": True,
        "pages": True,
    }
    assert sources(spec)["jobs"]["build"] == {"context": ".", "dockerfile": "jobs/Dockerfile"}
    assert sources(spec)["docs"]["commit"] == "b" * 40


def test_a_release_pins_what_follows_and_leaves_the_rest_alone(tmp_path: Path) -> None:
    image = f"registry.fly.io/shop-jobs:main-aaaaaaa@{DIGEST}"
    release = {"commit": A, "branch": "feature/x", "images": {"jobs": image}}
    spec = load_stack("shop", stack(tmp_path, release))
    api = render_of(spec, "api")
    assert (api.repo, api.branch, api.commit, api.auto_deploys()) == (REPO, "feature/x", A, False)
    docs = render_of(spec, "docs")
    assert (docs.commit, docs.branch, docs.auto_deploys()) == ("b" * 40, None, False)
    assert spec.services["jobs"].image == image
    assert spec.services["proxy"].image == f"docker.io/library/nginx:1.27@{DIGEST}"
    assert spec.static_sites["web"].commit == A  # a Vercel deployment of that commit
    assert spec.static_sites["pages"].commit is None  # Pages builds the branch's head
    assert spec.static_sites["pages"].branch == "feature/x"


def test_without_a_release_a_following_service_keeps_what_runs_and_never_auto_deploys(
    tmp_path: Path,
) -> None:
    spec = load_stack("shop", stack(tmp_path))
    api = render_of(spec, "api")
    assert (api.commit, api.auto_deploys()) == (None, False)
    assert spec.services["jobs"].image == "registry.fly.io/shop-jobs"


@pytest.mark.parametrize(
    ("release", "line"),
    [
        (
            {"images": {"proxy": f"docker.io/library/nginx:1.28@{DIGEST}"}},
            "config.paas-stacks:release.images.proxy: 'proxy' is not a service built from this "
            "repository (one with `build:`); built here: jobs",
        ),
        (
            {"images": {"jobs": f"ghcr.io/acme/other@{DIGEST}"}},
            f"config.paas-stacks:release.images.jobs: 'ghcr.io/acme/other@{DIGEST}' is not in "
            "'registry.fly.io/shop-jobs', where the stack file builds 'jobs' to",
        ),
        (
            {"images": {"jobs": "registry.fly.io/shop-jobs:latest"}},
            "config.paas-stacks:release.images.jobs: ",
        ),
        ({"commit": "abc123"}, "config.paas-stacks:release.commit: "),
        ({"branch": "bad..name"}, "config.paas-stacks:release.branch: "),
    ],
)
def test_a_release_the_stack_cannot_run_is_one_line_naming_the_config_path(
    tmp_path: Path, release: dict[str, Any], line: str
) -> None:
    with pytest.raises(SpecError) as refused:
        load_stack("shop", stack(tmp_path, release))
    assert len(refused.value.lines) == 1
    assert refused.value.lines[0].startswith("stacks/Pulumi.shop.yaml: " + line)


def test_a_following_service_cannot_pin_its_own_commit(tmp_path: Path) -> None:
    services = {**ENVIRONMENT["services"], "api": {**RENDER, "commit": A}}
    with pytest.raises(SpecError) as refused:
        load_stack("shop", stack(tmp_path, services=services))
    assert refused.value.lines == (
        "stacks/Pulumi.shop.yaml: environment.services.api.commit: 'api' follows this repository "
        f"({REPO}): its commit comes from paas-stacks:release.commit; remove commit here, or "
        "point repo elsewhere",
    )


def test_cloudflare_pages_refuses_a_pinned_commit_it_cannot_deploy(tmp_path: Path) -> None:
    sites = {
        "pages": {
            "provider": "cloudflare_pages",
            "repo": "https://github.com/acme/elsewhere",
            "commit": A,
            "build_command": "b",
            "output_dir": "dist",
        }
    }
    with pytest.raises(SpecError) as refused:
        load_stack("shop", stack(tmp_path, static_sites=sites))
    assert any(
        "static_sites.pages.commit: Cloudflare Pages builds" in x for x in refused.value.lines
    )
