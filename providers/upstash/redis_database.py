"""An Upstash Redis database: one global database with a primary region and optional read regions.

The rule that matters here: the password, REST tokens and the ready-made URL are secrets, and
they are read back from the API on every refresh, so a password reset done in the console shows
up as drift instead of leaving a stale connection string in the stack.

The owner marker is the one place Upstash keeps for us, the name: the database is called
``<name>-ps-<tag>`` (the owner's tag, ``_ownership.Marker``) from its ``POST`` on, so even a lost
answer finds it marked; ``name`` in the outputs is the declared one, without the suffix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, final

import pulumi
from pulumi import dynamic
from pydantic import Field, field_validator, model_validator

from paas_stacks.providers._ownership import Marker, Ownership
from paas_stacks.providers._resource import Inputs, Live, VendorProvider, VendorResource
from paas_stacks.providers.upstash.client import UpstashClient
from paas_stacks.vendors.upstash import GCP_REGIONS, AwsRegion, Plan, Region

__all__ = ["RedisDatabase", "RedisDatabaseInputs", "RedisDatabaseProvider"]

OUTPUTS = (
    "database_id",
    "endpoint",
    "port",
    "password",
    "rest_token",
    "read_only_rest_token",
    "redis_url",
    "rest_url",
)
SECRET_OUTPUTS = ("password", "rest_token", "read_only_rest_token", "redis_url")


class RedisDatabaseInputs(Inputs):
    #: At most 84: the vendor name carries ``-ps-<tag>`` (16 more) as the owner marker.
    name: str = Field(min_length=1, max_length=84)
    primary_region: Region
    read_regions: list[AwsRegion] = Field(default_factory=list)
    tls: bool = True
    eviction: bool = False
    #: Monthly budget in USD for pay-as-you-go; ``None`` leaves the vendor's value alone.
    budget: int | None = Field(default=None, ge=0)
    #: ``None`` leaves the plan the account default chose.
    plan: Plan | None = None

    @field_validator("read_regions")
    @classmethod
    def _unique(cls, regions: list[str]) -> list[str]:
        if len(set(regions)) != len(regions):
            raise ValueError(f"read regions must be unique, got {regions}")
        return sorted(regions)

    @model_validator(mode="after")
    def _regions_fit(self) -> RedisDatabaseInputs:
        if self.primary_region in self.read_regions:
            raise ValueError(
                f"the primary region {self.primary_region} cannot also be a read region"
            )
        if self.read_regions and self.primary_region in GCP_REGIONS:
            raise ValueError("read regions are only available with an AWS primary region")
        return self


@final
class RedisDatabaseProvider(VendorProvider[RedisDatabaseInputs, UpstashClient]):
    kind: ClassVar[str] = "Upstash RedisDatabase"
    inputs_type = RedisDatabaseInputs
    optional: ClassVar[tuple[str, ...]] = ("budget", "plan")
    replace_on: ClassVar[tuple[str, ...]] = ("primary_region",)
    ownership: ClassVar[Ownership] = Ownership.MARKED
    secret_inputs: ClassVar[tuple[str, ...]] = SECRET_OUTPUTS

    def connect(self, config: dynamic.Config | None) -> UpstashClient:
        return UpstashClient.from_config(config)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.DiffResult:
        result = super().diff(id_, olds, news)
        # TLS can be switched on in place but Upstash has no call to switch it off.
        if olds.get("tls") is True and news.get("tls") is False:
            result.replaces = [*(result.replaces or []), "tls"]
            result.delete_before_replace = True
        return result

    def find(self, inputs: RedisDatabaseInputs) -> Live | None:
        """The database of that declared name: ours first, else another's (``admit`` refuses)."""
        ours = Marker.parse(inputs.owner)
        same = [
            database
            for database in self.client.list_databases()
            if Marker.split_name(str(database.get("database_name")))[0] == inputs.name
        ]
        same.sort(key=lambda database: self.owners(database) != ([ours] if ours else []))
        if not same:
            return None
        return self.client.get_database(str(same[0]["database_id"])) or same[0]

    def create_new(self, inputs: RedisDatabaseInputs) -> Live:
        platform = "gcp" if inputs.primary_region in GCP_REGIONS else "aws"
        body: dict[str, Any] = {
            "database_name": _vendor_name(inputs),
            "platform": platform,
            "primary_region": inputs.primary_region,
            "read_regions": inputs.read_regions,
            "tls": inputs.tls,
            "eviction": inputs.eviction,
        }
        if inputs.plan is not None:
            body["plan"] = inputs.plan
        if inputs.budget is not None:
            body["budget"] = inputs.budget
        return self.client.create_database(body)

    def fetch(self, id_: str, previous: Mapping[str, Any]) -> Live | None:
        return self.client.get_database(id_)

    def change(
        self,
        id_: str,
        inputs: RedisDatabaseInputs,
        changed: Sequence[str],
        previous: Mapping[str, Any],
    ) -> Live:
        client = self.client
        if "name" in changed:
            client.rename(id_, _vendor_name(inputs))
        if "read_regions" in changed:
            client.set_read_regions(id_, inputs.read_regions)
        if "tls" in changed and inputs.tls:
            client.enable_tls(id_)
        if "eviction" in changed:
            client.set_eviction(id_, inputs.eviction)
        if "budget" in changed and inputs.budget is not None:
            client.set_budget(id_, inputs.budget)
        if "plan" in changed and inputs.plan is not None:
            client.change_plan(id_, inputs.plan)
        live = client.get_database(id_)
        if live is None:
            raise LookupError(f"Upstash database {id_} vanished while it was being updated")
        return live

    def remove(self, id_: str, previous: Mapping[str, Any]) -> None:
        self.client.delete_database(id_)

    def identify(self, live: Live) -> str:
        return str(live["database_id"])

    def observe(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        tls = bool(live.get("tls"))
        scheme = self.client.redis_scheme or ("rediss" if tls else "redis")
        password = str(live.get("password", ""))
        endpoint, port = str(live["endpoint"]), int(live["port"])
        return {
            "database_id": str(live["database_id"]),
            "name": Marker.split_name(str(live.get("database_name")))[0],
            "primary_region": live.get("primary_region"),
            "read_regions": sorted(live.get("read_regions") or []),
            "tls": tls,
            "eviction": bool(live.get("eviction")),
            "budget": live.get("budget"),
            "plan": _plan(str(live.get("type", "")), written.get("plan")),
            "endpoint": endpoint,
            "port": port,
            "password": password,
            "rest_token": live.get("rest_token"),
            "read_only_rest_token": live.get("read_only_rest_token"),
            "redis_url": f"{scheme}://default:{password}@{endpoint}:{port}",
            "rest_url": f"https://{endpoint}",
        }

    # -- ownership: the name suffix ------------------------------------------------------------
    def owners(self, live: Live) -> list[Marker]:
        marker = Marker.split_name(str(live.get("database_name")))[1]
        return [] if marker is None else [marker]

    def owners_at(self, id_: str, previous: Mapping[str, Any]) -> list[Marker] | None:
        live = self.client.get_database(id_)
        return None if live is None else self.owners(live)

    def claim(self, id_: str, live: Live | None, ours: Marker, others: list[Marker]) -> None:
        current = live or self.client.get_database(id_) or {}
        declared = Marker.split_name(str(current.get("database_name")))[0]
        self.client.rename(id_, ours.suffixed(declared))


def _vendor_name(inputs: RedisDatabaseInputs) -> str:
    """The declared name with the owner's suffix (no owner: a provider driven directly)."""
    ours = Marker.parse(inputs.owner)
    return inputs.name if ours is None else ours.suffixed(inputs.name)


def _plan(kind: str, written: Any) -> str:
    """The API reports only free/payg/paid; a fixed plan's size is what we last set."""
    if kind == "paid":
        return str(written) if str(written).startswith("fixed_") else "paid"
    return kind


@final
class RedisDatabase(VendorResource, module="upstash", name="RedisDatabase"):
    """A global Upstash Redis database.

    Replaced, not updated: ``primary_region`` (the API moves read regions only:
    ``POST /redis/update-regions`` takes ``read_regions``; no call moves the primary) and ``tls``
    from true to false (there is ``POST /redis/enable-tls`` and no disable, spec S1). Everything
    else changes in place: name (``/redis/rename``), read regions, TLS on, eviction, budget, plan.
    """

    database_id: pulumi.Output[str]
    name: pulumi.Output[str]
    primary_region: pulumi.Output[str]
    read_regions: pulumi.Output[list[str]]
    tls: pulumi.Output[bool]
    eviction: pulumi.Output[bool]
    budget: pulumi.Output[int]
    plan: pulumi.Output[str]
    endpoint: pulumi.Output[str]
    port: pulumi.Output[int]
    password: pulumi.Output[str]
    rest_token: pulumi.Output[str]
    read_only_rest_token: pulumi.Output[str]
    redis_url: pulumi.Output[str]
    rest_url: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        primary_region: pulumi.Input[str],
        read_regions: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        tls: pulumi.Input[bool] | None = None,
        eviction: pulumi.Input[bool] | None = None,
        budget: pulumi.Input[int] | None = None,
        plan: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = {
            "name": name,
            "primary_region": primary_region,
            "read_regions": read_regions,
            "tls": tls,
            "eviction": eviction,
            "budget": budget,
            "plan": plan,
            "adopt_id": adopt_id,
        }
        super().__init__(
            RedisDatabaseProvider(),
            resource_name,
            inputs,
            outputs=OUTPUTS,
            secret_outputs=SECRET_OUTPUTS,
            opts=opts,
        )
