"""A Fly app's ``fly.toml`` as a paas-stacks environment: one Fly service whose process groups
are fly.toml's ``[processes]``.

The rule that matters here: every key of the file is accounted for (mapped, mapped in part
with a ``partly:`` note, or dropped with a ``dropped:`` note, as for a Blueprint), and the
process that takes ``[http_service]`` (or the first public ``[[services]]``) becomes the
service's own process, the others its ``processes``, each with the ``[[vm]]``, ``[checks]``
and commands fly.toml gives it. Key names follow fly.io/docs/reference/configuration/.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from typing import Any

from paas_stacks.convert.fly_toml_parts import (
    check,
    concurrency,
    duration,
    for_process,
    mount,
    size_of,
)
from paas_stacks.convert.render_yaml import Conversion, slug
from paas_stacks.vendors import fly

__all__ = ["convert_fly_toml"]

#: Top-level keys with no equivalent, and why.
DROPPED = {
    "swap_size_mb": "swap is not managed by paas-stacks",
    "console_command": "fly console is not managed by paas-stacks",
    "metrics": "Fly's metrics scraping is not managed by paas-stacks",
    "files": "files written into machines are not managed by paas-stacks; bake them into the "
    "image or pass them as env",
    "restart": "the restart policy is Fly's default (on failure)",
    "host_dedication_id": "dedicated hosts are not managed by paas-stacks",
    "cron": "Fly cron machines are not managed; run a worker with its own scheduler",
}
#: Keys the converter reads.
KNOWN = {
    "app",
    "primary_region",
    "kill_signal",
    "kill_timeout",
    "build",
    "deploy",
    "env",
    "http_service",
    "services",
    "checks",
    "mounts",
    "processes",
    "statics",
    "vm",
    "experimental",
}


def convert_fly_toml(doc: Mapping[str, Any]) -> Conversion:
    """``doc`` (a parsed ``fly.toml``) as an environment object with one service."""
    out = Conversion()
    name = slug(str(doc.get("app") or "app"))
    at = ("services", name)
    top = ("environment", "")
    for key in doc:
        if key not in KNOWN:
            out.drop(top, key, DROPPED.get(key, "not a fly.toml key paas-stacks knows"))
    processes = {str(k): str(v) for k, v in (doc.get("processes") or {}).items()}
    own = _own_process(doc, processes)
    body: dict[str, Any] = {"platform": "fly"}
    body.update(_source(out, at, doc))
    if "app" in doc:
        out.part(
            at,
            "app",
            f"the Fly app is named <environment>-{name}; add adopt_id: {doc['app']} to take over "
            "the existing app (its machines of the same process groups are converged)",
        )
    if doc.get("primary_region") in fly.REGIONS:
        body["region"] = doc["primary_region"]
    elif "primary_region" in doc:
        out.drop(at, "primary_region", f"{doc['primary_region']!r} is not a current Fly region")
    for key in ("kill_signal", "kill_timeout"):
        if key in doc:
            body[key] = duration(doc[key]) if key == "kill_timeout" else doc[key]
    body.update(_commands(out, at, doc, processes, own))
    body.update(_env(doc))
    body.update(_deploy(out, at, doc.get("deploy") or {}))
    served = _http(out, at, doc, own)
    body.update(served)
    body["kind"] = "web" if "port" in served else "worker"
    body.update(_vm(out, at, doc, own))
    checks = {**body.pop("checks", {}), **_checks(out, at, doc, own).get("checks", {})}
    if checks:
        body["checks"] = checks
    body.update(_mounts(out, at, doc, own))
    body.update(_statics(out, at, doc))
    extra = _processes(out, doc, processes, own, at)
    if extra:
        body["processes"] = extra
    if body.get("disk") and "autoscaling" in body:
        del body["autoscaling"]
        out.part(
            at, "http_service.min_machines_running", "a service with a volume runs one machine"
        )
    out.put("services", name, {k: body[k] for k in _order(body)})
    return out


def _order(body: dict[str, Any]) -> list[str]:
    first = ["platform", "kind", "image", "build", "region", "start_command", "process"]
    return [k for k in first if k in body] + [k for k in body if k not in first]


def _own_process(doc: Mapping[str, Any], processes: dict[str, str]) -> str | None:
    """The process that takes the traffic: ``[http_service]``'s, else the first
    ``[[services]]``', else ``app`` or the first process (fly.toml's default group)."""
    if not processes:
        return None
    for section in (doc.get("http_service") or {}, *(doc.get("services") or [])):
        names = section.get("processes") or []
        if names:
            return str(names[0])
    return "app" if "app" in processes else next(iter(processes))


def _source(out: Conversion, at: tuple[str, str], doc: Mapping[str, Any]) -> dict[str, Any]:
    """The image: ``[build] image`` runs as is; a Dockerfile build becomes ``build:``."""
    section = dict(doc.get("build") or {})
    found: dict[str, Any] = {}
    if "image" in section:
        found["image"] = section.pop("image")
    else:
        found["image"] = f"registry.fly.io/{doc.get('app') or 'app'}"
        found["build"] = {}
        if "dockerfile" in section:
            found["build"]["dockerfile"] = section.pop("dockerfile")
        if "build-target" in section:
            found["build"]["target"] = section.pop("build-target")
        out.part(
            at,
            "build",
            "the workflows build the image from the Dockerfile and push it to "
            f"{found['image']} (fly deploy's remote builder is not used)",
        )
    for key in section:
        out.drop(at, f"build.{key}", "only image, dockerfile and build-target are mapped")
    return found


def _commands(
    out: Conversion,
    at: tuple[str, str],
    doc: Mapping[str, Any],
    processes: dict[str, str],
    own: str | None,
) -> dict[str, Any]:
    experimental = dict(doc.get("experimental") or {})
    found: dict[str, Any] = {}
    if own is not None:
        found["process"] = own
        found["start_command"] = processes[own]
    elif "cmd" in experimental:
        found["start_command"] = _line(experimental["cmd"])
    experimental.pop("cmd", None)
    if "entrypoint" in experimental:
        found["entrypoint"] = _line(experimental.pop("entrypoint"))
    if "auto_rollback" in experimental:
        found["auto_rollback"] = bool(experimental.pop("auto_rollback"))
    for key in experimental:
        out.drop(at, f"experimental.{key}", "not managed by paas-stacks")
    return found


def _line(value: Any) -> str:
    return shlex.join(str(v) for v in value) if isinstance(value, list) else str(value)


def _env(doc: Mapping[str, Any]) -> dict[str, Any]:
    env = {str(k): str(v) for k, v in (doc.get("env") or {}).items()}
    return {"env": env} if env else {}


def _deploy(out: Conversion, at: tuple[str, str], deploy: Mapping[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in deploy.items():
        if key == "release_command":
            found["pre_deploy_command"] = str(value)
        elif key == "strategy" and value == "rolling":
            continue  # what the Machines provider does: one machine at a time
        else:
            out.drop(at, f"deploy.{key}", "machines are updated one at a time (rolling)")
    return found


def _http(
    out: Conversion, at: tuple[str, str], doc: Mapping[str, Any], own: str | None
) -> dict[str, Any]:
    """``[http_service]`` (or the first public ``[[services]]``) as the web process."""
    http = dict(doc.get("http_service") or {})
    services = list(doc.get("services") or [])
    if not http and services:
        http = _from_services(out, at, services)
    elif services:
        for index in range(len(services)):
            out.drop(at, f"services[{index}]", "only one public service per app is mapped")
    if not http:
        return {}
    found: dict[str, Any] = {"port": int(http.pop("internal_port", 8080))}
    http.pop("processes", None)
    if http.pop("force_https", True) is False:
        out.part(at, "http_service.force_https", "paas-stacks always redirects HTTP to HTTPS")
    found.update(_scaling(out, at, http))
    found.update(_probes(out, at, http, found["port"]))
    for key in http:
        out.drop(at, f"http_service.{key}", "not managed by paas-stacks")
    return found


def _scaling(out: Conversion, at: tuple[str, str], http: dict[str, Any]) -> dict[str, Any]:
    """Autostop and the machines kept running; fly.toml has no machine count."""
    found: dict[str, Any] = {}
    stop = http.pop("auto_stop_machines", None)
    if stop is not None:
        found["autostop"] = {True: "stop", False: "off"}.get(stop, stop)
    if http.pop("auto_start_machines", True) is False:
        out.part(at, "http_service.auto_start_machines", "Fly's proxy always starts machines")
    running = int(http.pop("min_machines_running", 0))
    if found.get("autostop", "off") != "off":
        found["autoscaling"] = {"min": running, "max": max(running, 1)}
        out.part(
            at,
            "http_service",
            "fly.toml has no machine count (fly scale count sets it): autoscaling.max is the "
            "number of machines; raise it to taste",
        )
    if "concurrency" in http:
        found["concurrency"] = concurrency(http.pop("concurrency"))
    return found


def _probes(
    out: Conversion, at: tuple[str, str], http: dict[str, Any], port: int
) -> dict[str, Any]:
    """The first HTTP check's path gates deploys; ``[[services.tcp_checks]]`` become machine
    checks on the service's port."""
    found: dict[str, Any] = {}
    tcp = {}
    for index, probe in enumerate(http.pop("tcp_checks", None) or []):
        path = f"services[0].tcp_checks[{index}]"
        tcp[f"tcp-{index}"] = {"type": "tcp", "port": port, **check(out, at, path, probe)}
    if tcp:
        found["checks"] = tcp
    for index, probe in enumerate(http.pop("checks", None) or []):
        path = f"http_service.checks[{index}]"
        if index == 0:
            found["health_check_path"] = str(probe.get("path", "/"))
            rest = sorted(set(probe) - {"path"})
            if rest:
                out.part(at, path, f"the path gates deploys; Fly's defaults replace {rest}")
        else:
            out.drop(at, path, "one HTTP health check per service (health_check_path)")
    return found


