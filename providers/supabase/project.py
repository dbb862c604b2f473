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
from typing import Any, ClassVar, final

import pulumi
from pulumi import dynamic
from pydantic import Field

from paas_stacks.errors import NotFoundError, ResourceError
from paas_stacks.providers._ownership import Marker, Ownership
from paas_stacks.providers._resource import Inputs, Live, VendorResource
from paas_stacks.providers._wait import PROJECT_PROVISIONING, poll_until
from paas_stacks.providers.supabase import ownership
from paas_stacks.providers.supabase.common import SupabaseProvider
from paas_stacks.providers.supabase.connection import connection_outputs
from paas_stacks.vendors.supabase import DEFAULT_REGION, InstanceSize, Region

#: From the Terraform provider's waitForProjectActive (specs README): fail fast on these.
FAILED = frozenset(
    {"GOING_DOWN", "INIT_FAILED", "REMOVED", "INACTIVE", "PAUSE_FAILED", "RESTORE_FAILED"}
)
OUTPUTS = (
    "ref",
    "api_url",
    "anon_key",
    "service_role_key",
    "database_host",
    "database_url",
    "pooler_url",
)
SECRET_OUTPUTS = ("database_password", "anon_key", "service_role_key", "database_url", "pooler_url")


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
    #: Shorter than Supabase's 256: while it is created, the name also carries the owner's tag.
    name: str = Field(min_length=1, max_length=256 - ownership.CREATING_EXTRA)
    #: ``None``: a new project goes to ``DEFAULT_REGION``, an existing one stays where it is (an
    #: older default put undeclared projects in us-east-1; moving them would be a replacement).
    region: Region | None = None
    instance_size: InstanceSize | None = None
    database_password: str | None = Field(default=None, min_length=4)

    @property
    def region_or_default(self) -> Region:
        return self.region or DEFAULT_REGION


@final
class ProjectProvider(SupabaseProvider):
    kind: ClassVar[str] = "Supabase project"
    inputs_type: ClassVar[type[Inputs]] = ProjectInputs
    # V1CreateProjectBody takes the region and organization; PATCH /v1/projects/{ref} takes only
    # {name}: no endpoint moves a project to another region or organization.
    replace_on: ClassVar[tuple[str, ...]] = ("organization_id", "region")
    # Names are not unique at Supabase: the replacement can exist beside the old project.
    delete_first: ClassVar[bool] = False
    # Undeclared, the platform's size stands (and is still reported): no resize is forced; an
    # undeclared region is where the project already is.
    optional: ClassVar[tuple[str, ...]] = ("region", "instance_size")
    ownership: ClassVar[Ownership] = Ownership.MARKED
    secret_inputs: ClassVar[tuple[str, ...]] = ("database_password", *SECRET_OUTPUTS)
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
        """A same-named project of the organization, in the declared region or, undeclared, in
        any region (the default region's first: that is where a lost create went)."""
        ours = Marker.parse(inputs.owner)
        same = [
            project
            for project in self.client.list_projects()
            if ownership.split_creating(str(project.get("name")))[0] == inputs.name
            and project.get("organization_slug") == inputs.organization_id
            and inputs.region in (None, project.get("region"))
            and project.get("status") not in FAILED
        ]
        # One this stack was creating (its tagged name) first, then the default region's.
        same.sort(
            key=lambda project: (
                ours is None or ownership.split_creating(str(project["name"]))[1] != ours,
                project.get("region") != inputs.region_or_default,
            )
        )
        if not same:
            return None
        self.progress(f"{self.label({'name': inputs.name})}: found {same[0]['ref']}")
        return same[0]

    def create_new(self, inputs: ProjectInputs) -> Live:
        body: dict[str, Any] = {
            # Marked by its name until its marker secret can be written (supabase/ownership.py).
            "name": ownership.creating_name(inputs.name, Marker.parse(inputs.owner)),
            "organization_slug": inputs.organization_id,
            "db_pass": inputs.database_password,
            "region_selection": {"type": "specific", "code": inputs.region_or_default},
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
        healthy = self._wait_healthy(self.identify(live), inputs.name)
        declared, tagged = ownership.split_creating(str(healthy.get("name")))
        if tagged is not None:
            # Created by this stack: write the lasting marker, then take the declared name.
            ref = self.identify(healthy)
            ours = Marker.parse(inputs.owner) or tagged
            ownership.claim(self.client, ref, ours, self._markers(ref))
            self.client.rename_project(ref, declared)
            healthy = {**healthy, "name": declared}
        return self._enrich(healthy)

    # -- ownership: a function secret named after the tag (supabase/ownership.py) ------------
    def owners(self, live: Live) -> list[Marker]:
        tagged = ownership.split_creating(str(live.get("name")))[1]
        if tagged is not None:
            return [tagged]  # still coming up: its secrets may not answer yet
        return self._markers(self.identify(live))

    def owners_at(self, id_: str, previous: Mapping[str, Any]) -> list[Marker] | None:
        try:
            return self._markers(id_)
        except NotFoundError:
            return None

    def claim(self, id_: str, live: Live | None, ours: Marker, others: list[Marker]) -> None:
        ownership.claim(self.client, id_, ours, others)

    def _markers(self, ref: str) -> list[Marker]:
        return ownership.secret_markers(self.client.secrets(ref))

    def observe(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        password = written.get("database_password")
        outputs: dict[str, Any] = {
            "organization_id": live.get("organization_slug"),
            # While it is created the name carries the owner's tag; settle removes it.
            "name": ownership.split_creating(str(live.get("name")))[0],
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
        """Poll GET /v1/projects/{ref} every second until ACTIVE_HEALTHY (PROJECT_PROVISIONING)."""
        where = f"Supabase project '{name}' ({ref})"

        def check() -> Live:
            project = self.client.get_project(ref)
            status = None if project is None else project.get("status")
            if project is None or status in FAILED:
                raise ResourceError(f"{where}: {status or 'gone'} while waiting for ACTIVE_HEALTHY")
            return project

        def give_up(project: Live, waited: float) -> Live:
            raise ResourceError(
                f"{where}: still {project.get('status')} after {waited:.0f}s; "
                "waited for ACTIVE_HEALTHY"
            )

        def say(project: Live, waited: float, _delay: float) -> None:
            self.progress(
                f"Supabase project '{name}': {project.get('status')}, waiting ({waited:.0f}s)"
            )

        return poll_until(
            check,
            lambda project: project.get("status") == "ACTIVE_HEALTHY",
            limit=self.wait_seconds,
            sleep=self.sleep,
            say=say,
            timeout=give_up,
            backoff=PROJECT_PROVISIONING,
        )


@final
class Project(VendorResource, module="supabase", name="Project"):
    """A Supabase project (``POST /v1/projects``), ready (``ACTIVE_HEALTHY``) when created.

    Replaced when changed (no endpoint moves a project; ``PATCH /v1/projects/{ref}`` takes only
    ``name``): ``organization_id``, ``region``. In place: ``name`` (PATCH /v1/projects/{ref}),
    ``database_password`` (PATCH .../database/password), ``instance_size`` (PATCH
    .../billing/addons, compute_instance). Omit ``database_password`` to get a generated one.
    Omit ``region`` for a new project in ``us-west-2``; an undeclared region never moves an
    existing project.
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
