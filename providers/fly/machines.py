"""Fly Machines: ONE process group of an app, as ``count`` machines in each listed region.

The rule that matters here: the group's machines are the app's machines whose metadata says
``fly_process_group=<group>``; the outputs are read back from their configs, and a field on
which the machines disagree is reported as a marker that never equals the declared value, so a
hand-edited machine shows up as drift and the next ``up`` rolls it back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, final

import pulumi

from paas_stacks.providers._resource import Inputs, Live, VendorResource, is_unknown
from paas_stacks.providers.fly.base import FlyProvider
from paas_stacks.providers.fly.machine_spec import GROUP_KEY, SPEC_KEYS, MachinesInputs, spec_of
from paas_stacks.providers.fly.rollout import Rollout

__all__ = ["MIXED", "Machines", "MachinesProvider"]

#: Reported for a field on which the group's machines disagree.
MIXED = "(differs between machines)"


@final
class MachinesProvider(FlyProvider[MachinesInputs]):
    kind: ClassVar[str] = "Fly Machines"
    inputs_type: ClassVar[type[Inputs]] = MachinesInputs
    #: ``placement`` ({region: machines}) is derived from ``regions`` and ``count``.
    compared: ClassVar[tuple[str, ...]] = ("app", "group", "placement", *SPEC_KEYS)
    # ``app`` and ``group`` say which machines are this resource's; everything else is changed
    # in place by POST /apps/{app}/machines/{id} (spec: "Update Machine") or create/destroy.
    replace_on: ClassVar[tuple[str, ...]] = ("app", "group")
    #: Mounts made by hand are left alone unless the resource declares some.
    optional: ClassVar[tuple[str, ...]] = ("mounts",)
    delete_first: ClassVar[bool] = False

    def desired(self, inputs: MachinesInputs) -> dict[str, Any]:
        return {
            "app": inputs.app,
            "group": inputs.group,
            "placement": inputs.placement(),
            **inputs.spec(),
        }

    def changed_keys(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
        # ``placement`` is no input, so an unknown ``regions``/``count`` must mark it changed.
        hidden = [key for key in ("regions", "count") if is_unknown(news.get(key))]
        if not hidden:
            return super().changed_keys(olds, news)
        known = {**news, **{key: olds.get(key) for key in hidden}}
        changed = super().changed_keys(olds, known)
        return changed if "placement" in changed else [*changed, "placement"]

    def find(self, inputs: MachinesInputs) -> Live | None:
        return self._group(inputs.app, inputs.group)

    def create_new(self, inputs: MachinesInputs) -> Live:
        machines = Rollout(self.client, inputs, self.progress).converge([])
        return {"app": inputs.app, "group": inputs.group, "machines": machines}

    def fetch(self, id_: str, previous: Mapping[str, Any]) -> Live | None:
        app, _, group = id_.partition("/")
        return self._group(app, group)

    def change(
        self, id_: str, inputs: MachinesInputs, changed: Sequence[str], previous: Mapping[str, Any]
    ) -> Live:
        live = self._group(inputs.app, inputs.group)
        current = live["machines"] if live else []
        machines = Rollout(self.client, inputs, self.progress).converge(current)
        return {"app": inputs.app, "group": inputs.group, "machines": machines}

    def remove(self, id_: str, previous: Mapping[str, Any]) -> None:
        app, _, group = id_.partition("/")
        live = self._group(app, group)
        for machine in live["machines"] if live else []:
            self.client.destroy_machine(app, machine["id"])

    def identify(self, live: Live) -> str:
        return f"{live['app']}/{live['group']}"

    def observe(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        machines = sorted(live["machines"], key=lambda m: str(m["id"]))
        specs = [spec_of(m.get("config") or {}) for m in machines]
        placement = dict(sorted(Counter(str(m["region"]) for m in machines).items()))
        outputs: dict[str, Any] = {"app": live["app"], "group": live["group"]}
        for key in SPEC_KEYS:
            values = [spec[key] for spec in specs]
            outputs[key] = values[0] if values and all(v == values[0] for v in values) else MIXED
        counts = set(placement.values())
        digests = {str(d) for m in machines if (d := (m.get("image_ref") or {}).get("digest"))}
        outputs.update(
            # What the registry resolved the image to, as every machine reports it.
            image_digest=digests.pop() if len(digests) == 1 else MIXED if digests else None,
            placement=placement,
            regions=list(placement),
            # Per region; a group whose regions disagree reports the smallest (placement holds
            # the full picture and is what is compared).
            count=min(counts) if counts else 0,
            machine_ids=[str(m["id"]) for m in machines],
        )
        return outputs

    def label(self, inputs: Mapping[str, Any], id_: str | None = None) -> str:
        if inputs.get("app") and inputs.get("group"):
            return f"Fly Machines '{inputs['app']}/{inputs['group']}'"
        return f"Fly Machines '{id_ or inputs.get('app') or '?'}'"

    def _group(self, app: str, group: str) -> Live | None:
        """The group's live machines, or ``None`` when the app or every machine is gone."""
        machines = self.client.list_machines(app)
        mine = [
            m
            for m in machines or []
            if ((m.get("config") or {}).get("metadata") or {}).get(GROUP_KEY) == group
            and m.get("state") != "destroyed"
        ]
        return {"app": app, "group": group, "machines": mine} if mine else None