def _from_services(
    out: Conversion, at: tuple[str, str], services: list[Mapping[str, Any]]
) -> dict[str, Any]:
    first = dict(services[0])
    for index in range(1, len(services)):
        out.drop(at, f"services[{index}]", "only one public service per app is mapped")
    http: dict[str, Any] = {"internal_port": first.pop("internal_port", 8080)}
    for key in (
        "auto_stop_machines",
        "auto_start_machines",
        "min_machines_running",
        "concurrency",
        "processes",
    ):
        if key in first:
            http[key] = first.pop(key)
    http["checks"] = first.pop("http_checks", [])
    http["tcp_checks"] = first.pop("tcp_checks", [])
    first.pop("protocol", None)
    first.pop("ports", None)
    out.part(at, "services[0]", "mapped as the web process: ports 80 (HTTP, to HTTPS) and 443")
    for key in first:
        out.drop(at, f"services[0].{key}", "not managed by paas-stacks")
    return http


def _vm(
    out: Conversion, at: tuple[str, str], doc: Mapping[str, Any], own: str | None
) -> dict[str, Any]:
    raw = doc.get("vm") or []
    vms = [raw] if isinstance(raw, Mapping) else list(raw)
    for index, vm in enumerate(vms):
        if for_process(vm, own):
            return size_of(out, at, f"vm[{index}]", vm)
    return {}


