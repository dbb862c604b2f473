"""Constrained values that a stack file and a Python program both declare: names, ports, paths,
sizes, durations, and the small settings blocks both spell the same way.

The rule that matters here: each constraint is written once, as an annotated type, and both the
stack spec (pydantic models) and the components' arguments (checked by ``_args.field_problems``)
use that type, so a value is refused with the same words wherever it was written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal

from pydantic import BeforeValidator, ConfigDict, Field

from paas_stacks.errors import Problem
from paas_stacks.vendors.supabase import BRANCH_NAME_PATTERN

__all__ = [
    "AdoptId",
    "AllowEntry",
    "AllowedCidr",
    "Autoscaling",
    "BuildFilter",
    "Cidr",
    "CommitSha",
    "ConfigKey",
    "Disk",
    "Duration",
    "EnvName",
    "Generate",
    "HealthPath",
    "Hostname",
    "ImageBuild",
    "ImageRef",
    "Instances",
    "MemoryMb",
    "MigrationsDir",
    "Name",
    "Port",
    "RepoUrl",
    "Repository",
    "Slug",
    "SupabaseAuth",
    "SupabaseBranchOf",
    "allow_list",
]

#: Component names are link targets and the suffix of every vendor-side name
#: (``<environment>-<component>``), so they are short DNS-safe labels.
Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,23}$")]
EnvName = Annotated[str, Field(pattern=r"^[A-Z_][A-Z0-9_]*$")]
#: Keys of ``pulumi config set --secret paas-stacks:<key>``; the namespace is implied.
ConfigKey = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")]
Instances = Annotated[int, Field(ge=1, le=100)]
Port = Annotated[int, Field(ge=1, le=65535)]
HealthPath = Annotated[str, Field(pattern=r"^/\S*$")]
RepoUrl = Annotated[str, Field(pattern=r"^https://\S+$")]
#: A git commit, as Render's ``commitId`` takes it: the full 40-character hex SHA.
CommitSha = Annotated[str, Field(pattern=r"^[0-9a-f]{40}$")]
#: An image pinned by digest: ``[registry/]repository[:tag]@sha256:<64 hex>``.
ImageRef = Annotated[str, Field(pattern=r"^[a-z0-9][\w.:/-]*@sha256:[0-9a-f]{64}$")]
#: Memory of a Fly machine: whole multiples of 256 MB.
MemoryMb = Annotated[int, Field(ge=256, le=131072, multiple_of=256)]
#: A Supabase organization slug.
Slug = Annotated[str, Field(pattern=r"^[\w-]+$")]
#: A folder of ``*.sql`` files, relative to the project root.
MigrationsDir = Annotated[str, Field(pattern=r"^[\w./-]+$")]
Cidr = Annotated[str, Field(pattern=r"^[0-9a-fA-F:.]+/\d{1,3}$")]
#: A Postgres duration setting such as ``statement_timeout``.
Duration = Annotated[str, Field(pattern=r"^\d+(ms|s|min|h)$")]
Hostname = Annotated[
    str, Field(pattern=r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", max_length=253)
]
#: A GitHub repository, ``owner/repo``.
Repository = Annotated[str, Field(pattern=r"^[\w.-]+/[\w.-]+$")]
Percent = Annotated[int, Field(ge=1, le=90)]
#: A vendor object's id to take over deliberately (``srv-…``, ``dpg-…``, a project ref, a Fly
#: app name): the way past an ownership refusal.
AdoptId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][\w.-]{0,99}$")]


@dataclass(frozen=True, kw_only=True)
class Autoscaling:
    """Instances between ``min`` and ``max``: Render scales on CPU/memory targets, Fly's proxy
    starts and stops machines."""

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    #: The fewest instances it keeps running.
    min: Annotated[int, Field(ge=0, le=100)]
    #: The most instances it starts.
    max: Annotated[int, Field(ge=1, le=100)]
    #: Render: the CPU use it scales towards (70 when no target is given).
    target_cpu_percent: Percent | None = None
    #: Render: the memory use it scales towards.
    target_memory_percent: Percent | None = None


@dataclass(frozen=True, kw_only=True)
class ImageBuild:
    """How the workflows build a service's image from this repository (Docker Buildx)."""

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    #: The build context, relative to the repository root.
    context: Annotated[str, Field(pattern=r"^[\w./-]+$")] = "."
    #: The Dockerfile, relative to the repository root.
    dockerfile: Annotated[str, Field(pattern=r"^[\w./-]+$")] = "Dockerfile"
    #: A stage of a multi-stage Dockerfile.
    target: Annotated[str, Field(pattern=r"^[\w.-]+$")] | None = None


