"""The parts of a machine config a process group declares: services (ports, HTTP checks,
concurrency), machine checks, statics, mounts, and how each is read back from a live machine.

The rule that matters here: every part has one ``*_of`` reader that turns what Fly answers into
exactly the shape the declared model dumps to (defaults filled, absent = ``None``), so a machine
that matches its declaration compares equal and a part nobody declared compares as ``None``.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "Check",
    "Concurrency",
    "HttpCheck",
    "Mount",
    "Port",
    "Service",
    "Signal",
    "Static",
    "checks_of",
    "mounts_of",
    "service_of",
    "statics_of",
    "stop_of",
]

_DURATION = re.compile(r"^\d+(ms|s|m|h)$")
#: The signals ``stop_config.signal`` takes (spec ``fly.StopConfig``).
Signal = Literal["SIGHUP", "SIGINT", "SIGQUIT", "SIGKILL", "SIGUSR1", "SIGUSR2", "SIGTERM"]


def duration(value: str) -> str:
    if not _DURATION.match(value):
        raise ValueError(f"a duration like '15s', '500ms' or '1m' (got {value!r})")
    return value


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Port(_Model):
    port: int = Field(ge=1, le=65535)
    handlers: list[Literal["http", "tls", "pg_tls", "proxy_proto", "edge_http"]] = []
    force_https: bool = False


class HttpCheck(_Model):
    path: str = "/"
    interval: str = "15s"
    timeout: str = "2s"
    grace_period: str = "5s"
    method: Literal["GET", "HEAD", "POST"] = "GET"

    @field_validator("path")
    @classmethod
    def _absolute(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError(f"an http check path starts with '/' (got {value!r})")
        return value

    @field_validator("interval", "timeout", "grace_period")
    @classmethod
    def _duration(cls, value: str) -> str:
        return duration(value)


class Check(HttpCheck):
    """A machine check (``config.checks``, fly.toml ``[checks]``): ``http`` or ``tcp``."""

    type: Literal["http", "tcp"] = "http"
    #: The port probed; the service's ``internal_port`` in fly.toml when unset there.
    port: int = Field(ge=1, le=65535)
    path: str = "/"

    @model_validator(mode="after")
    def _tcp(self) -> Check:
        if self.type == "tcp" and (self.path != "/" or self.method != "GET"):
            raise ValueError("a tcp check takes no path or method")
        return self

    def config(self) -> dict[str, Any]:
        """The check as the Machines API takes it (a tcp check sends no http fields)."""
        body = self.model_dump()
        if self.type == "tcp":
            body.pop("path")
            body.pop("method")
        return body


class Concurrency(_Model):
    """When Fly's proxy counts a machine as busy (``soft_limit``) or full (``hard_limit``)."""

    type: Literal["connections", "requests"] = "connections"
    soft_limit: int | None = Field(default=None, ge=1)
    hard_limit: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _order(self) -> Concurrency:
        if self.soft_limit and self.hard_limit and self.soft_limit > self.hard_limit:
            raise ValueError(
                f"soft_limit {self.soft_limit} is greater than hard_limit {self.hard_limit}"
            )
        return self


class Service(_Model):
    internal_port: int = Field(ge=1, le=65535)
    protocol: Literal["tcp", "udp"] = "tcp"
    ports: list[Port] = []
    http_checks: list[HttpCheck] = []
    concurrency: Concurrency | None = None

    def declared(self) -> dict[str, Any]:
        """Its compared shape: ``concurrency`` only when set (state before it had none)."""
        body = self.model_dump()
        if self.concurrency is None:
            body.pop("concurrency")
        return body


class Static(_Model):
    """Files Fly's proxy serves straight from the image (fly.toml ``[[statics]]``)."""

    guest_path: str = Field(pattern=r"^/")
    url_prefix: str = Field(pattern=r"^/")


class Mount(_Model):
    """A volume (by id) mounted at ``path``."""

    volume: str = Field(min_length=1)
    path: str = Field(pattern=r"^/")


def service_of(service: dict[str, Any]) -> dict[str, Any]:
    checks = [c for c in service.get("checks") or [] if c.get("type", "http") == "http"]
    found: dict[str, Any] = {
        "internal_port": service.get("internal_port"),
        "protocol": service.get("protocol", "tcp"),
        "ports": [
            {
                "port": p.get("port"),
                "handlers": list(p.get("handlers") or []),
                "force_https": bool(p.get("force_https", False)),
            }
            for p in service.get("ports") or []
        ],
        "http_checks": [
            {
                "path": c.get("path", "/"),
                "interval": c.get("interval", "15s"),
                "timeout": c.get("timeout", "2s"),
                "grace_period": c.get("grace_period", "5s"),
                "method": c.get("method", "GET"),
            }
            for c in checks
        ],
    }
    concurrency = service.get("concurrency")
    if concurrency:
        found["concurrency"] = {
            "type": concurrency.get("type", "connections"),
            "soft_limit": concurrency.get("soft_limit"),
            "hard_limit": concurrency.get("hard_limit"),
        }
    return found


def checks_of(checks: dict[str, Any] | None) -> dict[str, Any] | None:
    if not checks:
        return None
    found = {}
    for name, check in checks.items():
        kind = check.get("type", "http")
        found[name] = {
            "path": check.get("path", "/") if kind == "http" else "/",
            "interval": check.get("interval", "15s"),
            "timeout": check.get("timeout", "2s"),
            "grace_period": check.get("grace_period", "5s"),
            "method": check.get("method", "GET") if kind == "http" else "GET",
            "type": kind,
            "port": check.get("port"),
        }
    return found


def stop_of(stop: dict[str, Any] | None) -> dict[str, Any] | None:
    found = {key: (stop or {}).get(key) for key in ("signal", "timeout")}
    return {k: v for k, v in found.items() if v is not None} or None


def statics_of(statics: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    found = [
        {"guest_path": s.get("guest_path"), "url_prefix": s.get("url_prefix")}
        for s in statics or []
    ]
    return found or None


def mounts_of(mounts: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    found = [{"volume": m.get("volume"), "path": m.get("path")} for m in mounts or []]
    return found or None
