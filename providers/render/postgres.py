"""Render Postgres: a managed database whose connection strings and password are secret outputs.

The rule that matters here: the connection info is read from ``GET /postgres/{id}/connection-info``
on every create, update and refresh (never built by hand), so a password Render rotated is
picked up by ``refresh`` and the strings exported by a stack really connect.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal

import pulumi
from pydantic import Field

from paas_stacks.providers._resource import Inputs, Live, VendorResource
from paas_stacks.providers.render.base import RenderProvider
from paas_stacks.providers.render.client import wait_until

__all__ = ["Postgres", "PostgresProvider", "database_ready"]

Region = Literal["frankfurt", "oregon", "ohio", "singapore", "virginia"]
Version = Literal["11", "12", "13", "14", "15", "16", "17", "18"]
IDENTIFIER = r"^[a-z_][a-z0-9_]{0,62}$"
READY = frozenset({"available"})
BROKEN = frozenset({"recovery_failed", "suspended"})
SECRET_OUTPUTS = (
    "internal_connection_string", "external_connection_string", "password", "psql_command",
)  # fmt: skip
OUTPUTS = ("dashboard_url", "actual_database_name", *SECRET_OUTPUTS)


def requested_database_name(actual: str, requested: str | None) -> str:
    """The database name as configured when Render's answer is that name plus its suffix.

    Render appends a random ``_xxxx`` (4 lowercase letters/digits) to every database name, also an
    explicit one (``db_name`` -> ``db_name_ehyv``, recorded in Render's own provider cassettes), so
    the configured name is compared with the answer minus that suffix; any other answer is
    reported as it is (and then differs, which is a real change).
    """
    if requested and re.fullmatch(re.escape(requested) + r"(_[a-z0-9]{4})?", actual):
        return requested
    return actual


class PostgresInputs(Inputs):
    name: str = Field(min_length=1)
    #: Render's plan names (legacy ``starter``... and flexible ``basic_256mb``, ``pro_4gb``...).
    plan: str = Field(default="basic_256mb", pattern=r"^[a-z0-9_]+$")
    region: Region = "oregon"
    version: Version = "16"
    database_name: str | None = Field(default=None, pattern=IDENTIFIER)
    database_user: str | None = Field(default=None, pattern=IDENTIFIER)
    disk_size_gb: int | None = Field(default=None, ge=1)


def database_ready(provider: RenderProvider[Any], path: str, what: str, status: str | None) -> None:
    """Wait for a Postgres or Key Value instance to be ``available`` (shared by both kinds)."""
    if status in READY:
        return

    def poll() -> str:
        return str(provider.client.json("GET", path)["status"])

    wait_until(provider.client, what, poll, done=READY, failed=BROKEN, say=provider.progress)


class PostgresProvider(RenderProvider[PostgresInputs]):
    kind: ClassVar[str] = "Render Postgres"
    inputs_type: ClassVar[type[PostgresInputs]] = PostgresInputs
    compared: ClassVar[tuple[str, ...]] = (
        "name", "plan", "region", "version", "database_name", "database_user", "disk_size_gb",
    )  # fmt: skip
    #: Render picks these when they are not declared.
    optional: ClassVar[tuple[str, ...]] = ("database_name", "database_user", "disk_size_gb")
    replace_on: ClassVar[tuple[str, ...]] = ("region", "version", "database_name", "database_user")

    def identify(self, live: Live) -> str:
        return str(live["postgres"]["id"])

    def find(self, inputs: PostgresInputs) -> Live | None:
        found = self.client.named("/postgres", inputs.name, "postgres")
        return None if found is None else self._with_connection({"postgres": found})

    def create_new(self, inputs: PostgresInputs) -> Live:
        body: dict[str, Any] = {
            "name": inputs.name, "plan": inputs.plan, "region": inputs.region,
            "version": inputs.version, "ownerId": self.client.owner_id(),
        }  # fmt: skip
        optional = {"databaseName": inputs.database_name, "databaseUser": inputs.database_user,
                    "diskSizeGB": inputs.disk_size_gb}  # fmt: skip
        body.update({k: v for k, v in optional.items() if v is not None})
        return {"postgres": self.client.json("POST", "/postgres", json=body)}

    def fetch(self, id_: str, previous: Mapping[str, Any]) -> Live | None:
        found = self.client.get_or_none(f"/postgres/{id_}")
        return None if found is None else self._with_connection({"postgres": found})

    def change(
        self, id_: str, inputs: PostgresInputs, changed: Sequence[str], previous: Mapping[str, Any]
    ) -> Live:
        fields = {"name": "name", "plan": "plan", "disk_size_gb": "diskSizeGB"}
        body = {fields[k]: getattr(inputs, k) for k in changed if k in fields}
        if not body:
            return self._with_connection({"postgres": self.client.json("GET", f"/postgres/{id_}")})
        return {"postgres": self.client.json("PATCH", f"/postgres/{id_}", json=body)}

    def remove(self, id_: str, previous: Mapping[str, Any]) -> None:
        self.client.delete(f"/postgres/{id_}")

    def settle(self, live: Live, inputs: PostgresInputs) -> Live:
        pg_id = self.identify(live)
        what = f"{self.kind} '{inputs.name}' ({pg_id})"
        database_ready(self, f"/postgres/{pg_id}", what, live["postgres"].get("status"))
        return self._with_connection(live)

    def observe(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        pg, info = live["postgres"], live["connection"]
        return {
            "name": pg["name"],
            "plan": pg["plan"],
            "region": pg["region"],
            "version": str(pg["version"]),
            "database_name": requested_database_name(
                pg["databaseName"], written.get("database_name")
            ),
            "actual_database_name": pg["databaseName"],
            "database_user": pg["databaseUser"],
            "disk_size_gb": pg.get("diskSizeGB"),
            "dashboard_url": pg.get("dashboardUrl"),
            "internal_connection_string": info["internalConnectionString"],
            "external_connection_string": info["externalConnectionString"],
            "password": info["password"],
            "psql_command": info.get("psqlCommand"),
        }

    def _with_connection(self, live: Live) -> Live:
        if "connection" in live:
            return live
        info = self.client.json("GET", f"/postgres/{self.identify(live)}/connection-info")
        return {**live, "connection": info}


class Postgres(VendorResource, module="render", name="Postgres"):
    """A Render Postgres instance.

    Replaced (delete first) when these change, because ``postgresPATCHInput``
    (render-openapi.json ``PATCH /postgres/{postgresId}``) accepts only ``name``, ``plan``,
    ``diskSizeGB`` and settings we do not manage:

    - ``region`` and ``version`` (a major upgrade is not a PATCH),
    - ``database_name`` and ``database_user`` (fixed at ``POST /postgres``). Render appends a
      random ``_xxxx`` to every database name, so ``database_name`` is compared without it and
      the suffix never causes a replacement; ``actual_database_name`` is the real name.

    ``internal_connection_string``, ``external_connection_string``, ``password`` and
    ``psql_command`` are secret outputs. Create and changes wait for status ``available``.
    """

    name: pulumi.Output[str]
    plan: pulumi.Output[str]
    region: pulumi.Output[str]
    version: pulumi.Output[str]
    database_name: pulumi.Output[str]
    database_user: pulumi.Output[str]
    actual_database_name: pulumi.Output[str]
    disk_size_gb: pulumi.Output[int | None]
    dashboard_url: pulumi.Output[str]
    internal_connection_string: pulumi.Output[str]
    external_connection_string: pulumi.Output[str]
    password: pulumi.Output[str]
    psql_command: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        plan: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        version: pulumi.Input[str] | None = None,
        database_name: pulumi.Input[str] | None = None,
        database_user: pulumi.Input[str] | None = None,
        disk_size_gb: pulumi.Input[int] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = {
            "name": name, "plan": plan, "region": region, "version": version,
            "database_name": database_name, "database_user": database_user,
            "disk_size_gb": disk_size_gb, "adopt_id": adopt_id,
        }  # fmt: skip
        super().__init__(
            PostgresProvider(),
            resource_name,
            inputs,
            outputs=OUTPUTS,
            secret_outputs=SECRET_OUTPUTS,
            opts=opts,
        )
