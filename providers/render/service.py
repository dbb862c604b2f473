"""Render services (web, worker, private, cron, static) with the env vars and secret files they own.

The rule that matters here: the service OWNS its whole env var and secret file set. Refresh reads
back everything Render holds, a var added by hand shows up as drift, and the next ``up`` puts
back exactly the declared set with ``PUT /services/{id}/env-vars`` (which replaces all). Values
are secret in state, both as inputs and outputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, final

import pulumi
from pulumi import dynamic

from paas_stacks.errors import NotFoundError, ResourceError
from paas_stacks.providers._ownership import Marker, Ownership
from paas_stacks.providers._resource import Live, VendorResource, is_unknown
from paas_stacks.providers.render.base import RenderProvider
from paas_stacks.providers.render.ownership import SERVICE_OWNER_VAR, env_list, markers_in
from paas_stacks.providers.render.service_api import (
    DEPLOY_KEYS,
    autoscaling_body,
    observe_service,
    patch_body,
    service_post,
)
from paas_stacks.providers.render.service_extras import fill_self_env, sync_disk
from paas_stacks.providers.render.service_inputs import ServiceInputs, desired_service
from paas_stacks.providers.render.service_release import (
    live_deploy,
    pin_first_deploy,
    start_deploy,
    wait_live,
)
from paas_stacks.vendors.render import API_SERVICE_TYPES

__all__ = ["Service", "ServiceProvider"]

OUTPUTS = ("url", "slug", "dashboard_url", "owner_id", "image_digest", "live_deploy_id")
SECRET_OUTPUTS = ("env_vars", "secret_files")


@final
class ServiceProvider(RenderProvider[ServiceInputs]):
    kind: ClassVar[str] = "Render Service"
    inputs_type: ClassVar[type[ServiceInputs]] = ServiceInputs
    optional: ClassVar[tuple[str, ...]] = (
        "branch",
        "commit",
        "pre_deploy_command",
        "docker_command",
        "dockerfile_path",
        "docker_context",
        "num_instances",
    )
    replace_on: ClassVar[tuple[str, ...]] = ("type", "region")
    ownership: ClassVar[Ownership] = Ownership.MARKED
    secret_inputs: ClassVar[tuple[str, ...]] = ("env_vars", "secret_files")

    def desired(self, inputs: ServiceInputs) -> dict[str, Any]:
        return desired_service(inputs)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.DiffResult:
        result = super().diff(id_, olds, news)
        # servicePATCH cannot drop ``repo`` (nor add one), so moving between a prebuilt image
        # and a runtime built from a repo needs a new service.
        old, new = olds.get("runtime"), news.get("runtime")
        if result.changes and not is_unknown(new) and (old == "image") != (new == "image"):
            replaces = [*(result.replaces or []), "runtime"]
            return dynamic.DiffResult(True, replaces, delete_before_replace=self.delete_first)
        return result

    def identify(self, live: Live) -> str:
        return str(live["service"]["id"])

    def label(self, inputs: Mapping[str, Any], id_: str | None = None) -> str:
        return f"Render {inputs.get('type') or 'service'} '{inputs.get('name') or id_ or '?'}'"

    # -- vendor calls ---------------------------------------------------------------------------
    def find(self, inputs: ServiceInputs) -> Live | None:
        extra = {"type": API_SERVICE_TYPES[inputs.type]}
        service = self.client.named("/services", inputs.name, "service", extra)
        return None if service is None else self._with_settings(service)

    def create_new(self, inputs: ServiceInputs) -> Live:
        body = service_post(inputs, self.client.owner_id())
        created = self.client.json("POST", "/services", json=body)
        service_id = str(created["service"]["id"])
        first = pin_first_deploy(self.client, service_id, created.get("deployId"), inputs)
        live = {"service": created["service"], "deployId": first}
        if inputs.self_env:
            # Its own URL exists only now: write the vars and deploy again so they are seen.
            self._put_env(created["service"], inputs)
            live["deployId"] = start_deploy(self.client, service_id, inputs)
        return live

    def fetch(self, id_: str, previous: Mapping[str, Any]) -> Live | None:
        service = self.client.get_or_none(f"/services/{id_}")
        return None if service is None else self._with_settings(service)

    def change(
        self, id_: str, inputs: ServiceInputs, changed: Sequence[str], previous: Mapping[str, Any]
    ) -> Live:
        keys = set(changed)
        body = patch_body(inputs, keys, self.client.owner_id)
        service: dict[str, Any] = {"id": id_}
        if body:
            service = self.client.json("PATCH", f"/services/{id_}", json=body) or service
        self._scale(id_, inputs, keys)
        attached = "disk" in keys and sync_disk(self.client, id_, inputs.disk)
        if keys & {"env_vars", "self_env"}:
            if inputs.self_env and "slug" not in service:
                service = self.client.json("GET", f"/services/{id_}")
            self._put_env(service, inputs)
        if "secret_files" in keys:
            files = [{"name": k, "content": v} for k, v in inputs.secret_files.items()]
            self.client.request("PUT", f"/services/{id_}/secret-files", json=files)
        deploy_id = None
        if keys & DEPLOY_KEYS or "self_env" in keys or attached:
            # A disk is attached by the next deploy (render-openapi.json ``add-disk``).
            deploy_id = start_deploy(self.client, id_, inputs)
        return {"service": {"id": id_}, "deployId": deploy_id}

    def remove(self, id_: str, previous: Mapping[str, Any]) -> None:
        self.client.delete(f"/services/{id_}")

    def settle(self, live: Live, inputs: ServiceInputs) -> Live:
        """Wait for the deploy a create or change started, then read the service as it is."""
        service_id = self.identify(live)
        deploy_id = live.get("deployId")
        if deploy_id:
            label = self.label({"type": inputs.type, "name": inputs.name})
            wait_live(self.client, label, service_id, str(deploy_id), self.progress)
        if "envVars" in live and not deploy_id:
            return live
        fresh = self.fetch(service_id, {})
        if fresh is None:
            raise ResourceError(f"{self.kind} {service_id} vanished right after it was written")
        return fresh

    def observe(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        templates = dict(written.get("self_env") or {})
        return observe_service(
            live["service"],
            live["envVars"],
            live["secretFiles"],
            live.get("liveDeploy"),
            self_env=templates,
        )

    def _converge(self, found: Live, inputs: ServiceInputs) -> Live:
        # An adopted service's own-address vars are recognised by the declared templates.
        observed = self.observe(found, {"self_env": inputs.self_env})
        desired = self.desired(inputs)
        changed = [
            key for key in self.compared if self._differs(key, desired.get(key), observed.get(key))
        ]
        if not changed:
            return found
        return self.change(self.identify(found), inputs, changed, observed)

    # -- ownership: the PAAS_STACKS_OWNER env var (render/ownership.py) ------------------------
    def owners(self, live: Live) -> list[Marker]:
        return markers_in(live.get("envVars") or [], SERVICE_OWNER_VAR)

    def owners_at(self, id_: str, previous: Mapping[str, Any]) -> list[Marker] | None:
        try:
            env = self.client.list_all(f"/services/{id_}/env-vars", {}, "envVar")
        except NotFoundError:
            return None  # the service is gone
        return markers_in(env, SERVICE_OWNER_VAR)

    def claim(self, id_: str, live: Live | None, ours: Marker, others: list[Marker]) -> None:
        # One key, so nothing else of the service changes (the marker var is never an output).
        path = f"/services/{id_}/env-vars/{SERVICE_OWNER_VAR}"
        self.client.request("PUT", path, json={"value": str(ours)})

    # -- helpers --------------------------------------------------------------------------------
    def _with_settings(self, service: dict[str, Any]) -> Live:
        """The service plus its own env vars and secret files (not those of env groups) and its
        live deploy."""
        sid = service["id"]
        env = self.client.list_all(f"/services/{sid}/env-vars", {}, "envVar")
        files = self.client.list_all(f"/services/{sid}/secret-files", {}, "secretFile")
        deployed = live_deploy(self.client, sid)
        return {"service": service, "envVars": env, "secretFiles": files, "liveDeploy": deployed}

    def _put_env(self, service: Mapping[str, Any], inputs: ServiceInputs) -> None:
        """Replace the service's vars: the declared ones plus its own address."""
        values = {**inputs.env_vars, **fill_self_env(inputs.self_env, service)}
        # A PUT replaces every var: the owner marker goes with them, or it would be dropped.
        env = env_list(values, inputs.owner, SERVICE_OWNER_VAR)
        self.client.request("PUT", f"/services/{service['id']}/env-vars", json=env)

    def _scale(self, id_: str, inputs: ServiceInputs, keys: set[str]) -> None:
        """Autoscaling and the instance count have their own endpoints (not in PATCH)."""
        if "autoscaling" in keys:
            if inputs.autoscaling is None:
                self.client.delete(f"/services/{id_}/autoscaling")
            else:
                body = autoscaling_body(inputs)
                self.client.request("PUT", f"/services/{id_}/autoscaling", json=body)
        if "num_instances" in keys and inputs.autoscaling is None:
            body = {"numInstances": inputs.num_instances or 1}
            self.client.request("POST", f"/services/{id_}/scale", json=body, idempotent=True)


