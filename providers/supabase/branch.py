"""A Supabase branch of a project (``POST /v1/projects/{ref}/branches``): its own database,
credentials, API keys and project ref, waited for until ``ACTIVE_HEALTHY``.

The rule that matters here: a branch is marked like a project, by an Edge Function secret on the
branch's own ref, which exists only once the branch is up. So it is CREATED under a name that
carries the owner's tag (``pr-1-ps-<tag>``) and renamed to the declared name once the marker is
written: a run killed in between leaves the tagged name, which the next run knows as its own,
and a same-named branch without our marker is never taken over. Deleting a persistent branch is
refused by Supabase (422), so ``delete`` turns it non-persistent first, as Supabase's Terraform
provider does.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, final

import pulumi
from pulumi import dynamic
from pydantic import Field

from paas_stacks.errors import InvalidRequestError, NotFoundError, ResourceError, VendorError
from paas_stacks.providers._ownership import Marker, Ownership
from paas_stacks.providers._resource import Inputs, Live, VendorResource
from paas_stacks.providers._wait import PROJECT_PROVISIONING, poll_until
from paas_stacks.providers.supabase import ownership
from paas_stacks.providers.supabase.common import REF_PATTERN, SupabaseProvider
from paas_stacks.providers.supabase.connection import branch_outputs
from paas_stacks.providers.supabase.project import FAILED, compute_size
from paas_stacks.vendors.supabase import BRANCH_NAME_PATTERN, DEFAULT_BRANCH, InstanceSize

__all__ = ["Branch", "BranchProvider"]

OUTPUTS = (
    "ref",
    "branch_id",
    "api_url",
    "anon_key",
    "service_role_key",
    "database_host",
    "database_password",
    "jwt_secret",
    "database_url",
    "pooler_url",
)
SECRET_OUTPUTS = (
    "database_password",
    "jwt_secret",
    "anon_key",
    "service_role_key",
    "database_url",
    "pooler_url",
)
#: What the creating name adds to the declared one (``-ps-<12 hex>``).
CREATING_EXTRA = len("-ps-0123456789ab")


class BranchInputs(Inputs):
    #: The project the branch is made from (the base stack's project).
    parent_ref: str = Field(pattern=REF_PATTERN, description="20 lowercase letters")
    name: str = Field(pattern=BRANCH_NAME_PATTERN, max_length=255 - CREATING_EXTRA)
    #: The git branch it follows (the pull request's head ref).
    git_branch: str | None = Field(default=None, min_length=1, max_length=255)
    persistent: bool = False
    #: Create it as a copy of the parent's data (else empty, migrations only).
    with_data: bool = False
    instance_size: InstanceSize | None = None


@final
class BranchProvider(SupabaseProvider):
    kind: ClassVar[str] = "Supabase branch"
    inputs_type: ClassVar[type[Inputs]] = BranchInputs
    # A branch is made from one parent, empty or with its data: neither changes afterwards
    # (UpdateBranchBody has no such field).
    replace_on: ClassVar[tuple[str, ...]] = ("parent_ref", "with_data")
    # Branch names are unique per parent: the old one goes first.
    delete_first: ClassVar[bool] = True
    optional: ClassVar[tuple[str, ...]] = ("git_branch", "instance_size")
    ownership: ClassVar[Ownership] = Ownership.MARKED
    secret_inputs: ClassVar[tuple[str, ...]] = SECRET_OUTPUTS
    #: Bounded wait for ACTIVE_HEALTHY (a branch is a small project coming up).
    wait_seconds: ClassVar[float] = 600.0
    sleep = staticmethod(time.sleep)

    def label(self, inputs: Mapping[str, Any], id_: str | None = None) -> str:
        parent = inputs.get("parent_ref") or (id_ or "?").split("/", maxsplit=1)[0]
        return f"{self.kind} '{inputs.get('name') or id_ or '?'}' of project '{parent}'"

    def create(self, props: dict[str, Any]) -> dynamic.CreateResult:
        adopt = props.get("adopt_id")
        if adopt and "/" not in str(adopt):
            # ``adopt_id`` names the branch (its id or ref); the state's id also names the parent.
            props = {**props, "adopt_id": f"{props.get('parent_ref')}/{adopt}"}
        return super().create(props)

    # -- the vendor object -------------------------------------------------------------------
    def find(self, inputs: BranchInputs) -> Live | None:
        """The parent's branch of this name, or the one this stack was creating (tagged)."""
        ours = Marker.parse(inputs.owner)
        for branch in self._branches(inputs.parent_ref):
            declared, tagged = Marker.split_name(str(branch.get("name")))
            if branch.get("name") == inputs.name or (
                ours is not None
                and tagged is not None
                and tagged.tag == ours.tag
                and declared == inputs.name
            ):
                self.progress(f"{self.label(inputs.model_dump())}: found {branch['id']}")
                return self._live(inputs.parent_ref, branch)
        return None

    def create_new(self, inputs: BranchInputs) -> Live:
        self._enable_branching(inputs.parent_ref)
        body: dict[str, Any] = {
            # Marked by its name until its marker secret can be written (module docstring).
            "branch_name": self._creating_name(inputs),
            "persistent": inputs.persistent,
            "with_data": inputs.with_data,
        }
        if inputs.git_branch:
            body["git_branch"] = inputs.git_branch
        if inputs.instance_size:
            body["desired_instance_size"] = inputs.instance_size
        created = self.client.create_branch(inputs.parent_ref, body)
        return self._live(inputs.parent_ref, created)

    def fetch(self, id_: str, previous: Mapping[str, Any]) -> Live | None:
        parent, branch = _split(id_)
        try:
            listed = self._branches(parent)
        except NotFoundError:
            return None  # the parent project is gone, and its branches with it
        for listed_one in listed:
            if branch in (listed_one.get("id"), listed_one.get("project_ref")):
                return self._enrich(self._live(parent, listed_one))
        return None

    def change(
        self, id_: str, inputs: BranchInputs, changed: Sequence[str], previous: Mapping[str, Any]
    ) -> Live:
        branch = _split(id_)[1]
        body: dict[str, Any] = {}
        if "name" in changed:
            body["branch_name"] = inputs.name
        if "git_branch" in changed and inputs.git_branch:
            body["git_branch"] = inputs.git_branch
        if "persistent" in changed:
            body["persistent"] = inputs.persistent
        if body:
            self.client.update_branch(branch, body)
        if "instance_size" in changed and inputs.instance_size:
            self._resize(id_, inputs.instance_size)
        found = self.fetch(id_, previous)
        if found is None:
            raise ResourceError(f"{self.label(inputs.model_dump(), id_)}: vanished during update")
        return found

    def remove(self, id_: str, previous: Mapping[str, Any]) -> None:
        branch = _split(id_)[1]
        try:
            self.client.delete_branch(branch)
        except InvalidRequestError as exc:
            if exc.status != 422:
                raise
            # Supabase refuses to delete a persistent branch: make it a preview branch first.
            self.client.update_branch(branch, {"persistent": False})
            self.client.delete_branch(branch)

    def identify(self, live: Live) -> str:
        # The branch's ref: the spec deprecates addressing /v1/branches/{...} by its UUID id.
        return f"{live['parent_ref']}/{live['project_ref']}"

    def settle(self, live: Live, inputs: BranchInputs) -> Live:
        detail = self._wait_healthy(live, inputs.name)
        live = {**live, "detail": detail}
        declared, tagged = Marker.split_name(str(live.get("name")))
        if tagged is not None:
            # Created by this stack: write the lasting marker, then take the declared name.
            ref = str(live["project_ref"])
            ours = Marker.parse(inputs.owner) or tagged
            ownership.claim(self.client, ref, ours, self._markers(ref))
            self.client.update_branch(ref, {"branch_name": declared})
            live = {**live, "name": declared}
        return self._enrich(live)

    # -- ownership: a function secret on the branch's own ref (supabase/ownership.py) ---------
    def owners(self, live: Live) -> list[Marker]:
        tagged = Marker.split_name(str(live.get("name")))[1]
        if tagged is not None:
            return [tagged]  # still coming up: its secrets may not answer yet
        return self._markers(str(live["project_ref"]))

    def claim(self, id_: str, live: Live | None, ours: Marker, others: list[Marker]) -> None:
        found = live if live is not None else self.fetch(id_, {})
        if found is None:
            raise ResourceError(f"{self.label({}, id_)}: gone while being marked")
        ownership.claim(self.client, str(found["project_ref"]), ours, others)

    def _markers(self, ref: str) -> list[Marker]:
        return ownership.secret_markers(self.client.secrets(ref))

    def observe(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        detail: Mapping[str, Any] = live.get("detail") or {}
        outputs: dict[str, Any] = {
            "parent_ref": live.get("parent_ref"),
            # While it is created the name carries the owner's tag; settle removes it.
            "name": Marker.split_name(str(live.get("name")))[0],
            "git_branch": live.get("git_branch"),
            "persistent": bool(live.get("persistent")),
            "with_data": bool(live.get("with_data")),
            "instance_size": live.get("instance_size"),
            "ref": live.get("project_ref"),
            "branch_id": live.get("id"),
            "status": detail.get("status"),
            "database_password": detail.get("db_pass"),
            "jwt_secret": detail.get("jwt_secret"),
        }
        keys, pooler = live.get("api_keys") or [], live.get("pooler") or []
        outputs.update(branch_outputs({**detail, "ref": live.get("project_ref")}, keys, pooler))
        return outputs

    # -- helpers -----------------------------------------------------------------------------
    def _branches(self, parent: str) -> list[Live]:
        try:
            return self.client.list_branches(parent)
        except InvalidRequestError as exc:
            if exc.status == 422:
                return []  # branching not enabled on the parent: it has none
            raise

    def _enable_branching(self, parent: str) -> None:
        """A project with no branch gets its default one first (``is_default``), as Supabase's
        Terraform provider enables branching; the default branch is the project itself."""
        if not self._branches(parent):
            body = {"branch_name": DEFAULT_BRANCH, "is_default": True}
            self.client.create_branch(parent, body)

    @staticmethod
    def _creating_name(inputs: BranchInputs) -> str:
        ours = Marker.parse(inputs.owner)
        return inputs.name if ours is None else ours.suffixed(inputs.name)

    @staticmethod
    def _live(parent: str, branch: Mapping[str, Any]) -> Live:
        return {**branch, "parent_ref": parent}

    def _enrich(self, live: Live) -> Live:
        """Its credentials (``GET /v1/branches/{id}``), keys, pooler and compute size, all read
        through the branch's own ref as the project endpoints serve it."""
        ref = str(live["project_ref"])
        detail = live.get("detail") or self.client.branch_detail(ref) or {}
        return {
            **live,
            "detail": detail,
            "api_keys": self.client.api_keys(ref),
            "pooler": _or_empty(lambda: self.client.pooler(ref)),
            "instance_size": _size(lambda: compute_size(self.client.addons(ref))),
        }

    def _resize(self, id_: str, new: str) -> None:
        found = self.fetch(id_, {})
        if found is None or found.get("instance_size") == new:
            return
        ref, current = str(found["project_ref"]), found.get("instance_size")
        if new == "nano" and current:
            self.client.remove_addon(ref, f"ci_{current}")
        else:
            self.client.set_compute(ref, f"ci_{new}")

    def _wait_healthy(self, live: Live, name: str) -> Live:
        """Poll ``GET /v1/branches/{id}`` every second until its status is ACTIVE_HEALTHY (the
        list's own ``status`` is deprecated: it tracks migrations, not the database)."""
        branch_id = str(live["project_ref"])
        where = f"Supabase branch '{name}' ({live.get('project_ref')})"

        def check() -> Live:
            detail = self.client.branch_detail(branch_id)
            status = None if detail is None else detail.get("status")
            if detail is None or status in FAILED:
                raise ResourceError(f"{where}: {status or 'gone'} while waiting for ACTIVE_HEALTHY")
            return detail

        def give_up(detail: Live, waited: float) -> Live:
            raise ResourceError(
                f"{where}: still {detail.get('status')} after {waited:.0f}s; "
                "waited for ACTIVE_HEALTHY"
            )

        def say(detail: Live, waited: float, _delay: float) -> None:
            self.progress(f"{where}: {detail.get('status')}, waiting ({waited:.0f}s)")

        return poll_until(
            check,
            lambda detail: detail.get("status") == "ACTIVE_HEALTHY",
            limit=self.wait_seconds,
            sleep=self.sleep,
            say=say,
            timeout=give_up,
            backoff=PROJECT_PROVISIONING,
        )


def _split(id_: str) -> tuple[str, str]:
    parent, _, branch = id_.partition("/")
    if not branch:
        raise ResourceError(f"Supabase branch id {id_!r}: expected <parent ref>/<branch ref>")
    return parent, branch


def _or_empty(read: Any) -> list[Live]:
    """A setting the branch's ref may not serve (yet): none rather than a failed read."""
    try:
        return list(read())
    except (NotFoundError, InvalidRequestError):
        return []


def _size(read: Any) -> str | None:
    try:
        return str(read())
    except VendorError:
        return None  # billing add-ons are per organization plan: not every branch answers


@final
class Branch(VendorResource, module="supabase", name="Branch"):
    """A Supabase branch of ``parent_ref`` (``POST /v1/projects/{ref}/branches``), ready
    (``ACTIVE_HEALTHY``) when created; its ``ref`` works with every project endpoint.

    Replaced when changed: ``parent_ref``, ``with_data``. In place (PATCH /v1/branches/{id}):
    ``name``, ``git_branch``, ``persistent``; ``instance_size`` through the branch's billing
    add-ons. Deleting a persistent branch makes it non-persistent first.
    """

    ref: pulumi.Output[str]
    branch_id: pulumi.Output[str]
    parent_ref: pulumi.Output[str]
    name: pulumi.Output[str]
    git_branch: pulumi.Output[str | None]
    persistent: pulumi.Output[bool]
    with_data: pulumi.Output[bool]
    instance_size: pulumi.Output[str | None]
    api_url: pulumi.Output[str]
    anon_key: pulumi.Output[str]
    service_role_key: pulumi.Output[str]
    database_host: pulumi.Output[str]
    database_password: pulumi.Output[str]
    jwt_secret: pulumi.Output[str]
    database_url: pulumi.Output[str]
    pooler_url: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        parent_ref: pulumi.Input[str],
        name: pulumi.Input[str],
        git_branch: pulumi.Input[str] | None = None,
        persistent: pulumi.Input[bool] = False,
        with_data: pulumi.Input[bool] = False,
        instance_size: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = {
            "parent_ref": parent_ref,
            "name": name,
            "git_branch": git_branch,
            "persistent": persistent,
            "with_data": with_data,
            "instance_size": instance_size,
            "adopt_id": adopt_id,
        }
        super().__init__(
            BranchProvider(),
            resource_name,
            inputs,
            outputs=(*OUTPUTS, "status"),
            secret_outputs=SECRET_OUTPUTS,
            opts=opts,
        )
