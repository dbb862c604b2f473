"""What one process group of machines should look like, and what a live machine says it is.

The rule that matters here: ``spec_of(config)`` (read back from a machine) and
``MachinesInputs.spec()`` (declared) produce the same normalised shape, so comparing them is the
whole drift check. Fly answers ``autostop`` with booleans for ``off``/``stop`` (spec,
``fly.MachineService.autostop``), so both forms are read as the string enum.
"""

from __future__ import annotations

import re
import shlex
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from paas_stacks.providers._resource import Inputs
from paas_stacks.providers.fly.machine_parts import (
    Check,
    HttpCheck,
    Mount,
    Port,
    Service,
    Signal,
    Static,
    checks_of,
    duration,
    mounts_of,
    service_of,
    statics_of,
    stop_of,
)
from paas_stacks.vendors.fly import Autostop, CpuKind

__all__ = [
    "GROUP_KEY",
    "MARKER_KEY",
    "OWNER_KEY",
    "RELEASE_GROUP",
    "Check",
    "HttpCheck",
    "MachinesInputs",
    "Port",
    "Service",
    "build_config",
    "release_config",
    "spec_of",
]

#: flyctl's metadata key for the process group; machines carrying it are the group's.
GROUP_KEY = "fly_process_group"
#: Our own mark, so a machine made by this library is recognisable as such.
OWNER_KEY = "paas_stacks_group"
#: The owning stack's marker (ownership is the app's: this is for people and orphan sweeps).
MARKER_KEY = "paas_stacks_owner"
#: flyctl's group name for release-command machines; never one of the app's groups.
RELEASE_GROUP = "fly_app_release_command"
SPEC_KEYS = (
    "image",
    "cpu_kind",
    "cpus",
    "memory_mb",
    "services",
    "autostop",
    "autostart",
    "min_machines_running",
    "env",
    "init",
    "checks",
    "stop_config",
    "statics",
    "mounts",
)
_REGION = re.compile(r"^[a-z]{3}$")
_GROUP = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


