"""A Supabase project, waited for until ``ACTIVE_HEALTHY``, with its keys and connection strings.

The rule that matters here: the database password is write-only (no endpoint returns it), so it
is always known before it is sent. A generated one is drawn in ``create`` before the POST and
kept as a secret output; when a lost answer or a same-named project leads to adoption, that
same password is set through ``PATCH /database/password``, so the outputs always connect.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal, final

import pulumi
from pulumi import dynamic
from pydantic import Field

from paas_stacks.providers._resource import Inputs, Live, ResourceError, VendorResource
from paas_stacks.providers.supabase.common import SupabaseProvider
from paas_stacks.providers.supabase.connection import connection_outputs

Region = Literal[
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ap-east-1", "ap-southeast-1",
    "ap-northeast-1", "ap-northeast-2", "ap-southeast-2", "eu-west-1", "eu-west-2", "eu-west-3",
    "eu-north-1", "eu-central-1", "eu-central-2", "ca-central-1", "ap-south-1", "sa-east-1",
]  # fmt: skip
InstanceSize = Literal[
    "nano", "micro", "small", "medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge",
    "12xlarge", "16xlarge", "24xlarge", "24xlarge_optimized_memory", "24xlarge_optimized_cpu",
    "24xlarge_high_memory", "48xlarge", "48xlarge_optimized_memory", "48xlarge_optimized_cpu",
    "48xlarge_high_memory",
]  # fmt: skip
#: Longest pause between two polls of a waiting project (seconds).
POLL_CAP = 2.0
#: From the Terraform provider's waitForProjectActive (specs README): fail fast on these.
FAILED = frozenset(
    {"GOING_DOWN", "INIT_FAILED", "REMOVED", "INACTIVE", "PAUSE_FAILED", "RESTORE_FAILED"}
)
OUTPUTS = (
    "ref", "api_url", "anon_key", "service_role_key", "database_host", "database_url",
    "pooler_url",
)  # fmt: skip
SECRET_OUTPUTS = ("database_password", "anon_key", "service_role_key", "database_url",
                  "pooler_url")  # fmt: skip


def compute_size(addons: Mapping[str, Any]) -> str:
    """The ``instance_size`` that ``GET .../billing/addons`` describes: the selected
    compute_instance variant without its ``ci_`` prefix. None selected is ``nano``, the one size
    the spec has no ``ci_`` variant for (UNCONFIRMED that nano projects list none)."""
    for addon in addons.get("selected_addons") or []:
        if addon.get("type") == "compute_instance":
            return str(addon["variant"]["id"]).removeprefix("ci_")
    return "nano"


class ProjectInputs(Inputs):
    organization_id: str = Field(pattern=r"^[\w-]+$", description="organization slug")
    name: str = Field(min_length=1, max_length=256)
    region: Region = "us-east-1"
    instance_size: InstanceSize | None = None
    database_password: str | None = Field(default=None, min_length=4)


@final
class ProjectProvider(SupabaseProvider):
    kind: ClassVar[str] = "Supabase project"
    inputs_type: ClassVar[type[Inputs]] = ProjectInputs
    compared: ClassVar[tuple[str, ...]] = (
        "organization_id", "name", "region", "instance_size", "database_password",
    )  # fmt: skip
    # V1CreateProjectBody takes the region and organization; PATCH /v1/projects/{ref} takes only
    # {name}: no endpoint moves a project to another region or organization.
    replace_on: ClassVar[tuple[str, ...]] = ("organization_id", "region")
    # Names are not unique at Supabase: the replacement can exist beside the old project.
    delete_first: ClassVar[bool] = False
    # Undeclared, the platform's size stands (and is still reported): no resize is forced.
    optional: ClassVar[tuple[str, ...]] = ("instance_size",)
    #: Bounded wait for ACTIVE_HEALTHY (the Terraform provider waits 5 minutes).
    wait_seconds: ClassVar[float] = 600.0
    sleep = staticmethod(time.sleep)

    def create(self, props: dict[str, Any]) -> dynamic.CreateResult:
        if not props.get("database_password"):
            # Drawn before the POST so a lost answer, and adoption, use the very same password.
            props = {**props, "database_password": secrets.token_urlsafe(24)}
        return super().create(props)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.UpdateResult:
        if not news.get("database_password"):
            # The generated (or no longer declared) password is kept, and the outputs, built
            # from what was written, must still carry it or the connection strings are lost.
            news = {**news, "database_password": olds.get("database_password")}
        return super().update(id_, olds, news)

    def changed_keys(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
        changed = super().changed_keys(olds, news)
        if news.get("database_password") is None:
            # A generated (or no longer declared) password is kept, never rotated by a diff.
            changed = [key for key in changed if key != "database_password"]
        return changed

    def find(self, inputs: ProjectInputs) -> Live | None:
        for project in self.client.list_projects():
            if (
                project.get("name") == inputs.name
                and project.get("organization_slug") == inputs.organization_id
                and project.get("region") == inputs.region
                and project.get("status") not in FAILED
            ):
                self.progress(f"{self.label({'name': inputs.name})}: adopting {project['ref']}")
                return project
        return None

    def create_new(self, inputs: ProjectInputs) -> Live:
        body: dict[str, Any] = {
            "name": inputs.name,
            "organization_slug": inputs.organization_id,
            "db_pass": inputs.database_password,
            "region_selection": {"type": "specific", "code": inputs.region},
        }
        if inputs.instance_size:
            body["desired_instance_size"] = inputs.instance_size
        return self.client.create_project(body)

    def fetch(self, id_: str, previous: Mapping[str, Any]) -> Live | None:
        project = self.client.get_project(id_)
        if project is None or project.get("status") == "REMOVED":
            return None
        return self._enrich(project)

    def change(
        self, id_: str, inputs: ProjectInputs, changed: Sequence[str], previous: Mapping[str, Any]
    ) -> Live:
        if "name" in changed:
            self.client.rename_project(id_, inputs.name)
        if "database_password" in changed and inputs.database_password:
            self.client.set_password(id_, inputs.database_password)
        if "instance_size" in changed and inputs.instance_size:
            self._resize(id_, inputs.instance_size)
        project = self.client.get_project(id_)
        if project is None:
            raise ResourceError(f"{self.label(inputs.model_dump())}: vanished during update")
        return project

    def remove(self, id_: str, previous: Mapping[str, Any]) -> None:
        self.client.delete_project(id_)

    def identify(self, live: Live) -> str:
        return str(live["ref"])

    def settle(self, live: Live, inputs: ProjectInputs) -> Live:
        return self._enrich(self._wait_healthy(self.identify(live), inputs.name))

    def observe(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        password = written.get("database_password")
        outputs: dict[str, Any] = {
            "organization_id": live.get("organization_slug"),
            "name": live.get("name"),
            "region": live.get("region"),
            # Read from the billing add-ons (``_enrich``), so a dashboard resize is drift.
            "instance_size": live.get("instance_size"),
            # Write-only at Supabase: what we last set.
            "database_password": password,
            "ref": live.get("ref"),
        }
        outputs.update(connection_outputs(live, password))
        return outputs

    def _resize(self, ref: str, new: str) -> None:
        """PATCH /v1/projects/{ref}/billing/addons (compute_instance ``ci_<size>``); back to
        ``nano`` (no ``ci_`` variant) is DELETE .../billing/addons/ci_<current>. The current
        size is read first, not taken from state: an adopted project's state has none."""
        current = compute_size(self.client.addons(ref))
        if new == current:
            return
        if new == "nano":
            self.client.remove_addon(ref, f"ci_{current}")
        else:
            self.client.set_compute(ref, f"ci_{new}")

    def _enrich(self, project: Live) -> Live:
        """The API keys and pooler settings the connection outputs are built from, and the
        compute size (no project response carries it)."""
        ref = str(project["ref"])
        return {
            **project,
            "api_keys": self.client.api_keys(ref),
            "pooler": self.client.pooler(ref),
            "instance_size": compute_size(self.client.addons(ref)),
        }

    def _wait_healthy(self, ref: str, name: str) -> Live:
        """Poll GET /v1/projects/{ref} every ``POLL_CAP`` seconds at most until ACTIVE_HEALTHY.

        The cap bounds how long a project that is ready waits to be noticed (a 1, 3, 7, 15 s
        schedule overshot a 20 s provisioning by ~10 s); 30 polls a minute is a quarter of the
        endpoint's 120/min budget per project."""
        started, delay = time.monotonic(), 1.0
        while True:
            project = self.client.get_project(ref)
            status = None if project is None else project.get("status")
            if project is not None and status == "ACTIVE_HEALTHY":
                return project
            waited = time.monotonic() - started
            where = f"Supabase project '{name}' ({ref})"
            if project is None or status in FAILED:
                raise ResourceError(f"{where}: {status or 'gone'} while waiting for ACTIVE_HEALTHY")
            if waited + delay > self.wait_seconds:
                raise ResourceError(
                    f"{where}: still {status} after {waited:.0f}s; waited for ACTIVE_HEALTHY"
                )
            self.progress(f"Supabase project '{name}': {status}, waiting ({waited:.0f}s)")
            self.sleep(delay)
            delay = min(delay * 2, POLL_CAP)