@dataclass(frozen=True, kw_only=True)
class SupabaseAuth:
    """Supabase Auth settings the guides set by hand."""

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    #: Sign-up and sign-in with email and password.
    email_password: bool = True
    #: How long an access token is valid, in seconds.
    jwt_expiry_seconds: Annotated[int, Field(ge=30, le=604800)] = 3600
    #: The shortest password Auth accepts.
    password_min_length: Annotated[int, Field(ge=6, le=72)] = 6
    #: The site URL used in emails.
    site_url: str | None = None
    #: Further allowed redirect URLs.
    redirect_urls: tuple[str, ...] = ()


#: A Supabase project ref: 20 lowercase letters.
ProjectRef = Annotated[str, Field(pattern=r"^[a-z]{20}$")]


@dataclass(frozen=True, kw_only=True)
class SupabaseBranchOf:
    """A branch of an existing Supabase project (Supabase Branching, paid plans) instead of a
    project of its own: its own database, credentials and API keys, made from the parent."""

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    #: The parent project's ref (e.g. the base stack's project).
    parent_ref: ProjectRef
    #: The branch's name; default: the database's vendor-side name.
    name: Annotated[str, Field(pattern=BRANCH_NAME_PATTERN, max_length=200)] | None = None
    #: The git branch it follows (a preview: the pull request's head ref).
    git_branch: Annotated[str, Field(min_length=1, max_length=255)] | None = None
    #: Persistent branches are kept until deleted; preview branches are not.
    persistent: bool = False
    #: Start as a copy of the parent's data; else empty, with the migrations applied.
    with_data: bool = False


@dataclass(frozen=True, kw_only=True)
class Generate:
    """A secret drawn once and kept in state: ``openssl rand -hex 32`` is ``Generate()``; bump
    ``version`` to rotate it."""

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    #: Bytes of randomness (32 hex-encoded are 64 characters).
    bytes: Annotated[int, Field(ge=16, le=128)] = 32
    #: ``hex``, ``base64`` (padded) or ``urlsafe`` (unpadded URL-safe base64).
    encoding: Literal["hex", "base64", "urlsafe"] = "hex"
    #: Bump to draw a new value (rotation).
    version: Annotated[int, Field(ge=1)] = 1


#: A path inside a service's filesystem (a disk's mount point).
MountPath = Annotated[str, Field(pattern=r"^/[\w./-]*$")]


@dataclass(frozen=True, kw_only=True)
class Disk:
    """A persistent disk mounted into the service (a Render disk or a Fly volume; one instance
    only)."""

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    #: The disk's name at the vendor (on Fly, the volume's name).
    name: Annotated[str, Field(pattern=r"^[\w-]{1,64}$")]
    #: Where the disk appears, e.g. ``/var/data``.
    mount_path: MountPath
    #: Size in GB; it can grow later, never shrink. Render makes 1 GB when unset.
    size_gb: Annotated[int, Field(ge=1, le=16384)] = 1


def disk_problems(
    disk: Disk | None, instances: int | None, autoscaling: Autoscaling | None, page: str
) -> list[Problem]:
    """A disk (a Render disk, a Fly volume) is mounted on one instance: a service with one
    neither scales nor autoscales. ``page`` is the vendor's page that says so."""
    if disk is None:
        return []
    found = []
    if instances is not None and instances > 1:
        found.append(
            Problem(
                ("instances",),
                f"a service with a disk runs one instance ({page}); got {instances}",
            )
        )
    if autoscaling is not None:
        found.append(
            Problem(
                ("autoscaling",),
                f"a service with a disk cannot scale ({page}); remove it or the disk",
            )
        )
    return found


@dataclass(frozen=True, kw_only=True)
class BuildFilter:
    """Which changed paths start an automatic deploy (globs relative to the repository root)."""

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    #: Only changes under these paths deploy; every path when empty.
    paths: tuple[str, ...] = ()
    #: Changes only under these paths never deploy.
    ignored_paths: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class AllowedCidr:
    """An IP allow list entry with a description; a bare CIDR string is one without."""

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    #: An IPv4 or IPv6 range allowed in, e.g. ``203.0.113.0/24``.
    cidr: Cidr
    #: A note shown beside the entry in the vendor's dashboard.
    description: str = ""


def _bare_cidr(value: object) -> object:
    return {"cidr": value} if isinstance(value, str) else value


#: ``203.0.113.0/24`` or ``{cidr: 203.0.113.0/24, description: office}`` (Python: an
#: ``AllowedCidr``; a bare CIDR string is accepted too).
AllowEntry = Annotated[
    AllowedCidr, BeforeValidator(_bare_cidr, json_schema_input_type=Cidr | AllowedCidr)
]


def allow_list(entries: tuple[AllowEntry | str, ...] | None) -> list[dict[str, str]] | None:
    """The providers' ``[{cidr_block, description}]``; ``None`` stays unmanaged."""
    if entries is None:
        return None
    return [
        {"cidr_block": e, "description": ""}
        if isinstance(e, str)
        else {"cidr_block": e.cidr, "description": e.description}
        for e in entries
    ]