@final
class Service(VendorResource, module="render", name="Service"):
    """A Render service: ``web``, ``worker`` (background worker), ``pserv`` (private service),
    ``cron`` (cron job) or ``static`` (static site).

    Replaced (delete first) when these change, because Render cannot change them in place:

    - ``type``: ``servicePATCH`` (render-openapi.json ``components.schemas.servicePATCH``) has
      no ``type``; a service's type is fixed at ``POST /services``.
    - ``region``: none of the ``*DetailsPATCH`` schemas has ``region``.
    - ``runtime`` only when moving to or from ``image``: ``servicePATCH`` can set ``image`` but
      cannot remove ``repo``. Other runtime changes are a PATCH (``*DetailsPATCH.runtime``).

    The service owns its env vars and secret files: anything added outside Pulumi is removed by
    the next ``up``; both maps are secret in state. ``disk`` (``{name, mount_path, size_gb}``)
    is the service's persistent disk: added, grown or moved in place (a new disk redeploys the
    service), and removing it deletes the disk and its data. ``build_filter`` (``{paths,
    ignored_paths}``) limits which pushes deploy. ``self_env`` names vars that hold the
    service's own address (``{url}``, ``{host}``), filled in from the live service once it
    exists. After a create, and after a change the running code sees (commands, source,
    release, runtime, env vars, secret files, a new disk), the provider deploys the pinned
    release (``commit`` -> ``commitId``; an image-backed service's ``image`` -> ``imageUrl``),
    waits for that deploy to be ``live`` and fails on ``build_failed``/``update_failed``/
    ``pre_deploy_failed``/``canceled``, naming the deploy and the one that keeps serving.
    ``commit`` and ``image`` are read back from the live deploy, so a deploy made elsewhere is
    drift; with ``commit`` unset, whatever Render deploys stands. Pin a commit with
    ``auto_deploy=False``: Render's own auto-deploys ignore the pin.
    """

    name: pulumi.Output[str]
    type: pulumi.Output[str]
    runtime: pulumi.Output[str | None]
    repo: pulumi.Output[str | None]
    branch: pulumi.Output[str | None]
    #: The commit the live deploy runs (git-backed services).
    commit: pulumi.Output[str | None]
    #: The image the live deploy runs (image-backed services), and the digest Render resolved.
    image: pulumi.Output[str | None]
    image_digest: pulumi.Output[str | None]
    live_deploy_id: pulumi.Output[str | None]
    root_dir: pulumi.Output[str]
    build_command: pulumi.Output[str | None]
    start_command: pulumi.Output[str | None]
    pre_deploy_command: pulumi.Output[str | None]
    docker_command: pulumi.Output[str | None]
    dockerfile_path: pulumi.Output[str | None]
    docker_context: pulumi.Output[str | None]
    publish_path: pulumi.Output[str | None]
    schedule: pulumi.Output[str | None]
    plan: pulumi.Output[str | None]
    region: pulumi.Output[str | None]
    health_check_path: pulumi.Output[str | None]
    num_instances: pulumi.Output[int | None]
    autoscaling: pulumi.Output[dict[str, Any] | None]
    auto_deploy: pulumi.Output[bool]
    build_filter: pulumi.Output[dict[str, Any] | None]
    disk: pulumi.Output[dict[str, Any] | None]
    self_env: pulumi.Output[dict[str, str]]
    env_vars: pulumi.Output[dict[str, str]]
    secret_files: pulumi.Output[dict[str, str]]
    url: pulumi.Output[str | None]
    slug: pulumi.Output[str]
    dashboard_url: pulumi.Output[str]
    owner_id: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        type: pulumi.Input[str],
        runtime: pulumi.Input[str] | None = None,
        repo: pulumi.Input[str] | None = None,
        branch: pulumi.Input[str] | None = None,
        commit: pulumi.Input[str] | None = None,
        image: pulumi.Input[str] | None = None,
        root_dir: pulumi.Input[str] | None = None,
        build_command: pulumi.Input[str] | None = None,
        start_command: pulumi.Input[str] | None = None,
        pre_deploy_command: pulumi.Input[str] | None = None,
        docker_command: pulumi.Input[str] | None = None,
        dockerfile_path: pulumi.Input[str] | None = None,
        docker_context: pulumi.Input[str] | None = None,
        publish_path: pulumi.Input[str] | None = None,
        schedule: pulumi.Input[str] | None = None,
        plan: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        health_check_path: pulumi.Input[str] | None = None,
        num_instances: pulumi.Input[int] | None = None,
        autoscaling: pulumi.Input[Mapping[str, Any]] | None = None,
        auto_deploy: pulumi.Input[bool] | None = None,
        build_filter: pulumi.Input[Mapping[str, Any]] | None = None,
        disk: pulumi.Input[Mapping[str, Any]] | None = None,
        self_env: pulumi.Input[Mapping[str, str]] | None = None,
        env_vars: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        secret_files: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = {
            "name": name,
            "type": type,
            "runtime": runtime,
            "repo": repo,
            "branch": branch,
            "commit": commit,
            "image": image,
            "root_dir": root_dir,
            "build_command": build_command,
            "start_command": start_command,
            "pre_deploy_command": pre_deploy_command,
            "docker_command": docker_command,
            "dockerfile_path": dockerfile_path,
            "docker_context": docker_context,
            "publish_path": publish_path,
            "schedule": schedule,
            "plan": plan,
            "region": region,
            "health_check_path": health_check_path,
            "num_instances": num_instances,
            "autoscaling": autoscaling,
            "auto_deploy": auto_deploy,
            "build_filter": build_filter,
            "disk": disk,
            "self_env": self_env,
            # Values are secret in state whether or not the caller marked them.
            "env_vars": pulumi.Output.secret(env_vars or {}),
            "secret_files": pulumi.Output.secret(secret_files or {}),
            "adopt_id": adopt_id,
        }
        super().__init__(
            ServiceProvider(),
            resource_name,
            inputs,
            outputs=OUTPUTS,
            secret_outputs=SECRET_OUTPUTS,
            opts=opts,
        )