@final
class Project(VendorResource, module="supabase", name="Project"):
    """A Supabase project (``POST /v1/projects``), ready (``ACTIVE_HEALTHY``) when created.

    Replaced when changed (no endpoint moves a project; ``PATCH /v1/projects/{ref}`` takes only
    ``name``): ``organization_id``, ``region``. In place: ``name`` (PATCH /v1/projects/{ref}),
    ``database_password`` (PATCH .../database/password), ``instance_size`` (PATCH
    .../billing/addons, compute_instance). Omit ``database_password`` to get a generated one.
    """

    ref: pulumi.Output[str]
    organization_id: pulumi.Output[str]
    name: pulumi.Output[str]
    region: pulumi.Output[str]
    instance_size: pulumi.Output[str | None]
    database_password: pulumi.Output[str]
    api_url: pulumi.Output[str]
    anon_key: pulumi.Output[str]
    service_role_key: pulumi.Output[str]
    database_host: pulumi.Output[str]
    database_url: pulumi.Output[str]
    pooler_url: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        organization_id: pulumi.Input[str],
        name: pulumi.Input[str],
        region: pulumi.Input[str] | None = None,
        instance_size: pulumi.Input[str] | None = None,
        database_password: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = {
            "organization_id": organization_id,
            "name": name,
            "region": region,
            "instance_size": instance_size,
            "database_password": (
                None if database_password is None else pulumi.Output.secret(database_password)
            ),
            "adopt_id": adopt_id,
        }
        super().__init__(
            ProjectProvider(),
            resource_name,
            inputs,
            outputs=("database_password", *OUTPUTS),
            secret_outputs=SECRET_OUTPUTS,
            opts=opts,
        )
