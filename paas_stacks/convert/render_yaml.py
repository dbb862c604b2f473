"""A Render Blueprint (``render.yaml``) as a paas-stacks environment object.

The rule that matters here: every key of the Blueprint is accounted for: mapped, mapped in part
(a ``partly:`` note saying what changed) or dropped (a ``dropped:`` note saying why), each note
attached to the component it came from, so nothing disappears silently. Key names and meanings
follow render.com/docs/blueprint-spec.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from paas_stacks.vendors import render

__all__ = ["Conversion", "convert_blueprint"]

#: Blueprint service types -> our kinds (``keyvalue``/``redis`` become caches).
KINDS = {"web": "web", "pserv": "private", "worker": "worker", "cron": "cron"}
CACHE_TYPES = ("keyvalue", "redis")
#: Blueprint ``fromDatabase``/``fromService`` properties -> ours.
PROPERTIES = {
    "connectionString": "connection_string",
    "host": "host",
    "port": "port",
    "hostport": "hostport",
    "user": "user",
    "password": "password",
    "database": "database",
}
#: Render's legacy Postgres instance types -> the current ones with the same memory
#: (render.com/docs/postgresql-refresh: Starter 256 MB, Standard 1 GB, Pro 4 GB, Pro Plus 8 GB).
LEGACY_POSTGRES = {
    "starter": "basic_256mb",
    "standard": "basic_1gb",
    "pro": "pro_4gb",
    "pro_plus": "pro_8gb",
}
#: Service keys copied under a new name, unchanged in meaning.
SERVICE_KEYS = {
    "branch": "branch",
    "rootDir": "root_dir",
    "buildCommand": "build_command",
    "startCommand": "start_command",
    "preDeployCommand": "pre_deploy_command",
    "healthCheckPath": "health_check_path",
    "schedule": "schedule",
    "numInstances": "instances",
    "region": "region",
    "dockerfilePath": "dockerfile",
    "dockerContext": "docker_context",
}
#: Keys with no equivalent, and why.
DROPPED = {
    "previews": "pull-request previews are python -m paas_stacks.preview's (see the README)",
    "pullRequestPreviewsEnabled": "pull-request previews are python -m paas_stacks.preview's",
    "previewPlan": "preview environments use the base stack's plans",
    "maxShutdownDelaySeconds": "not managed by paas-stacks",
    "registryCredential": "registry credentials are not managed by paas-stacks",
    "initialDeployHook": "not managed by paas-stacks",
    "readReplicas": "Render read replicas are not managed by paas-stacks",
    "headers": "static site headers are not managed by paas-stacks",
    "routes": "static site redirects and rewrites are not managed by paas-stacks",
    "projects": "Render projects and environments are not managed; one stack is one environment",
    "version": "the Blueprint's own version has no meaning in a stack file",
    "previewsEnabled": "pull-request previews are python -m paas_stacks.preview's (see the README)",
    "previewValue": "a preview environment uses the base stack's values",
    "ungrouped": "Render projects and environments are not managed; one stack is one environment",
}


@dataclass
class Conversion:
    """The environment object, and the notes per component (``(section, name)``)."""

    environment: dict[str, Any] = field(default_factory=dict)
    notes: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    #: Paths of keys dropped whole, and of keys mapped in part.
    dropped: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)

    def put(self, section: str, name: str, body: dict[str, Any]) -> None:
        self.environment.setdefault(section, {})[name] = body

    def drop(self, at: tuple[str, str], path: str, why: str) -> None:
        self.dropped.append(path)
        self.notes.setdefault(at, []).append(f"dropped: {path}: {why}")

    def part(self, at: tuple[str, str], path: str, what: str) -> None:
        self.partial.append(path)
        self.notes.setdefault(at, []).append(f"partly: {path}: {what}")


def slug(name: str) -> str:
    """A Blueprint name as a component name (lowercase letters, digits, ``-``; 24 at most)."""
    text = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    text = text if text[:1].isalpha() else f"x-{text}"
    return text[:24].rstrip("-")


def convert_blueprint(blueprint: Mapping[str, Any], repo: str | None = None) -> Conversion:
    """``blueprint`` (a parsed ``render.yaml``) as an environment object; ``repo`` fills in
    services that build from the Blueprint's own repository (Render's default)."""
    out = Conversion()
    top = ("environment", "")
    for key in blueprint:
        if key not in ("services", "databases", "envVarGroups"):
            out.drop(top, key, DROPPED.get(key, "not a Blueprint key paas-stacks knows"))
    for index, database in enumerate(blueprint.get("databases") or []):
        _database(out, f"databases[{index}]", database)
    for index, group in enumerate(blueprint.get("envVarGroups") or []):
        _group(out, f"envVarGroups[{index}]", group)
    for index, service in enumerate(blueprint.get("services") or []):
        path = f"services[{index}]"
        if service.get("type") in CACHE_TYPES:
            _cache(out, path, service)
        elif service.get("runtime", service.get("env")) == "static":
            _static(out, path, service, repo)
        else:
            _service(out, path, service, repo)
    _unknown_targets(out)
    return out


def _unknown_targets(out: Conversion) -> None:
    """A link to something the Blueprint does not declare (a group or database made by hand
    in the dashboard) cannot be wired: it is dropped, with the name."""
    known = {name for entries in out.environment.values() for name in entries}
    for section in ("services", "env_groups", "static_sites"):
        for name, body in out.environment.get(section, {}).items():
            kept = []
            for link in body.get("links", []):
                target = link if isinstance(link, str) else link["to"]
                if target in known:
                    kept.append(link)
                else:
                    out.drop(
                        (section, name),
                        f"{name}: link to {target!r}",
                        "not declared in this Blueprint (made in the dashboard?); declare it "
                        "in the stack file or set the variables by hand",
                    )
            if kept:
                body["links"] = kept
            else:
                body.pop("links", None)


def _allow_list(entries: list[Mapping[str, Any]]) -> list[Any]:
    return [
        {"cidr": e["source"], "description": e["description"]}
        if e.get("description")
        else e["source"]
        for e in entries
    ]


def _database(out: Conversion, path: str, db: Mapping[str, Any]) -> None:
    name = slug(str(db["name"]))
    at = ("postgres", name)
    body: dict[str, Any] = {"provider": "render"}
    plan = str(db.get("plan") or render.DEFAULT_POSTGRES_PLAN).replace("-", "_")
    if "plan" not in db:
        out.part(at, f"{path}.plan", f"unset; written as Render's default {plan}")
    elif plan in LEGACY_POSTGRES:
        out.part(
            at,
            f"{path}.plan",
            f"legacy {plan!r} cannot be created any more; written as {LEGACY_POSTGRES[plan]}, "
            "the same memory",
        )
        plan = LEGACY_POSTGRES[plan]
    body["plan"] = plan
    simple = {
        "region": "region",
        "databaseName": "database_name",
        "user": "database_user",
        "diskSizeGB": "disk_gb",
    }
    for key, value in db.items():
        if key in ("name", "plan"):
            continue
        if key in simple:
            body[simple[key]] = value
        elif key == "postgresMajorVersion":
            body["version"] = int(value)
        elif key == "ipAllowList":
            body["ip_allow_list"] = _allow_list(value)
        elif key == "highAvailability":
            if (value or {}).get("enabled"):
                out.drop(
                    at, f"{path}.highAvailability", "not managed yet: enable it in the dashboard"
                )
        else:
            out.drop(at, f"{path}.{key}", DROPPED.get(key, "no equivalent"))
    out.put("postgres", name, body)


def _cache(out: Conversion, path: str, kv: Mapping[str, Any]) -> None:
    name = slug(str(kv["name"]))
    at = ("redis", name)
    body: dict[str, Any] = {"provider": "render", "plan": kv.get("plan") or "starter"}
    if "plan" not in kv:
        out.part(at, f"{path}.plan", "unset; written as starter (the API creates paid plans only)")
    for key, value in kv.items():
        if key in ("name", "type", "plan"):
            continue
        if key == "region":
            body["region"] = value
        elif key == "maxmemoryPolicy":
            body["maxmemory_policy"] = str(value).replace("-", "_")
        elif key == "ipAllowList":
            body["ip_allow_list"] = _allow_list(value)
        else:
            out.drop(at, f"{path}.{key}", DROPPED.get(key, "no equivalent"))
    out.put("redis", name, body)


def _group(out: Conversion, path: str, group: Mapping[str, Any]) -> None:
    name = slug(str(group["name"]))
    at = ("env_groups", name)
    body: dict[str, Any] = {}
    config: dict[str, str] = {}
    for index, var in enumerate(group.get("envVars") or []):
        key = str(var["key"])
        _preview_value(out, at, f"{path}.envVars[{index}]", var)
        if "value" in var:
            body.setdefault("env", {})[key] = _text(var["value"])
        elif var.get("generateValue"):
            body.setdefault("generated", {})[key] = {"bytes": 32, "encoding": "base64"}
        elif var.get("sync") is False:
            config[key] = _config_key(key)
            out.part(at, f"{path}.envVars[{index}]", _config_note(key))
    if config:
        secrets = f"{name}-config"[:24]
        out.put("secrets", secrets, {"from_config": config})
        body["links"] = [secrets]
    for key in group:
        if key not in ("name", "envVars"):
            out.drop(at, f"{path}.{key}", DROPPED.get(key, "no equivalent"))
    out.put("env_groups", name, body)


def _text(value: object) -> str:
    """A YAML scalar as the string Render stores (``false``, not ``False``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _preview_value(out: Conversion, at: tuple[str, str], here: str, var: Mapping[str, Any]) -> None:
    if "previewValue" in var:
        out.drop(at, f"{here}.previewValue", DROPPED["previewValue"])


def _config_key(key: str) -> str:
    """``STRIPE_SECRET_KEY`` -> ``stripeSecretKey``."""
    head, *rest = key.lower().split("_")
    return head + "".join(part.capitalize() for part in rest)


def _config_note(key: str) -> str:
    return (
        f"sync: false: set it once with pulumi config set --secret "
        f"paas-stacks:{_config_key(key)} <value>"
    )


def _static(out: Conversion, path: str, site: Mapping[str, Any], repo: str | None) -> None:
    name = slug(str(site["name"]))
    at = ("static_sites", name)
    body: dict[str, Any] = {"provider": "render_static"}
    keys = {
        "repo": "repo",
        "branch": "branch",
        "rootDir": "root_dir",
        "buildCommand": "build_command",
        "staticPublishPath": "output_dir",
    }
    for key, value in site.items():
        if key in ("name", "type", "runtime", "env", "envVars", "domains"):
            continue
        if key in keys:
            body[keys[key]] = value
        else:
            out.drop(at, f"{path}.{key}", DROPPED.get(key, "no equivalent"))
    if "repo" not in body and repo:
        body["repo"] = repo
    env = {str(v["key"]): _text(v["value"]) for v in site.get("envVars") or [] if "value" in v}
    if env:
        body["env"] = env
    for index, var in enumerate(site.get("envVars") or []):
        if "value" not in var:
            out.drop(at, f"{path}.envVars[{index}]", "a static site takes plain build values only")
    out.put("static_sites", name, body)
    _domains(out, name, site.get("domains") or [])


def _domains(out: Conversion, target: str, domains: list[str]) -> None:
    for index, hostname in enumerate(domains):
        entry = slug(f"{target}-{index}" if index else target)
        out.put("domains", entry, {"hostname": hostname, "target": target, "dns": "none"})


def _build_filter(value: Mapping[str, Any]) -> dict[str, Any]:
    pairs = (("paths", value.get("paths")), ("ignored_paths", value.get("ignoredPaths")))
    return {"build_filter": {k: v for k, v in pairs if v}}


def _disk(value: Mapping[str, Any]) -> dict[str, Any]:
    size = {"size_gb": value["sizeGB"]} if "sizeGB" in value else {}
    return {"disk": {"name": value["name"], "mount_path": value["mountPath"], **size}}


def _scaling(value: Mapping[str, Any]) -> dict[str, Any]:
    found = {"min": value.get("minInstances", 1), "max": value["maxInstances"]}
    if "targetCPUPercent" in value:
        found["target_cpu_percent"] = value["targetCPUPercent"]
    if "targetMemoryPercent" in value:
        found["target_memory_percent"] = value["targetMemoryPercent"]
    return {"autoscaling": found}


def _renamed(ours: str) -> Callable[[Any], dict[str, Any]]:
    return lambda value: {ours: value}


#: Service keys whose value is reshaped: Blueprint key -> our keys and values.
SERVICE_VALUES: dict[str, Callable[[Any], dict[str, Any]]] = {
    **{key: _renamed(ours) for key, ours in SERVICE_KEYS.items()},
    "repo": lambda value: {"repo": value},
    "dockerCommand": lambda value: {"start_command": value},
    "scaling": _scaling,
    "autoDeploy": lambda value: {"auto_deploy": bool(value)},
    "autoDeployTrigger": lambda value: {"auto_deploy": value != "off"},
    "buildFilter": _build_filter,
    "disk": _disk,
}
#: Keys ``_service`` reads itself.
SOURCE_KEYS = {"name", "type", "runtime", "env", "image", "plan", "envVars", "domains"}


def _source(
    out: Conversion, at: tuple[str, str], path: str, svc: Mapping[str, Any]
) -> dict[str, Any]:
    """What runs and on what: the runtime or image, and the plan."""
    body: dict[str, Any] = {}
    runtime = str(svc.get("runtime", svc.get("env", "")))
    image = svc.get("image")
    if image is not None:
        body["runtime"] = "image"
        body["image"] = image["url"] if isinstance(image, Mapping) else str(image)
        if isinstance(image, Mapping) and image.get("creds"):
            out.drop(at, f"{path}.image.creds", DROPPED["registryCredential"])
    elif runtime:
        body["runtime"] = runtime
    plan = svc.get("plan")
    if plan == "free":
        body["plan"] = "starter"
        out.part(at, f"{path}.plan", "free cannot be created through the API; written as starter")
    elif plan is not None:
        body["plan"] = str(plan).replace(" ", "_").lower()
    return body


def _service(out: Conversion, path: str, svc: Mapping[str, Any], repo: str | None) -> None:
    name = slug(str(svc["name"]))
    at = ("services", name)
    body: dict[str, Any] = {"kind": KINDS.get(str(svc.get("type")), "web"), "platform": "render"}
    if svc.get("type") not in KINDS:
        out.part(at, f"{path}.type", f"{svc.get('type')!r} is not a service type; written as web")
    body.update(_source(out, at, path, svc))
    for key, value in svc.items():
        if key in SOURCE_KEYS:
            continue
        if key not in SERVICE_VALUES:
            out.drop(at, f"{path}.{key}", DROPPED.get(key, "no equivalent"))
            continue
        body.update(SERVICE_VALUES[key](value))
        if key == "autoDeployTrigger" and value == "checksPass":
            out.part(at, f"{path}.{key}", "checksPass: written as auto_deploy: true")
    if "repo" not in body and body.get("runtime") != "image":
        if repo:
            body["repo"] = repo
        else:
            out.part(at, f"{path}.repo", "unset (the Blueprint's own repository): give --repo")
    _env(out, at, path, svc.get("envVars") or [], body)
    out.put("services", name, body)
    if body["kind"] == "web":
        _domains(out, name, svc.get("domains") or [])
    elif svc.get("domains"):
        out.drop(at, f"{path}.domains", f"a {body['kind']} service has no public domain")


@dataclass
class _Wiring:
    """What a service's ``envVars`` become."""

    env: dict[str, str] = field(default_factory=dict)
    secrets: dict[str, dict[str, Any]] = field(default_factory=dict)
    links: dict[str, dict[str, str]] = field(default_factory=dict)
    groups: list[str] = field(default_factory=list)


def _env(
    out: Conversion,
    at: tuple[str, str],
    path: str,
    variables: list[Mapping[str, Any]],
    body: dict[str, Any],
) -> None:
    """A service's ``envVars``: values, generated and synced secrets, and links by property."""
    wiring = _Wiring()
    for index, var in enumerate(variables):
        _variable(out, at, f"{path}.envVars[{index}]", var, wiring)
    if wiring.env:
        body["env"] = wiring.env
    written: list[Any] = [{"to": to, "properties": p} for to, p in wiring.links.items()]
    if wiring.secrets:
        set_name = f"{at[1]}-secrets"[:24]
        out.put("secrets", set_name, wiring.secrets)
        written.append(set_name)
    written += wiring.groups
    if written:
        body["links"] = written


def _variable(
    out: Conversion, at: tuple[str, str], here: str, var: Mapping[str, Any], wiring: _Wiring
) -> None:
    key = str(var.get("key", ""))
    source = var.get("fromDatabase") or var.get("fromService")
    _preview_value(out, at, here, var)
    if "fromGroup" in var:
        wiring.groups.append(slug(str(var["fromGroup"])))
    elif "value" in var:
        wiring.env[key] = _text(var["value"])
    elif var.get("generateValue"):
        wiring.secrets.setdefault("generated", {})[key] = {"bytes": 32, "encoding": "base64"}
    elif var.get("sync") is False:
        wiring.secrets.setdefault("from_config", {})[key] = _config_key(key)
        out.part(at, here, _config_note(key))
    elif isinstance(source, Mapping):
        if "envVarKey" in source:
            prop = f"env.{source['envVarKey']}"
        elif source.get("property") in PROPERTIES:
            prop = PROPERTIES[source["property"]]
        else:
            out.drop(at, here, f"property {source.get('property')!r} has no equivalent")
            return
        wiring.links.setdefault(slug(str(source["name"])), {})[key] = prop
    else:
        out.drop(at, here, "an env var without a value or a source")
