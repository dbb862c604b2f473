"""The release a stack runs: stack config ``paas-stacks:release``, set by CI for each commit.

    paas-stacks:release:
      commit: 3f2a...          # full SHA: every Render service that follows this repository
      branch: feature-x        # optional: the branch that commit is on (previews: the PR's head)
      images:                  # services with `build:`: the image CI built for that commit
        api: registry.fly.io/shop-api:pr-12-3f2a9c1@sha256:...

The rule that matters here: which services follow "this repository" is decided once, by
``follows``: a Render service built from the environment's ``repository`` (its ``repo``
defaults to it), a Render static site from it, or a service with ``build:`` (its image is built
from it). Those run the release; every other service runs what its own entry pins (``commit:``,
``image:`` with a tag or digest, or its branch's head). A release that names a service that does
not follow the repository, or an image that is not pinned by digest into the repository the
stack file builds to, is refused before anything is registered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, Field, ValidationError

from paas_stacks.components._fields import CommitSha, ImageRef, Name
from paas_stacks.components.spec.common import Spec
from paas_stacks.components.spec.errors import problems_from
from paas_stacks.components.spec.services import RenderServiceSpec
from paas_stacks.errors import Problem, SpecError

if TYPE_CHECKING:
    from paas_stacks.components.spec.environment import EnvironmentSpec

__all__ = [
    "RELEASE_KEY",
    "BranchName",
    "Release",
    "Source",
    "apply_release",
    "follows",
    "image_repository",
    "parse_release",
    "pinned_here_problems",
    "release_of",
    "release_problems",
    "sources",
]

RELEASE_KEY = "paas-stacks:release"
#: Static hosts that deploy a chosen commit (Vercel deployments, Render static sites).
PINNABLE_SITES = ("vercel", "render_static")


def _git_branch(name: str) -> str:
    """A branch name as ``git check-ref-format --branch`` allows it, kept to safe characters."""
    if ".." in name or "//" in name or name.endswith(("/", ".lock", ".")):
        raise ValueError(f"{name!r} is not a git branch name")
    return name


#: A branch name (previews: the pull request's head ref).
BranchName = Annotated[
    str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$"), AfterValidator(_git_branch)
]


class Release(Spec):
    """What CI deploys for one commit; every key optional (unset: the stack file's own)."""

    #: The commit that what follows this repository deploys.
    commit: CommitSha | None = None
    #: The branch that commit is on (a preview: the pull request's head ref).
    branch: BranchName | None = None
    #: Service name -> the image CI built for it, by digest (``repository@sha256:...``).
    images: dict[Name, ImageRef] = Field(default_factory=dict)


Source = dict[str, Any]


def image_repository(ref: str) -> str:
    """``registry/repository`` of an image reference, without tag or digest."""
    rest = ref.partition("@")[0]
    colon = rest.rfind(":")
    return rest[:colon] if colon > rest.rfind("/") else rest


def _same_repo(left: str | None, right: str | None) -> bool:
    def norm(url: str | None) -> str:
        return (url or "").lower().removesuffix("/").removesuffix(".git")

    return bool(left and right) and norm(left) == norm(right)


def follows(spec: EnvironmentSpec, name: str) -> bool:
    """True when component ``name`` runs the release: built from this repository."""
    service = spec.services.get(name)
    if service is not None:
        if service.build is not None:
            return True
        if isinstance(service, RenderServiceSpec) and service.runtime != "image":
            return spec.repository is not None and _same_repo(
                service.repo or spec.repository, spec.repository
            )
        return False
    site = spec.static_sites.get(name)
    return site is not None and _same_repo(site.repo, spec.repository)


def parse_release(raw: Any, file: str) -> Release:
    """The release config; every problem as one line naming ``config.paas-stacks:release``."""
    if raw is None:
        return Release()
    try:
        return Release.model_validate(raw)
    except ValidationError as exc:
        lines = [
            f"{file}: config.{RELEASE_KEY}.{p.path()}: {p.message}"
            if p.loc
            else f"{file}: config.{RELEASE_KEY}: {p.message}"
            for p in problems_from(exc, Release)
        ]
        raise SpecError(lines) from None


def release_problems(spec: EnvironmentSpec, release: Release) -> list[Problem]:
    """What in ``release`` this stack cannot run, at ``release.<path>`` (before any call)."""
    found: list[Problem] = []
    for name, ref in release.images.items():
        service = spec.services.get(name)
        if service is None or service.build is None:
            built = sorted(n for n, s in spec.services.items() if s.build is not None)
            found.append(
                Problem(
                    ("images", name),
                    f"{name!r} is not a service built from this repository (one with `build:`); "
                    f"built here: {', '.join(built) or 'none'}",
                )
            )
            continue
        wanted = image_repository(service.image or "")
        if service.image and image_repository(ref) != wanted:
            found.append(
                Problem(
                    ("images", name),
                    f"{ref!r} is not in {wanted!r}, where the stack file builds {name!r} to",
                )
            )
    return found


def pinned_here_problems(spec: EnvironmentSpec) -> list[Problem]:
    """A service that follows this repository gets its commit from the release, never from its
    own entry (``environment.services.<name>.commit``)."""
    return [
        Problem(
            ("services", name, "commit"),
            f"{name!r} follows this repository ({spec.repository}): its commit comes from "
            f"{RELEASE_KEY}.commit; remove commit here, or point repo elsewhere",
        )
        for name, service in spec.services.items()
        if isinstance(service, RenderServiceSpec) and service.commit and follows(spec, name)
    ]


def apply_release(spec: EnvironmentSpec, release: Release, file: str) -> EnvironmentSpec:
    """``spec`` with the release applied to every service that follows this repository."""
    problems = release_problems(spec, release)
    if problems:
        raise SpecError([f"{file}: config.{RELEASE_KEY}.{p.path()}: {p.message}" for p in problems])
    services: dict[str, Any] = {}
    for name, service in spec.services.items():
        changes: dict[str, Any] = {}
        if name in release.images:
            changes["image"] = release.images[name]
        elif isinstance(service, RenderServiceSpec) and follows(spec, name):
            if release.commit:
                changes["commit"] = release.commit
            if release.branch:
                changes["branch"] = release.branch
        services[name] = service.model_copy(update=changes) if changes else service
    sites: dict[str, Any] = {}
    for name, site in spec.static_sites.items():
        changes = {}
        if follows(spec, name):
            # Cloudflare Pages cannot be pinned to a commit by the bridged provider: it builds
            # the branch's head, so it follows the release's branch only.
            if release.commit and site.provider in PINNABLE_SITES:
                changes["commit"] = release.commit
            if release.branch:
                changes["branch"] = release.branch
        sites[name] = site.model_copy(update=changes) if changes else site
    return spec.model_copy(update={"services": services, "static_sites": sites})


def sources(spec: EnvironmentSpec) -> dict[str, Source]:
    """Per service and static site, what it runs: ``{"follows": bool, ...}`` plus the pin."""
    out: dict[str, Source] = {}
    for name, service in spec.services.items():
        entry: Source = {"follows": follows(spec, name)}
        if isinstance(service, RenderServiceSpec) and service.runtime != "image":
            entry |= {"repo": service.repo or spec.repository, "branch": service.branch}
            entry |= {"commit": service.commit}
        else:
            entry["image"] = service.image
        if service.build is not None:
            entry["build"] = {
                "context": service.build.context,
                "dockerfile": service.build.dockerfile,
            }
            if service.build.target:
                entry["build"]["target"] = service.build.target
        out[name] = entry
    for name, site in spec.static_sites.items():
        out[name] = {"follows": follows(spec, name), "repo": site.repo, "branch": site.branch}
    return out


def release_of(config: Mapping[str, Any], file: str) -> Release:
    """The release in a stack file's ``config:`` mapping."""
    return parse_release(config.get(RELEASE_KEY), file)