class MachinesInputs(Inputs):
    app: str
    group: str = "app"
    image: str = Field(min_length=1)
    regions: list[str] = Field(min_length=1)
    #: Machines in EACH region (total = count x len(regions)).
    count: int = Field(default=1, ge=1, le=100)
    cpu_kind: CpuKind = "shared"
    cpus: Literal[1, 2, 4, 8, 16] = 1
    memory_mb: int = Field(default=256, ge=256)
    services: list[Service] = Field(default_factory=list)
    autostop: Autostop = "off"
    autostart: bool = True
    min_machines_running: int = Field(default=0, ge=0)
    env: dict[str, str] = Field(default_factory=dict)
    release_command: str | None = None
    #: The container's command and entrypoint (``init.cmd``/``init.entrypoint``); unset: the
    #: image's own CMD and ENTRYPOINT.
    cmd: list[str] | None = None
    entrypoint: list[str] | None = None
    #: Machine checks by name (fly.toml ``[checks]``): what ``fly checks list`` reports.
    checks: dict[str, Check] = Field(default_factory=dict)
    #: How a machine is stopped (``stop_config``): the signal and the grace before a kill.
    kill_signal: Signal | None = None
    kill_timeout: str | None = None
    #: Paths Fly's proxy serves from the image.
    statics: list[Static] = Field(default_factory=list)
    #: Volumes mounted into the machines; unset: mounts made by hand are left alone.
    mounts: list[Mount] = Field(default_factory=list)
    #: On a machine that fails to start after an update, put every machine this rollout
    #: updated back on its previous config (flyctl's ``auto_rollback``) before failing.
    auto_rollback: bool = False

    @field_validator("kill_timeout")
    @classmethod
    def _timeout(cls, value: str | None) -> str | None:
        return None if value is None else duration(value)

    @field_validator("cmd", "entrypoint")
    @classmethod
    def _words(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and not value:
            raise ValueError("a command has at least one word")
        return value

    @field_validator("group")
    @classmethod
    def _group(cls, value: str) -> str:
        if not _GROUP.match(value) or value == RELEASE_GROUP:
            raise ValueError(
                f"a process group name: lowercase letters, digits, '-', '_' "
                f"(not {RELEASE_GROUP!r}); got {value!r}"
            )
        return value

    @field_validator("regions")
    @classmethod
    def _regions(cls, value: list[str]) -> list[str]:
        bad = [r for r in value if not _REGION.match(r)]
        if bad:
            raise ValueError(f"Fly region codes are three lowercase letters (got {bad})")
        return value

    @field_validator("memory_mb")
    @classmethod
    def _memory(cls, value: int) -> int:
        if value % 256:
            raise ValueError(f"memory_mb is a multiple of 256 (got {value})")
        return value

    @model_validator(mode="after")
    def _release(self) -> MachinesInputs:
        if self.release_command is not None and not shlex.split(self.release_command):
            raise ValueError("release_command is empty")
        return self

    def placement(self) -> dict[str, int]:
        return dict.fromkeys(sorted(set(self.regions)), self.count)

    def spec(self) -> dict[str, Any]:
        """The declared machine config in the shape ``spec_of`` reads back."""
        services = [s.declared() for s in self.services]
        scaling = bool(services)
        init = {k: v for k, v in (("cmd", self.cmd), ("entrypoint", self.entrypoint)) if v}
        stop = {
            k: v for k, v in (("signal", self.kill_signal), ("timeout", self.kill_timeout)) if v
        }
        return {
            "image": self.image,
            "cpu_kind": self.cpu_kind,
            "cpus": self.cpus,
            "memory_mb": self.memory_mb,
            "services": services,
            # Autostop and friends live on each service; without services they mean nothing.
            "autostop": self.autostop if scaling else None,
            "autostart": self.autostart if scaling else None,
            "min_machines_running": self.min_machines_running if scaling else None,
            "env": dict(self.env),
            "init": init or None,
            "checks": {n: c.model_dump() for n, c in self.checks.items()} or None,
            "stop_config": stop or None,
            "statics": [s.model_dump() for s in self.statics] or None,
            "mounts": [m.model_dump() for m in self.mounts] or None,
        }

    def matches(self, config: dict[str, Any]) -> bool:
        """A live machine's config is on this spec (mounts count only when declared)."""
        live, desired = spec_of(config), self.spec()
        if desired["mounts"] is None:
            live["mounts"] = None
        return live == desired


def build_config(inputs: MachinesInputs, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """The machine config to send: ``base`` (the live config) with our keys set over it, so
    settings this resource does not manage (mounts, files...) survive a rollout."""
    services = [
        {
            "protocol": s.protocol,
            "internal_port": s.internal_port,
            "ports": [p.model_dump() for p in s.ports],
            "autostop": inputs.autostop,
            "autostart": inputs.autostart,
            "min_machines_running": inputs.min_machines_running,
            "checks": [
                {"type": "http", "protocol": "http", **c.model_dump()} for c in s.http_checks
            ],
            **({"concurrency": s.concurrency.model_dump()} if s.concurrency else {}),
        }
        for s in inputs.services
    ]
    metadata = {
        **(base or {}).get("metadata", {}),
        GROUP_KEY: inputs.group,
        OWNER_KEY: inputs.group,
        **({MARKER_KEY: inputs.owner} if inputs.owner else {}),
    }
    guest = {"cpu_kind": inputs.cpu_kind, "cpus": inputs.cpus, "memory_mb": inputs.memory_mb}
    config = {
        **(base or {}),
        "image": inputs.image,
        "guest": guest,
        "env": dict(inputs.env),
        "services": services,
        "metadata": metadata,
    }
    return _declared_parts(config, inputs)


def _declared_parts(config: dict[str, Any], inputs: MachinesInputs) -> dict[str, Any]:
    """Set the optional parts that are declared and drop those that are not (a removed
    ``cmd`` must stop being the command); other ``init`` keys and undeclared mounts stay."""
    spec = inputs.spec()
    init = {k: v for k, v in (config.get("init") or {}).items() if k not in ("cmd", "entrypoint")}
    init.update(spec["init"] or {})
    parts: dict[str, Any] = {
        "init": init or None,
        "checks": {n: c.config() for n, c in inputs.checks.items()} or None,
        "stop_config": spec["stop_config"],
        "statics": spec["statics"],
    }
    if inputs.mounts:
        parts["mounts"] = spec["mounts"]
    for key, value in parts.items():
        if value is None:
            config.pop(key, None)
        else:
            config[key] = value
    return config


def release_config(inputs: MachinesInputs) -> dict[str, Any]:
    """A one-off machine: the new image running the release command once, then destroyed."""
    assert inputs.release_command is not None  # noqa: S101 - callers check first
    guest = {"cpu_kind": inputs.cpu_kind, "cpus": inputs.cpus, "memory_mb": inputs.memory_mb}
    return {
        "image": inputs.image,
        "guest": guest,
        "env": {**inputs.env, "RELEASE_COMMAND": "1"},
        "init": {"cmd": shlex.split(inputs.release_command)},
        "restart": {"policy": "no"},
        "auto_destroy": True,
        "metadata": {GROUP_KEY: RELEASE_GROUP, OWNER_KEY: f"{inputs.group}:release"},
    }


def spec_of(config: dict[str, Any]) -> dict[str, Any]:
    """The compared fields of one live machine's config, normalised like ``spec()``."""
    guest = config.get("guest") or {}
    raw = list(config.get("services") or [])
    services = [service_of(s) for s in raw]
    first = raw[0] if raw else {}
    return {
        "image": config.get("image"),
        "cpu_kind": guest.get("cpu_kind", "shared"),
        "cpus": guest.get("cpus", 1),
        "memory_mb": guest.get("memory_mb", 256),
        "services": services,
        "autostop": _autostop(first.get("autostop")) if raw else None,
        "autostart": bool(first.get("autostart", True)) if raw else None,
        "min_machines_running": int(first.get("min_machines_running") or 0) if raw else None,
        "env": dict(config.get("env") or {}),
        "init": _init_of(config.get("init")),
        "checks": checks_of(config.get("checks")),
        "stop_config": stop_of(config.get("stop_config")),
        "statics": statics_of(config.get("statics")),
        "mounts": mounts_of(config.get("mounts")),
    }


def _init_of(init: dict[str, Any] | None) -> dict[str, Any] | None:
    found = {k: list(v) for k in ("cmd", "entrypoint") if (v := (init or {}).get(k))}
    return found or None


def _autostop(value: Any) -> str:
    if value is True:
        return "stop"
    if value in (False, None):
        return "off"
    return str(value)
