"""``python -m paas_stacks.release``: the release a stack runs, as CI and people set it.

    set --stack S [--commit SHA|HEAD] [--branch REF] [--image NAME=REF@sha256:...]...
        [--images-from FILE] [--from release.json]
                       write config paas-stacks:release of stack S (via `pulumi config`)
    show --stack S     what each service runs: follows this repository or pins something else
    running --stack S  the release S runs now (its `releases` output) as JSON, to promote it
    build --stack S --tag TAG [--output FILE]
                       docker buildx build --push every service with build:, one
                       NAME=REF:TAG@sha256:... line each (the digest the registry answered)
    resolve --stack S --tag TAG [--output FILE]
                       the same lines for images already pushed with TAG (rollback: no rebuild)
    registries --stack S   fly=true|false and ghcr=true|false (which registry logins are needed)

The rule that matters here: a release is checked against the stack file before it is written
(a commit is a full SHA, an image is pinned by digest into the repository the stack builds to,
only services that follow this repository take it), so `pulumi up` never meets a half-valid one.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from paas_stacks.components.spec import EnvironmentSpec, SpecError, load_stack
from paas_stacks.components.spec.release import (
    RELEASE_KEY,
    Release,
    follows,
    release_problems,
    sources,
)
from paas_stacks.errors import PreviewError
from paas_stacks.preview.pulumi_cli import Pulumi
from paas_stacks.release.images import ReleaseError, builds, registries, run_build, run_resolve

__all__ = ["main", "read_running", "set_release"]


def set_release(pulumi: Pulumi, stacks_dir: Path, stack: str, release: Release) -> str:
    """Replace ``stack``'s release config with ``release``; returns a one-line summary."""
    spec = load_stack(stack, stacks_dir, check_secrets=False)
    problems = release_problems(spec, release)
    if problems:
        raise ReleaseError("; ".join(f"{p.path()}: {p.message}" for p in problems))
    try:
        pulumi.run("config", "rm", "--path", RELEASE_KEY, "--stack", stack)
    except PreviewError as exc:
        if "not found" not in str(exc):
            raise
    pairs = [(f"{RELEASE_KEY}.commit", release.commit), (f"{RELEASE_KEY}.branch", release.branch)]
    pairs += [(f"{RELEASE_KEY}.images.{name}", ref) for name, ref in release.images.items()]
    values = [arg for key, value in pairs if value for arg in ("--plaintext", f"{key}={value}")]
    if values:
        pulumi.run("config", "set-all", "--path", *values, "--stack", stack)
    load_stack(stack, stacks_dir, check_secrets=False)  # the file as `pulumi up` will read it
    shown = [f"commit {release.commit}"] if release.commit else []
    shown += [f"branch {release.branch}"] if release.branch else []
    shown += [f"{name} {ref}" for name, ref in release.images.items()]
    return f"{stack}: release set ({', '.join(shown) or 'nothing pinned'})"


def read_running(pulumi: Pulumi, stacks_dir: Path, stack: str) -> Release:
    """The release ``stack`` runs now, from its ``releases`` output (what its live deploys and
    machines report), limited to what follows this repository."""
    spec = load_stack(stack, stacks_dir, check_secrets=False)
    outputs = pulumi.json("stack", "output", "--stack", stack) or {}
    running: dict[str, dict[str, Any]] = dict(outputs.get("releases") or {})
    commits = {
        str(running.get(name, {}).get("commit"))
        for name, service in spec.services.items()
        if follows(spec, name) and service.build is None and running.get(name, {}).get("commit")
    }
    if len(commits) > 1:
        raise ReleaseError(f"{stack} runs more than one commit ({', '.join(sorted(commits))})")
    images = {
        name: str(running.get(name, {}).get("image"))
        for name, service in spec.services.items()
        if service.build is not None and "@sha256:" in str(running.get(name, {}).get("image"))
    }
    return _release(commit=commits.pop() if commits else None, images=images)


