"""Request bodies of the Postgres, Key Value, env group and custom domain endpoints.

Mirrors ``postgresPOSTInput``/``postgresPATCHInput``, ``keyValuePOSTInput``/``keyValuePATCHInput``,
``envGroupPOSTInput``/``envGroupPATCHInput`` and the custom-domain body of the spec.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from sandbox.render.models import (
    BlankIsAbsent,
    Cidr,
    EnvVarIn,
    Region,
    SecretFileIn,
    Strict,
    empty_if_null,
)

PostgresPlan = Literal[
    "starter",
    "starter_plus",
    "standard",
    "standard_plus",
    "pro",
    "pro_plus",
    "pro_max",
    "pro_ultra",
    "free",
    "custom",
    # The flexible plans: not in the spec's ``plan`` enum that ``postgresPOSTInput`` references,
    # but in ``postgres.plan`` and documented by Render as what new databases use.
    "basic_256mb",
    "basic_1gb",
    "basic_4gb",
    "pro_4gb",
    "pro_8gb",
    "pro_16gb",
    "pro_32gb",
    "pro_64gb",
    "pro_128gb",
    "pro_192gb",
    "pro_256gb",
    "pro_384gb",
    "pro_512gb",
    "accelerated_16gb",
    "accelerated_32gb",
    "accelerated_64gb",
    "accelerated_128gb",
    "accelerated_256gb",
    "accelerated_384gb",
    "accelerated_512gb",
    "accelerated_768gb",
    "accelerated_1024gb",
]
PostgresVersion = Literal["11", "12", "13", "14", "15", "16", "17", "18"]
KeyValuePlan = Literal["free", "starter", "standard", "pro", "pro_plus", "custom"]
MaxmemoryPolicy = Literal[
    "noeviction",
    "allkeys_lfu",
    "allkeys_lru",
    "allkeys_random",
    "volatile_lfu",
    "volatile_lru",
    "volatile_random",
    "volatile_ttl",
]
PersistenceMode = Literal["off", "snapshot", "journal_snapshot"]
IDENTIFIER = r"^[a-z_][a-z0-9_]{0,62}$"
#: ``""`` is what Render's Terraform provider sends for "let Render pick" (the answer is 201 with
#: generated names), so it counts as absent.
Identifier = Annotated[Annotated[str, Field(pattern=IDENTIFIER)] | None, BlankIsAbsent]


class ReplicaIn(Strict):
    name: str
    parameterOverrides: dict[str, str] | None = None


class PostgresPost(Strict):
    name: str = Field(min_length=1)
    plan: PostgresPlan
    ownerId: str
    version: PostgresVersion
    region: Region = "oregon"
    # Render documents these as "randomly generated" when absent; lowercase identifiers here.
    databaseName: Identifier = None
    databaseUser: Identifier = None
    diskSizeGB: int | None = Field(default=None, ge=1)
    enableDiskAutoscaling: bool = False
    enableHighAvailability: bool = False
    environmentId: str | None = None
    ipAllowList: list[Cidr] | None = None
    parameterOverrides: dict[str, str] | None = None
    readReplicas: list[ReplicaIn] | None = None
    datadogAPIKey: str | None = None
    datadogSite: str | None = None


class PostgresPatch(Strict):
    name: str | None = Field(default=None, min_length=1)
    plan: PostgresPlan | None = None
    diskSizeGB: int | None = Field(default=None, ge=1)
    enableDiskAutoscaling: bool | None = None
    enableHighAvailability: bool | None = None
    ipAllowList: list[Cidr] | None = None
    parameterOverrides: dict[str, str] | None = None
    readReplicas: list[ReplicaIn] | None = None
    datadogAPIKey: str | None = None
    datadogSite: str | None = None


class KeyValuePost(Strict):
    name: str = Field(min_length=1)
    ownerId: str
    plan: KeyValuePlan
    region: Region = "oregon"
    environmentId: str | None = None
    maxmemoryPolicy: MaxmemoryPolicy | None = None
    persistenceMode: PersistenceMode | None = None
    ipAllowList: list[Cidr] | None = None


class KeyValuePatch(Strict):
    name: str | None = Field(default=None, min_length=1)
    plan: KeyValuePlan | None = None
    maxmemoryPolicy: MaxmemoryPolicy | None = None
    persistenceMode: PersistenceMode | None = None
    ipAllowList: list[Cidr] | None = None


class EnvGroupPost(Strict):
    name: str = Field(min_length=1)
    ownerId: str
    envVars: Annotated[list[EnvVarIn], BeforeValidator(empty_if_null)]
    secretFiles: Annotated[list[SecretFileIn], BeforeValidator(empty_if_null)] = Field(
        default_factory=list
    )
    serviceIds: Annotated[list[str], BeforeValidator(empty_if_null)] = Field(default_factory=list)
    environmentId: str | None = None


class EnvGroupPatch(Strict):
    name: str = Field(min_length=1)


class SecretFileContent(Strict):
    content: str = ""


class CustomDomainPost(Strict):
    name: str = Field(min_length=3, pattern=r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
