"""Constrained values that a stack file and a Python program both declare: names, ports, paths,
sizes, durations, and the small settings blocks both spell the same way.

The rule that matters here: each constraint is written once, as an annotated type, and both the
stack spec (pydantic models) and the components' arguments (checked by ``_args.field_problems``)
use that type, so a value is refused with the same words wherever it was written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal

from pydantic import ConfigDict, Field

__all__ = [
    "AdoptId",
    "Autoscaling",
    "Cidr",
    "ConfigKey",
    "Duration",
    "EnvName",
    "Generate",
    "HealthPath",
    "Hostname",
    "Instances",
    "MemoryMb",
    "MigrationsDir",
    "Name",
    "Port",
    "RepoUrl",
    "Repository",
    "Slug",
    "SupabaseAuth",
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

    min: Annotated[int, Field(ge=0, le=100)]
    max: Annotated[int, Field(ge=1, le=100)]
    #: Render: the CPU use it scales towards (70 when no target is given).
    target_cpu_percent: Percent | None = None
    #: Render: the memory use it scales towards.
    target_memory_percent: Percent | None = None


@dataclass(frozen=True, kw_only=True)
class SupabaseAuth:
    """Supabase Auth settings the guides set by hand."""

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    email_password: bool = True
    jwt_expiry_seconds: Annotated[int, Field(ge=30, le=604800)] = 3600
    password_min_length: Annotated[int, Field(ge=6, le=72)] = 6
    #: The site URL used in emails.
    site_url: str | None = None
    #: Further allowed redirect URLs.
    redirect_urls: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Generate:
    """A secret drawn once and kept in state: ``openssl rand -hex 32`` is ``Generate()``; bump
    ``version`` to rotate it."""

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    #: Bytes of randomness (32 hex-encoded are 64 characters).
    bytes: Annotated[int, Field(ge=16, le=128)] = 32
    #: ``hex``, ``base64`` (padded) or ``urlsafe`` (unpadded URL-safe base64).
    encoding: Literal["hex", "base64", "urlsafe"] = "hex"
    version: Annotated[int, Field(ge=1)] = 1