def _release(**fields: Any) -> Release:
    try:
        return Release.model_validate({k: v for k, v in fields.items() if v is not None})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'release'}: {e['msg']}"
            for e in exc.errors(include_url=False)
        )
        raise ReleaseError(f"invalid release: {problems}") from None


def _images(pairs: Sequence[str], files: Sequence[Path]) -> dict[str, str]:
    lines = list(pairs)
    for file in files:
        lines += [line.strip() for line in file.read_text().splitlines() if line.strip()]
    images = {}
    for pair in lines:
        name, sep, ref = pair.partition("=")
        if not sep or not name or not ref:
            raise ReleaseError(f"--image takes NAME=REF@sha256:<digest>; got {pair!r}")
        images[name] = ref
    return images


def _commit(text: str | None, root: Path) -> str | None:
    """``HEAD`` (or any ref) resolved by git in ``root``; a full SHA as given."""
    if text is None or len(text) == 40:
        return text
    done = subprocess.run(  # noqa: S603 - git with our own arguments
        ["git", "rev-parse", "--verify", f"{text}^{{commit}}"],  # noqa: S607
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise ReleaseError(f"--commit {text!r}: git knows no such commit here")
    return done.stdout.strip()


def _show(spec: EnvironmentSpec) -> str:
    lines = []
    for name, source in sources(spec).items():
        how = "follows this repository" if source["follows"] else "pins"
        what = source.get("commit") or source.get("image") or source.get("branch") or "—"
        lines.append(f"{name}: {how}: {what}")
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m paas_stacks.release",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--stacks-dir", type=Path, default=Path("stacks"))
    commands = parser.add_subparsers(dest="command", required=True)
    for command in ("set", "show", "running", "build", "resolve", "registries"):
        sub = commands.add_parser(command)
        sub.add_argument("--stack", required=True)
        if command == "set":
            sub.add_argument("--commit", help="a full SHA, or a ref git resolves (HEAD)")
            sub.add_argument("--branch", help="the branch the commit is on (previews: head ref)")
            sub.add_argument("--image", action="append", default=[], help="NAME=REF@sha256:...")
            sub.add_argument("--images-from", action="append", type=Path, default=[])
            sub.add_argument("--from", dest="from_file", type=Path, help="a `running` JSON")
        if command in ("build", "resolve"):
            sub.add_argument("--tag", required=True, help="e.g. pr-12-3f2a9c1 or main-3f2a9c1")
        if command in ("build", "resolve", "running"):
            sub.add_argument("--output", type=Path, help="write the answer here too")
    return parser


def run(args: argparse.Namespace, pulumi: Pulumi) -> str:
    stacks_dir: Path = args.stacks_dir
    if args.command == "set":
        base = json.loads(args.from_file.read_text()) if args.from_file else {}
        images = {**base.get("images", {}), **_images(args.image, args.images_from)}
        release = _release(
            commit=_commit(args.commit, pulumi.cwd) or base.get("commit"),
            branch=args.branch or base.get("branch"),
            images=images or None,
        )
        return set_release(pulumi, stacks_dir, args.stack, release)
    if args.command == "running":
        answer = read_running(pulumi, stacks_dir, args.stack).model_dump_json(exclude_none=True)
        return _write(args.output, answer)
    spec = load_stack(args.stack, stacks_dir, check_secrets=False)
    if args.command == "show":
        return _show(spec)
    if args.command == "registries":
        return "\n".join(f"{key}={str(value).lower()}" for key, value in registries(spec).items())
    step = run_build if args.command == "build" else run_resolve
    lines = [f"{b.service}={step(b, args.tag, pulumi.cwd)}" for b in builds(spec)]
    return _write(args.output, "\n".join(lines))


def _write(path: Path | None, text: str) -> str:
    if path is not None:
        path.write_text(text + "\n", encoding="utf-8")
    return text


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        print(run(args, Pulumi(Path.cwd())))
    except (ReleaseError, PreviewError, SpecError, OSError) as exc:
        print(f"release: {exc}".replace("\n", "\n  "), file=sys.stderr)
        return 1
    return 0