def _checks(
    out: Conversion, at: tuple[str, str], doc: Mapping[str, Any], own: str | None
) -> dict[str, Any]:
    found = {
        str(name): check(out, at, f"checks.{name}", body)
        for name, body in (doc.get("checks") or {}).items()
        if for_process(body, own)
    }
    return {"checks": found} if found else {}


def _mounts(
    out: Conversion, at: tuple[str, str], doc: Mapping[str, Any], own: str | None
) -> dict[str, Any]:
    raw = doc.get("mounts") or []
    mounts = [raw] if isinstance(raw, Mapping) else list(raw)
    found: dict[str, Any] = {}
    for index, body in enumerate(mounts):
        path = f"mounts[{index}]"
        if found or not for_process(body, own):
            out.drop(at, path, "one volume per service, mounted by its own process")
            continue
        found = {"disk": mount(out, at, path, body)}
    return found


def _statics(out: Conversion, at: tuple[str, str], doc: Mapping[str, Any]) -> dict[str, Any]:
    found = []
    for index, body in enumerate(doc.get("statics") or []):
        found.append({"guest_path": body["guest_path"], "url_prefix": body["url_prefix"]})
        for key in sorted(set(body) - {"guest_path", "url_prefix"}):
            out.drop(at, f"statics[{index}].{key}", "Tigris-backed statics are not managed")
    return {"statics": found} if found else {}


def _processes(
    out: Conversion,
    doc: Mapping[str, Any],
    processes: dict[str, str],
    own: str | None,
    at: tuple[str, str],
) -> dict[str, Any]:
    """Every other process group: its command, ``[[vm]]`` and ``[checks]``."""
    found: dict[str, Any] = {}
    raw = doc.get("vm") or []
    vms = [raw] if isinstance(raw, Mapping) else list(raw)
    for name, command in processes.items():
        if name == own:
            continue
        body: dict[str, Any] = {"start_command": command}
        for index, vm in enumerate(vms):
            if for_process(vm, name):
                body.update(size_of(out, at, f"vm[{index}]", vm))
        checks = {
            str(key): check(out, at, f"checks.{key}", value)
            for key, value in (doc.get("checks") or {}).items()
            if for_process(value, name)
        }
        if checks:
            body["checks"] = checks
        found[name] = body
    return found
