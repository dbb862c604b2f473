"""The small fly.toml values the converter reshapes: durations, memory sizes, ``[[vm]]``,
``[checks]``, ``[[mounts]]`` and ``concurrency``.

The rule that matters here: a value is turned into ours only when it means the same thing;
anything else about it is a ``partly:`` or ``dropped:`` note on the component.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from paas_stacks.convert.render_yaml import Conversion
from paas_stacks.vendors import fly

__all__ = ["check", "concurrency", "duration", "for_process", "memory_mb", "mount", "size_of"]

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(gb|g|mb|m)?\s*$", re.IGNORECASE)
#: Check keys we carry; the rest (headers, protocol, tls_*) are noted as dropped.
CHECK_KEYS = ("type", "port", "path", "method", "interval", "timeout", "grace_period")


def for_process(section: Mapping[str, Any], process: str | None) -> bool:
    """A section with no ``processes`` applies to every process group (fly.toml)."""
    names = section.get("processes") or []
    return not names or process is None or process in names


def duration(value: Any) -> str:
    """fly.toml durations: a number of seconds (``kill_timeout = 5``) or a string (``"5s"``)."""
    return f"{int(value)}s" if isinstance(value, int | float) else str(value)


def memory_mb(value: Any) -> int | None:
    """``"1gb"``, ``"512mb"``, ``1024`` (MB) -> MB; ``None`` when unreadable."""
    if isinstance(value, int):
        return value
    match = _SIZE.match(str(value))
    if not match:
        return None
    number, unit = float(match.group(1)), (match.group(2) or "mb").lower()
    return int(number * 1024) if unit.startswith("g") else int(number)


def size_of(
    out: Conversion, at: tuple[str, str], path: str, vm: Mapping[str, Any]
) -> dict[str, Any]:
    """``[[vm]]``: ``size`` (a preset) or ``cpu_kind`` + ``cpus``, and ``memory``."""
    found: dict[str, Any] = {}
    size = vm.get("size")
    if size is None and "cpus" in vm:
        kind = vm.get("cpu_kind", "shared")
        size = f"shared-cpu-{vm['cpus']}x" if kind == "shared" else f"performance-{vm['cpus']}x"
    if size in fly.SIZES:
        found["size"] = size
    elif size is not None:
        out.drop(at, f"{path}.size", f"{size!r} is not a Fly preset paas-stacks knows")
    memory = vm.get("memory", vm.get("memory_mb"))
    if memory is not None:
        mb = memory_mb(memory)
        if mb is not None and mb % 256 == 0:
            found["memory_mb"] = mb
        else:
            out.drop(at, f"{path}.memory", f"{memory!r} is not a multiple of 256 MB")
    for key in sorted(set(vm) - {"size", "cpus", "cpu_kind", "memory", "memory_mb", "processes"}):
        out.drop(at, f"{path}.{key}", "GPUs and other machine settings are not managed")
    return found


def check(
    out: Conversion, at: tuple[str, str], path: str, body: Mapping[str, Any]
) -> dict[str, Any]:
    found = {key: body[key] for key in CHECK_KEYS if key in body}
    for key in ("interval", "timeout", "grace_period"):
        if key in found:
            found[key] = duration(found[key])
    if "method" in found:
        found["method"] = str(found["method"]).upper()
    for key in sorted(set(body) - {*CHECK_KEYS, "processes"}):
        out.drop(at, f"{path}.{key}", "not carried into the machine check")
    return found


def concurrency(body: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("type", "soft_limit", "hard_limit")
    return {key: body[key] for key in keys if key in body}


def mount(
    out: Conversion, at: tuple[str, str], path: str, body: Mapping[str, Any]
) -> dict[str, Any]:
    """``[[mounts]]``: ``source`` (the volume's name), ``destination``, ``initial_size``."""
    found: dict[str, Any] = {"name": str(body["source"]), "mount_path": str(body["destination"])}
    if "initial_size" in body:
        mb = memory_mb(body["initial_size"])
        found["size_gb"] = max(1, (mb or 1024) // 1024)
    for key in sorted(set(body) - {"source", "destination", "initial_size", "processes"}):
        out.drop(at, f"{path}.{key}", "volume auto-extension and snapshots are Fly's defaults")
    return found
