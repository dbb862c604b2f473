"""Render's words: compute plans, regions, runtimes, service types, Postgres and Key Value.

The rule that matters here: the API creates paid instance types only (``servicePOST`` takes a
``paidPlan``), so ``free`` is a word users write (render.yaml has it) that a stack refuses with
the paid plans as the way out; every default here is the one Render itself applies.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import Field

from paas_stacks.vendors.places import DEFAULT_PLACE, region_of

__all__ = [
    "API_SERVICE_TYPES",
    "AUTOSCALING_WORKSPACES",
    "CONTAINER_RUNTIMES",
    "CRON_PAGE",
    "DEFAULT_KEY_VALUE_PLAN",
    "DEFAULT_PLAN",
    "DEFAULT_POSTGRES_PLAN",
    "DEFAULT_POSTGRES_VERSION",
    "DEFAULT_REGION",
    "DEFAULT_WORKSPACE_PLAN",
    "DISK_PAGE",
    "FREE_PAGE",
    "KEY_VALUE_PLANS",
    "NATIVE_RUNTIMES",
    "PAID_PLANS",
    "PLANS",
    "POSTGRES_PLANS",
    "PRIVATE_PORT",
    "REGIONS",
    "RUNTIMES",
    "STORAGE_INCLUDED_PLANS",
    "WORKSPACE_PAGE",
    "WORKSPACE_PLANS",
    "CronSchedule",
    "KeyValuePlan",
    "MaxmemoryPolicy",
    "PaidPlan",
    "Plan",
    "PostgresPlan",
    "PostgresVersion",
    "Region",
    "Runtime",
    "ServiceType",
    "WorkspacePlan",
]

#: Where Render says what its free instances cannot do (spin down, one instance, no pre-deploy).
FREE_PAGE = "render.com/docs/free"

#: Compute instance types (render.com/pricing). ``free`` exists for web services only, and only
#: from the dashboard or a Blueprint.
Plan = Literal["free", "starter", "standard", "pro", "pro_plus", "pro_max", "pro_ultra"]
#: What ``POST /services`` accepts (spec ``paidPlan``).
PaidPlan = Literal["starter", "standard", "pro", "pro_plus", "pro_max", "pro_ultra"]
PLANS: tuple[Plan, ...] = get_args(Plan)
PAID_PLANS: tuple[PaidPlan, ...] = get_args(PaidPlan)
DEFAULT_PLAN: PaidPlan = "starter"

Region = Literal["frankfurt", "oregon", "ohio", "singapore", "virginia"]
REGIONS: tuple[Region, ...] = get_args(Region)
DEFAULT_REGION: Region = "oregon"
assert region_of("render", DEFAULT_PLACE) == DEFAULT_REGION  # noqa: S101

Runtime = Literal["node", "python", "go", "ruby", "rust", "elixir", "docker", "image"]
RUNTIMES: tuple[Runtime, ...] = get_args(Runtime)
#: Runtimes Render builds with ``buildCommand`` and runs with ``startCommand``.
NATIVE_RUNTIMES: tuple[Runtime, ...] = ("node", "python", "go", "ruby", "rust", "elixir")
#: Runtimes whose command is the container's (``dockerCommand``).
CONTAINER_RUNTIMES: tuple[Runtime, ...] = ("docker", "image")

#: The provider's short service types -> Render's ``serviceType`` (spec ``servicePOST.type``).
ServiceType = Literal["web", "worker", "pserv", "cron", "static"]
API_SERVICE_TYPES: dict[ServiceType, str] = {
    "web": "web_service",
    "worker": "background_worker",
    "pserv": "private_service",
    "cron": "cron_job",
    "static": "static_site",
}

#: Render Postgres: the flexible plans new databases use, plus the legacy names older ones keep.
PostgresPlan = Literal[
    "free",
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
    "starter",
    "standard",
    "pro",
    "pro_plus",
]
POSTGRES_PLANS: tuple[PostgresPlan, ...] = get_args(PostgresPlan)
#: Plans whose price includes storage (free and the legacy ones); the flexible plans bill it
#: apart, per GB-month (render.com/docs/postgresql-refresh).
STORAGE_INCLUDED_PLANS: tuple[PostgresPlan, ...] = (
    "free",
    "starter",
    "standard",
    "pro",
    "pro_plus",
)
DEFAULT_POSTGRES_PLAN: PostgresPlan = "basic_256mb"
PostgresVersion = Literal["11", "12", "13", "14", "15", "16", "17", "18"]
DEFAULT_POSTGRES_VERSION: PostgresVersion = "16"

KeyValuePlan = Literal["free", "starter", "standard", "pro", "pro_plus"]
KEY_VALUE_PLANS: tuple[KeyValuePlan, ...] = get_args(KeyValuePlan)
DEFAULT_KEY_VALUE_PLAN: KeyValuePlan = "starter"
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

#: Workspace plans (render.com/pricing): every service belongs to a workspace, billed apart from
#: its instances. Hobby is free and what a new account gets (render.com/docs/team-members).
WorkspacePlan = Literal["hobby", "pro", "scale", "enterprise"]
WORKSPACE_PLANS: tuple[WorkspacePlan, ...] = get_args(WorkspacePlan)
DEFAULT_WORKSPACE_PLAN: WorkspacePlan = "hobby"
#: Horizontal autoscaling needs a Pro workspace or higher (render.com/docs/scaling).
AUTOSCALING_WORKSPACES: tuple[WorkspacePlan, ...] = ("pro", "scale", "enterprise")
WORKSPACE_PAGE = "render.com/pricing"

#: Cron jobs run on a five-field cron expression, evaluated in UTC (render.com/docs/cronjobs).
CRON_PAGE = "render.com/docs/cronjobs"
_FIELD = r"[0-9*,/\-A-Za-z?]+"
CronSchedule = Annotated[str, Field(pattern=rf"^{_FIELD}( {_FIELD}){{4}}$")]
#: A disk is mounted on one instance only, so a service with a disk neither scales nor
#: autoscales; it is attached to web services, private services and workers, never to cron jobs
#: or static sites, and its size can grow but never shrink (render.com/docs/disks).
DISK_PAGE = "render.com/docs/disks"
#: The port Render detects for a private service that declares none: Render's default ``PORT``
#: is 10000, and the recorded API reports ``openPorts: [{port: 10000}]``.
PRIVATE_PORT = 10000
