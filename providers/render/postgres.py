"""Render Postgres: a managed database whose connection strings and password are secret outputs.

The rule that matters here: Render's PATCH changes only the name, plan and disk size, so the
region, version, database name and user replace the database (each documented on ``Postgres``);
the lifecycle and the connection info are the datastore's (``datastore.py``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, final

import pulumi
from pydantic import Field

from paas_stacks.providers._ownership import Ownership
from paas_stacks.providers._resource import Live, VendorResource
from paas_stacks.providers.render.datastore import (
    DatastoreInputs,
    RenderDatastoreProvider,
    allow_list_body,
    observe_allow_list,
)
from paas_stacks.vendors.render import (
    DEFAULT_POSTGRES_PLAN,
    DEFAULT_POSTGRES_VERSION,
    DEFAULT_REGION,
    PostgresPlan,
    PostgresVersion,
    Region,
)

__all__ = ["Postgres", "PostgresProvider"]

IDENTIFIER = r"^[a-z_][a-z0-9_]{0,62}$"
SECRET_OUTPUTS = (
    "internal_connection_string",
    "external_connection_string",
    "password",
    "psql_command",
)
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


class PostgresInputs(DatastoreInputs):
    #: Render's plan names (flexible ``basic_256mb``, ``pro_4gb``... and legacy ``starter``...).
    plan: PostgresPlan = DEFAULT_POSTGRES_PLAN
    region: Region = DEFAULT_REGION
    version: PostgresVersion = DEFAULT_POSTGRES_VERSION
    database_name: str | None = Field(default=None, pattern=IDENTIFIER)
    database_user: str | None = Field(default=None, pattern=IDENTIFIER)
    disk_size_gb: int | None = Field(default=None, ge=1)


@final
class PostgresProvider(RenderDatastoreProvider[PostgresInputs]):
    kind: ClassVar[str] = "Render Postgres"
    inputs_type: ClassVar[type[PostgresInputs]] = PostgresInputs
    # No field of a Render datastore can carry a marker (render/ownership.py): adopt_id only.
    ownership: ClassVar[Ownership] = Ownership.UNMARKABLE
    secret_inputs: ClassVar[tuple[str, ...]] = SECRET_OUTPUTS
    #: Render picks these when they are not declared.
    optional: ClassVar[tuple[str, ...]] = (
        "database_name",
        "database_user",
        "disk_size_gb",
        "ip_allow_list",
    )
    replace_on: ClassVar[tuple[str, ...]] = ("region", "version", "database_name", "database_user")
    path: ClassVar[str] = "/postgres"
    wrapper: ClassVar[str] = "postgres"
    patchable: ClassVar[Mapping[str, str]] = {
        "name": "name",
        "plan": "plan",
        "disk_size_gb": "diskSizeGB",
        "ip_allow_list": "ipAllowList",
    }

    def _differs(self, key: str, desired: Any, observed: Any) -> bool:
        # A state that holds the suffixed name (written before the suffix was known, or read by
        # ``pulumi import``) is the same database, not one to replace.
        if key == "database_name" and isinstance(desired, str) and isinstance(observed, str):
            return requested_database_name(observed, desired) != desired
        return super()._differs(key, desired, observed)

    def create_body(self, inputs: PostgresInputs) -> dict[str, Any]:
        body: dict[str, Any] = {
            "name": inputs.name,
            "plan": inputs.plan,
            "region": inputs.region,
            "version": inputs.version,
        }
        optional = {
            "databaseName": inputs.database_name,
            "databaseUser": inputs.database_user,
            "diskSizeGB": inputs.disk_size_gb,
            "ipAllowList": allow_list_body(inputs.ip_allow_list),
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        return body

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
            "ip_allow_list": observe_allow_list(pg),
            "dashboard_url": pg.get("dashboardUrl"),
            "internal_connection_string": info["internalConnectionString"],
            "external_connection_string": info["externalConnectionString"],
            "password": info["password"],
            "psql_command": info.get("psqlCommand"),
        }


@final
class Postgres(VendorResource, module="render", name="Postgres"):
    """A Render Postgres instance.

    Replaced (delete first) when these change, because ``postgresPATCHInput``
    (render-openapi.json ``PATCH /postgres/{postgresId}``) accepts only ``name``, ``plan``,
    ``diskSizeGB`` and settings we do not manage:

    - ``region`` and ``version`` (a major upgrade is not a PATCH),
    - ``database_name`` and ``database_user`` (fixed at ``POST /postgres``). Render appends a
      random ``_xxxx`` to every database name, so ``database_name`` is compared without it and
      the suffix never causes a replacement; ``actual_database_name`` is the real name.

    ``ip_allow_list`` (``[{cidr_block, description}]``; ``[]`` blocks every external
    connection; unset leaves Render's list alone) is changed in place.

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
    ip_allow_list: pulumi.Output[list[dict[str, str]]]
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
        ip_allow_list: pulumi.Input[Sequence[Mapping[str, str]]] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = {
            "name": name,
            "plan": plan,
            "region": region,
            "version": version,
            "database_name": database_name,
            "database_user": database_user,
            "disk_size_gb": disk_size_gb,
            "ip_allow_list": ip_allow_list,
            "adopt_id": adopt_id,
        }
        super().__init__(
            PostgresProvider(),
            resource_name,
            inputs,
            outputs=OUTPUTS,
            secret_outputs=SECRET_OUTPUTS,
            opts=opts,
        )
