"""A project's pooler (Supavisor) and Postgres settings: two endpoints behind one resource.

The rule that matters here: only the declared settings are owned. Pooler keys go through
``PATCH .../config/database/pooler``; Postgres keys through ``PUT .../config/database/postgres``,
which replaces the stored overrides, so the current ones are read first and ours merged in.
Deleting the resource drops our Postgres overrides (the platform defaults return); the pooler has
no "unset" and keeps its last values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal, final

import pulumi
from pydantic import Field

from paas_stacks.providers._resource import Inputs, Live, VendorResource
from paas_stacks.providers.supabase.common import ProjectChildInputs, ProjectChildProvider, declared

POOLER_KEYS = ("pool_mode", "default_pool_size")
POSTGRES_KEYS = ("max_connections", "statement_timeout")
DURATION = r"^(-?[0-9]+(?:\.[0-9]+)?)(us|ms|s|min|h|d)?$"


class DatabaseConfigInputs(ProjectChildInputs):
    pool_mode: Literal["transaction", "session"] | None = None
    default_pool_size: int | None = Field(default=None, ge=0, le=3000)
    max_connections: int | None = Field(default=None, ge=1, le=262143)
    #: A Postgres duration such as ``30s`` or ``500ms`` (default unit ms).
    statement_timeout: str | None = Field(default=None, pattern=DURATION)


@final
class DatabaseConfigProvider(ProjectChildProvider):
    kind: ClassVar[str] = "Supabase database config"
    inputs_type: ClassVar[type[Inputs]] = DatabaseConfigInputs
    suffix: ClassVar[str] = "config/database"

    def create_new(self, inputs: DatabaseConfigInputs) -> Live:
        return self._write(inputs, list(self.compared))

    def fetch(self, id_: str, previous: Mapping[str, Any]) -> Live | None:
        ref = self.ref_of(id_)
        pooler = self.gone_if_missing(lambda: self.client.pooler(ref))
        if pooler is None:
            return None
        return self._live(ref, pooler, self.client.postgres_config(ref))

    def change(
        self,
        id_: str,
        inputs: DatabaseConfigInputs,
        changed: Sequence[str],
        previous: Mapping[str, Any],
    ) -> Live:
        return self._write(inputs, changed)

    def remove(self, id_: str, previous: Mapping[str, Any]) -> None:
        ref = self.ref_of(id_)
        ours = declared(previous, POSTGRES_KEYS)
        if not ours:
            return
        current = self.gone_if_missing(lambda: self.client.postgres_config(ref))
        if current is None:
            return
        kept = {key: value for key, value in current.items() if key not in ours}
        self.client.put_postgres_config(ref, kept)

    def observe(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        outputs: dict[str, Any] = {"project_ref": live["project_ref"]}
        for key in (*POOLER_KEYS, *POSTGRES_KEYS):
            source = live["pooler"] if key in POOLER_KEYS else live["postgres"]
            outputs[key] = source.get(key) if written.get(key) is not None else None
        return outputs

    def _write(self, inputs: DatabaseConfigInputs, changed: Sequence[str]) -> Live:
        ref = inputs.project_ref
        wanted = inputs.model_dump()
        pooler = {k: v for k, v in declared(wanted, POOLER_KEYS).items() if k in changed}
        if pooler:
            self.client.update_pooler(ref, pooler)
        postgres = {k: v for k, v in declared(wanted, POSTGRES_KEYS).items() if k in changed}
        if postgres:
            merged = {**self.client.postgres_config(ref), **postgres}
            self.client.put_postgres_config(ref, merged)
        return self._live(ref, self.client.pooler(ref), self.client.postgres_config(ref))

    def _live(self, ref: str, pooler: list[dict[str, Any]], postgres: dict[str, Any]) -> Live:
        primary = next((p for p in pooler if p.get("database_type") == "PRIMARY"), None)
        chosen = primary or (pooler[0] if pooler else {})
        return {
            "id": self.child_id(ref),
            "project_ref": ref,
            "pooler": chosen,
            "postgres": postgres,
        }


@final
class DatabaseConfig(VendorResource, module="supabase", name="DatabaseConfig"):
    """Pooler mode and size, max connections and statement timeout of a project's database.

    Replaced when changed: ``project_ref``. The rest change in place (PATCH
    .../config/database/pooler, PUT .../config/database/postgres).
    """

    project_ref: pulumi.Output[str]
    pool_mode: pulumi.Output[str | None]
    default_pool_size: pulumi.Output[int | None]
    max_connections: pulumi.Output[int | None]
    statement_timeout: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        *,
        project_ref: pulumi.Input[str],
        pool_mode: pulumi.Input[str] | None = None,
        default_pool_size: pulumi.Input[int] | None = None,
        max_connections: pulumi.Input[int] | None = None,
        statement_timeout: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = {
            "project_ref": project_ref,
            "pool_mode": pool_mode,
            "default_pool_size": default_pool_size,
            "max_connections": max_connections,
            "statement_timeout": statement_timeout,
        }
        super().__init__(DatabaseConfigProvider(), resource_name, inputs, outputs=(), opts=opts)