def _given(value: Any) -> bool:
    """Declared: not ``None``, not ``False``, not an empty list or map (Outputs count)."""
    if value is None or value is False:
        return False
    return not (isinstance(value, list | dict | tuple) and not value)


@final
class Machines(VendorResource, module="fly", name="Machines"):
    """One process group of a Fly app: ``count`` machines in EACH region of ``regions``.

    Replaced when ``app`` or ``group`` changes (they name the machines that belong to it).
    Everything else changes in place: config through POST /apps/{app}/machines/{id} with
    ``current_version`` (one machine at a time, each waited for ``started``), scale through
    create/destroy. ``release_command`` runs once on the new image before any rollout.
    """

    app: pulumi.Output[str]
    group: pulumi.Output[str]
    image: pulumi.Output[str]
    regions: pulumi.Output[list[str]]
    count: pulumi.Output[int]
    placement: pulumi.Output[dict[str, int]]
    cpu_kind: pulumi.Output[str]
    cpus: pulumi.Output[int]
    memory_mb: pulumi.Output[int]
    services: pulumi.Output[list[dict[str, Any]]]
    autostop: pulumi.Output[str | None]
    autostart: pulumi.Output[bool | None]
    min_machines_running: pulumi.Output[int | None]
    env: pulumi.Output[dict[str, str]]
    machine_ids: pulumi.Output[list[str]]
    #: The digest the machines' image resolved to (``image_ref.digest``).
    image_digest: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        *,
        app: pulumi.Input[str],
        image: pulumi.Input[str],
        regions: pulumi.Input[Sequence[pulumi.Input[str]]],
        group: pulumi.Input[str] | None = None,
        count: pulumi.Input[int] | None = None,
        cpu_kind: pulumi.Input[str] | None = None,
        cpus: pulumi.Input[int] | None = None,
        memory_mb: pulumi.Input[int] | None = None,
        services: pulumi.Input[Sequence[pulumi.Input[Mapping[str, Any]]]] | None = None,
        autostop: pulumi.Input[str] | None = None,
        autostart: pulumi.Input[bool] | None = None,
        min_machines_running: pulumi.Input[int] | None = None,
        env: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        release_command: pulumi.Input[str] | None = None,
        cmd: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        entrypoint: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        checks: pulumi.Input[Mapping[str, pulumi.Input[Mapping[str, Any]]]] | None = None,
        kill_signal: pulumi.Input[str] | None = None,
        kill_timeout: pulumi.Input[str] | None = None,
        statics: pulumi.Input[Sequence[pulumi.Input[Mapping[str, Any]]]] | None = None,
        mounts: pulumi.Input[Sequence[pulumi.Input[Mapping[str, Any]]]] | None = None,
        auto_rollback: pulumi.Input[bool] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = {
            "app": app,
            "group": group,
            "image": image,
            "regions": regions,
            "count": count,
            "cpu_kind": cpu_kind,
            "cpus": cpus,
            "memory_mb": memory_mb,
            "services": services,
            "autostop": autostop,
            "autostart": autostart,
            "min_machines_running": min_machines_running,
            "env": env,
            "release_command": release_command,
            # Unset parts stay out of the inputs, so a state written before they existed
            # reads the same.
            **{
                key: value
                for key, value in {
                    "cmd": cmd,
                    "entrypoint": entrypoint,
                    "checks": checks,
                    "kill_signal": kill_signal,
                    "kill_timeout": kill_timeout,
                    "statics": statics,
                    "mounts": mounts,
                    "auto_rollback": auto_rollback,
                }.items()
                if _given(value)
            },
        }
        outputs = ("placement", "machine_ids", "image_digest")
        super().__init__(MachinesProvider(), resource_name, inputs, outputs=outputs, opts=opts)
