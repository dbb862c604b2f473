"""The images a stack builds from this repository: Docker Buildx builds pushed by tag, and the
digest each tag resolved to.

The rule that matters here: an image is pinned by the digest the registry answered for the push
(Buildx's metadata file, ``containerimage.digest``) or for the tag (``imagetools inspect``),
never by a tag alone, so staging and production run the very bytes that were built.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from paas_stacks.components.spec import EnvironmentSpec
from paas_stacks.components.spec.release import image_repository

__all__ = ["Build", "ReleaseError", "builds", "pinned", "registries", "run_build", "run_resolve"]

_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
#: Registries the workflows know how to log in to, by host.
KNOWN_REGISTRIES = {"registry.fly.io": "fly", "ghcr.io": "ghcr"}


class ReleaseError(Exception):
    """A refusal or failure, always one line, printed as ``release: <message>``."""


@dataclass(frozen=True)
class Build:
    """One service's image: where it is pushed and how it is built."""

    service: str
    repository: str
    context: str
    dockerfile: str
    target: str | None

    def ref(self, tag: str) -> str:
        return f"{self.repository}:{tag}"


def builds(spec: EnvironmentSpec) -> list[Build]:
    """Every service with ``build:``, in the stack file's order."""
    found = []
    for name, service in spec.services.items():
        if service.build is None:
            continue
        if not service.image:
            raise ReleaseError(f"services.{name}: build needs image: the repository to push to")
        found.append(
            Build(
                name,
                image_repository(service.image),
                service.build.context,
                service.build.dockerfile,
                service.build.target,
            )
        )
    return found


def registries(spec: EnvironmentSpec) -> dict[str, bool]:
    """``{"fly": bool, "ghcr": bool}``: which registries the builds push to (workflow logins)."""
    hosts = {build.repository.split("/", 1)[0] for build in builds(spec)}
    return {key: host in hosts for host, key in KNOWN_REGISTRIES.items()}


def pinned(ref: str, digest: str) -> str:
    if not _DIGEST.match(digest):
        raise ReleaseError(f"{ref}: the registry answered {digest!r}, not a sha256 digest")
    return f"{ref}@{digest}"


def run_build(build: Build, tag: str, root: Path, docker: str = "docker") -> str:
    """``docker buildx build --push`` one image; returns ``<repository>:<tag>@<digest>``."""
    ref = build.ref(tag)
    with tempfile.TemporaryDirectory() as scratch:
        metadata = Path(scratch) / "metadata.json"
        command = [docker, "buildx", "build", "--file", build.dockerfile, "--tag", ref]
        if build.target:
            command += ["--target", build.target]
        command += ["--metadata-file", str(metadata), "--push", build.context]
        _run(command, root, f"building {build.service}")
        try:
            digest = str(json.loads(metadata.read_text())["containerimage.digest"])
        except (OSError, ValueError, KeyError):
            raise ReleaseError(f"{ref}: buildx wrote no containerimage.digest") from None
    return pinned(ref, digest)


def run_resolve(build: Build, tag: str, root: Path, docker: str = "docker") -> str:
    """The digest an existing tag points at (``docker buildx imagetools inspect``)."""
    ref = build.ref(tag)
    command = [docker, "buildx", "imagetools", "inspect", ref, "--format", "{{json .Manifest}}"]
    answer = _run(command, root, f"resolving {ref}")
    try:
        digest = str(json.loads(answer)["digest"])
    except (ValueError, KeyError, TypeError):
        raise ReleaseError(f"{ref}: imagetools answered no manifest digest") from None
    return pinned(ref, digest)


def _run(command: list[str], root: Path, what: str) -> str:
    try:
        done = subprocess.run(  # noqa: S603 - docker with our own arguments
            command, cwd=root, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise ReleaseError(f"{what}: {command[0]!r} is not installed") from None
    if done.returncode != 0:
        last = [line for line in done.stderr.splitlines() if line.strip()] or ["no error output"]
        raise ReleaseError(f"{what} failed: {last[-1].strip()}")
    return done.stdout
