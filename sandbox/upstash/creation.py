"""Which create bodies are valid: the three documented forms, and the deprecated regional one.

* spec (2026): ``{database_name, platform, primary_region, read_regions?, plan?, budget?, ...}``
* Terraform provider: ``{database_name, region: "global", primary_region, read_regions?, tls, ...}``
* old docs / MCP server: ``{name, region: "global", primary_region, read_regions?, tls}``

``platform`` is optional (only the spec sends it) and, when given, must match the primary region.
Any ``region`` other than ``"global"`` is the deprecated regional form and gets the 400 users
report from the live service. ``consistent: true`` is refused: new databases are eventually
consistent (Terraform provider's wording).
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.upstash.errors import UpstashError
from sandbox.upstash.models import GCP_REGIONS, CreateDatabaseBody

#: UNCONFIRMED: budget reported when none is given (the spec's example value).
DEFAULT_BUDGET = 360


@dataclass(frozen=True)
class NewDatabase:
    """A create request reduced to what the sandbox records."""

    name: str
    primary_region: str
    read_regions: list[str]
    plan: str
    budget: int
    eviction: bool
    tls: bool
    auto_upgrade: bool
    prod_pack_enabled: bool


def _bad(message: str) -> UpstashError:
    return UpstashError(400, message)


def _name(body: CreateDatabaseBody) -> str:
    name = body.database_name if body.database_name is not None else body.name
    if name is None:
        raise _bad("invalid request: database_name: Field required")
    if not name.strip():
        raise _bad("invalid request: database_name: must not be empty")
    return name


def _primary(body: CreateDatabaseBody) -> str:
    if body.region is not None and body.region != "global":
        raise _bad("regional db creation is deprecated")
    if body.primary_region is None:
        raise _bad("invalid request: primary_region: Field required")
    platform = "gcp" if body.primary_region in GCP_REGIONS else "aws"
    if body.platform is not None and body.platform != platform:
        raise _bad(f"primary region {body.primary_region} is not available on {body.platform}")
    return body.primary_region


def check_read_regions(primary: str, read_regions: list[str]) -> None:
    if primary in read_regions:
        raise _bad("primary region cannot be a read region")
    if read_regions and primary in GCP_REGIONS:
        # The spec's read-region enum is AWS-only: GCP databases cannot have AWS replicas.
        raise _bad("read regions are not supported on gcp")
    if len(set(read_regions)) != len(read_regions):
        raise _bad("read regions must be unique")


def normalise(body: CreateDatabaseBody) -> NewDatabase:
    """Validate the combination of fields; raises ``UpstashError(400)`` when invalid."""
    name, primary = _name(body), _primary(body)
    read_regions: list[str] = list(body.read_regions or [])
    check_read_regions(primary, read_regions)
    if body.consistent:
        raise _bad("All the newly created DBs will be eventually consistent")
    if body.budget is not None and body.budget < 0:
        raise _bad("invalid request: budget: must not be negative")
    return NewDatabase(
        name=name,
        primary_region=primary,
        read_regions=read_regions,
        plan=body.plan or "payg",
        budget=DEFAULT_BUDGET if body.budget is None else body.budget,
        eviction=bool(body.eviction),
        # The old docs: "TLS is always enabled for new databases"; the flag can still say no.
        tls=True if body.tls is None else body.tls,
        auto_upgrade=bool(body.auto_upgrade),
        prod_pack_enabled=bool(body.prod_pack_enabled),
    )
