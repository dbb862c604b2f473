"""Bringing a process group's machines to the declared spec: release command, rolling update,
scale up and down.

The rule that matters here: nothing is rolled out until the release command has exited 0 on the
new image. A failing release command stops the update with one line and leaves every existing
machine on its old image. Each machine is updated through ``current_version``, so a concurrent
change is refused with 412 and re-read instead of being overwritten blindly. With
``auto_rollback``, a machine that does not start puts the rollout's machines back first.
"""

from __future__ import annotations

import shlex
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from paas_stacks.errors import ConflictError, NotFoundError, ResourceError
from paas_stacks.providers.fly.client import FlyClient
from paas_stacks.providers.fly.machine_spec import (
    MachinesInputs,
    build_config,
    release_config,
)

__all__ = ["RELEASE_TOTAL_SECONDS", "START_TOTAL_SECONDS", "Rollout"]

Machine = dict[str, Any]
#: The wait endpoint blocks at most 60 s per call (spec), so longer waits are several calls.
WAIT_SLICE_SECONDS = 60
START_TOTAL_SECONDS = 300.0
RELEASE_TOTAL_SECONDS = 1800.0
UPDATE_ATTEMPTS = 3


class Rollout:
    """One converge run for one group; ``progress`` tells the person running ``up``."""

    def __init__(
        self, client: FlyClient, inputs: MachinesInputs, progress: Callable[[str], None]
    ) -> None:
        self.client = client
        self.inputs = inputs
        self.app = inputs.app
        self.name = f"Fly Machines '{inputs.app}/{inputs.group}'"
        self.progress = progress

    def converge(self, machines: list[Machine]) -> list[Machine]:
        """Destroy surplus machines, update stale ones one by one, create missing ones."""
        keep, doomed, missing = self._plan(machines)
        stale = [m for m in keep if not self.inputs.matches(m.get("config") or {})]
        if self.inputs.release_command and (stale or missing):
            self.release()
        for machine in doomed:
            self.progress(f"{self.name}: destroying machine {machine['id']} ({machine['region']})")
            self.client.destroy_machine(self.app, machine["id"])
        fresh = {m["id"]: m for m in keep}
        fresh.update(self.roll(stale))
        for region in missing:
            created = self.client.create_machine(self.app, region, build_config(self.inputs))
            self.progress(f"{self.name}: created machine {created['id']} in {region}")
            fresh[created["id"]] = self.started(created)
        return list(fresh.values())

    def _plan(self, machines: list[Machine]) -> tuple[list[Machine], list[Machine], list[str]]:
        """(machines to keep, machines to destroy, one region entry per machine to create)."""
        by_region: dict[str, list[Machine]] = defaultdict(list)
        for machine in machines:
            by_region[machine["region"]].append(machine)
        keep: list[Machine] = []
        doomed: list[Machine] = []
        missing: list[str] = []
        wanted = self.inputs.placement()
        for region, group in by_region.items():
            # Keep machines already on the spec and running first; destroy the newest surplus.
            group.sort(
                key=lambda m: (
                    not self.inputs.matches(m.get("config") or {}),
                    m.get("state") != "started",
                    m.get("created_at") or "",
                )
            )
            count = wanted.get(region, 0)
            keep.extend(group[:count])
            doomed.extend(group[count:])
        for region, count in wanted.items():
            missing.extend([region] * max(0, count - len(by_region.get(region, []))))
        return keep, doomed, missing

    def roll(self, stale: list[Machine]) -> dict[str, Machine]:
        """Update ``stale`` one by one; with ``auto_rollback``, a machine that does not start
        puts every machine updated so far (itself included) back on its previous config."""
        done: dict[str, Machine] = {}
        before: list[Machine] = []
        for index, machine in enumerate(stale, 1):
            self.progress(f"{self.name}: updating machine {machine['id']} ({index}/{len(stale)})")
            before.append(machine)
            try:
                done[machine["id"]] = self.update(machine)
            except ResourceError as failure:
                if not self.inputs.auto_rollback:
                    raise
                self.rollback(before)
                raise ResourceError(
                    f"{failure}; auto_rollback put {len(before)} machine(s) back on their "
                    "previous config"
                ) from None
        return done

    def rollback(self, machines: list[Machine]) -> None:
        """Each machine back on the config it had before this rollout (best effort: a machine
        that cannot be reverted is named and left, the rollout fails anyway)."""
        for machine in machines:
            previous = machine.get("config") or {}
            self.progress(f"{self.name}: auto_rollback: reverting machine {machine['id']}")
            current = self.client.get_machine(self.app, machine["id"])
            if current is None:
                continue
            try:
                self.client.update_machine(
                    self.app, machine["id"], previous, current["instance_id"]
                )
            except ConflictError:
                self.progress(
                    f"{self.name}: machine {machine['id']} changed meanwhile; not reverted"
                )

    # -- one machine ---------------------------------------------------------------------------
    def update(self, machine: Machine) -> Machine:
        """Update through ``current_version``; a conflict (412: that version is stale) means someone
        else changed it: re-read."""
        for attempt in range(UPDATE_ATTEMPTS):
            config = build_config(self.inputs, machine.get("config") or {})
            try:
                updated = self.client.update_machine(
                    self.app, machine["id"], config, machine["instance_id"]
                )
            except ConflictError:
                if attempt == UPDATE_ATTEMPTS - 1:
                    raise
                self.progress(f"{self.name}: machine {machine['id']} changed meanwhile; re-reading")
                reread = self.client.get_machine(self.app, machine["id"])
                if reread is None:
                    raise ResourceError(f"{self.name}: machine {machine['id']} vanished") from None
                machine = reread
                if self.inputs.matches(machine.get("config") or {}):
                    return machine  # our earlier attempt (or someone else) already applied it
                continue
            return self.started(updated)
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    def started(self, machine: Machine) -> Machine:
        """Wait for ``started`` on the machine's current version; return it as it then is."""
        self.wait_for(machine, "started", START_TOTAL_SECONDS)
        return machine

    def wait_for(self, machine: Machine, states: str, total: float) -> Machine:
        """The wait endpoint, called again on each 408 until ``total`` seconds have passed."""
        deadline = time.monotonic() + total
        mid, version = machine["id"], machine.get("instance_id")
        while True:
            left = max(1, min(WAIT_SLICE_SECONDS, int(deadline - time.monotonic())))
            answer = self.client.wait_machine(self.app, mid, states, version, left)
            if answer is not None:
                return answer
            current = self.client.get_machine(self.app, mid) or {}
            state = current.get("state", "gone")
            if state == "failed" and "failed" not in states:
                raise ResourceError(f"{self.name}: machine {mid} failed instead of {states}")
            if time.monotonic() >= deadline:
                raise ResourceError(
                    f"{self.name}: machine {mid} is still {state!r}, not {states}, "
                    f"after {total:.0f}s"
                )
            self.progress(f"{self.name}: machine {mid} is {state!r}; waiting for {states}")

    # -- the release command -------------------------------------------------------------------
    def release(self) -> None:
        """Run the release command once on the new image; raise unless it exits 0."""
        command = self.inputs.release_command or ""
        region = self.inputs.regions[0]
        self.progress(f"{self.name}: running release command {command!r} on {self.inputs.image}")
        machine = self.client.create_machine(self.app, region, release_config(self.inputs))
        final = "unknown"
        try:
            answer = self.wait_for(machine, "stopped,destroyed,failed", RELEASE_TOTAL_SECONDS)
            final = str(answer.get("state"))
            code = self._exit_code(machine["id"])
        finally:
            if final != "destroyed":
                # auto_destroy did not (yet) remove it, or we gave up: leave nothing running.
                self.client.destroy_machine(self.app, machine["id"])
        shown = " ".join(shlex.quote(part) for part in shlex.split(command))
        if code is None and final == "failed":
            raise ResourceError(
                f"{self.name}: release command {shown!r} failed; "
                "nothing was rolled out, machines keep their current image"
            )
        if code not in (None, 0):
            raise ResourceError(
                f"{self.name}: release command {shown!r} exited with code {code}; "
                "nothing was rolled out, machines keep their current image"
            )
        if code is None:
            self.progress(f"{self.name}: release command finished; Fly reported no exit code")

    def _exit_code(self, machine_id: str) -> int | None:
        """The newest ``exit`` event's code (fly-go ``MachineExitEvent.exit_code``), if any."""
        try:
            events = self.client.machine_events(self.app, machine_id)
        except NotFoundError:
            return None
        for event in events:  # newest first
            request = event.get("request") or {}
            exit_event = request.get("exit_event") or {}
            if event.get("type") == "exit" and "exit_code" in exit_event:
                return int(exit_event["exit_code"])
        return None
