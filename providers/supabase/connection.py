"""A project's API URL, keys and connection strings, built from what Supabase answers.

The rule that matters here: every part of a connection string comes from the API (project
``database.host``, the pooler config's host, port, role and database), never from a template of
the public platform; only the password is ours, and it is URL-quoted. Where the pooler config
names the database host itself (no separate pooler, as in the sandbox), the direct string uses
the pooler's port, role and database; otherwise the platform's direct defaults (port 5432, role
and database ``postgres``, per Supabase's "Connect to your database" docs). The pooler string is
the API's own ``connection_string`` with its ``[YOUR-PASSWORD]`` placeholder filled in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

DIRECT_PORT = 5432
DIRECT_ROLE = "postgres"
DIRECT_DATABASE = "postgres"
#: What the API prints in place of the password in ``connection_string``.
PLACEHOLDER = "[YOUR-PASSWORD]"


def connection_outputs(live: Mapping[str, Any], password: str | None) -> dict[str, Any]:
    """``api_url``, keys, ``database_host``, ``database_url`` and ``pooler_url`` (None until the
    keys and pooler config were read, e.g. for a project only just found)."""
    ref = str(live.get("ref") or "")
    host = (live.get("database") or {}).get("host")
    keys = _keys(live.get("api_keys") or [])
    pooler = _primary(live.get("pooler") or [])
    return {
        "api_url": f"https://{ref}.supabase.co",
        "anon_key": keys.get("anon"),
        "service_role_key": keys.get("service_role"),
        "database_host": host,
        "database_url": _direct(host, pooler, password),
        "pooler_url": _pooled(pooler, password),
    }


def _keys(entries: list[Mapping[str, Any]]) -> dict[str, str]:
    """The legacy ``anon``/``service_role`` JWTs; without them, the new publishable/secret keys."""
    found: dict[str, str] = {}
    for entry in entries:
        value, kind, name = entry.get("api_key"), entry.get("type"), entry.get("name")
        if not value or "•" in value:  # a masked secret key is no key at all
            continue
        if kind == "legacy" and name in ("anon", "service_role"):
            found[name] = value
    for entry in entries:
        value, kind = entry.get("api_key"), entry.get("type")
        if not value or "•" in value:
            continue
        if kind == "publishable":
            found.setdefault("anon", value)
        elif kind == "secret":
            found.setdefault("service_role", value)
    return found


def _primary(entries: list[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    for entry in entries:
        if entry.get("database_type", "PRIMARY") == "PRIMARY":
            return entry
    return None


def _url(user: str, password: str, host: str, port: Any, database: str) -> str:
    return (
        f"postgresql://{quote(user, safe='.')}:{quote(password, safe='')}@{host}:{port}/{database}"
    )


def _direct(host: str | None, pooler: Mapping[str, Any] | None, password: str | None) -> str | None:
    if not host or not password:
        return None
    if pooler and pooler.get("db_host") == host:
        return _url(pooler["db_user"], password, host, pooler["db_port"], pooler["db_name"])
    return _url(DIRECT_ROLE, password, host, DIRECT_PORT, DIRECT_DATABASE)


def _pooled(pooler: Mapping[str, Any] | None, password: str | None) -> str | None:
    if not pooler or not password:
        return None
    printed = str(pooler.get("connection_string") or "")
    if PLACEHOLDER in printed:
        # The user name the pooler hands out (``postgres.<ref>``) is exactly what it prints.
        return printed.replace(PLACEHOLDER, quote(password, safe=""))
    user, host = pooler.get("db_user"), pooler.get("db_host")
    port, database = pooler.get("db_port"), pooler.get("db_name")
    if not (user and host and port and database):
        return None
    return _url(str(user), password, str(host), port, str(database))


def branch_outputs(
    detail: Mapping[str, Any], keys: list[Mapping[str, Any]], pooler: list[Mapping[str, Any]]
) -> dict[str, Any]:
    """A branch's URL, keys and connection strings: host, port, role and password from its
    ``GET /v1/branches/{id}`` answer; the database name from its pooler config where that
    names the same host (the sandbox), else the platform's ``postgres``."""
    ref = str(detail.get("ref") or "")
    host, password = detail.get("db_host"), detail.get("db_pass")
    found = _keys(keys)
    primary = _primary(pooler)
    direct = None
    if host and password:
        database = DIRECT_DATABASE
        if primary and primary.get("db_host") == host and primary.get("db_name"):
            database = str(primary["db_name"])
        user = str(detail.get("db_user") or DIRECT_ROLE)
        direct = _url(
            user, str(password), str(host), detail.get("db_port") or DIRECT_PORT, database
        )
    return {
        "api_url": f"https://{ref}.supabase.co",
        "anon_key": found.get("anon"),
        "service_role_key": found.get("service_role"),
        "database_host": host,
        "database_url": direct,
        "pooler_url": _pooled(primary, None if password is None else str(password)),
    }
