"""The named properties a link can pick (``properties: {DB_HOST: host}``): what a database, a
cache and a service expose besides their default variables.

The rule that matters here: every property is parsed out of the one connection string the
vendor gave (never rebuilt by hand), and the password and the string itself stay secret; the
other parts are not sensitive, so they are unsecreted and read plainly downstream.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pulumi

__all__ = [
    "CONNECTION",
    "SERVICE_ADDRESS",
    "connection_properties",
    "service_properties",
]

#: What a database or cache exposes (Blueprint ``fromDatabase``/``fromService`` properties).
CONNECTION = ("connection_string", "host", "port", "hostport", "user", "password", "database")
#: What a service exposes on the private network, plus ``url`` for public ones.
SERVICE_ADDRESS = ("host", "port", "hostport")


def _parts(url: str, default_port: int) -> tuple[str, str, str, str, str]:
    """``(host, port, user, password, database)`` of a ``postgres://`` or ``redis://`` URL."""
    parts = urlsplit(url)
    database = unquote(parts.path.lstrip("/"))
    return (
        parts.hostname or "",
        str(parts.port or default_port),
        unquote(parts.username or ""),
        unquote(parts.password or ""),
        database,
    )


def connection_properties(
    url: pulumi.Output[str], default_port: int
) -> dict[str, pulumi.Output[str]]:
    """The properties of a connection string: the string and the password secret."""
    parts = url.apply(lambda text: _parts(text, default_port))

    def plain(position: int) -> pulumi.Output[str]:
        return pulumi.Output.unsecret(parts.apply(lambda p: p[position]))

    host, port = plain(0), plain(1)
    return {
        "connection_string": pulumi.Output.secret(url),
        "host": host,
        "port": port,
        "hostport": pulumi.Output.concat(host, ":", port),
        "user": plain(2),
        "password": pulumi.Output.secret(parts.apply(lambda p: p[3])),
        "database": plain(4),
    }


def service_properties(
    host: pulumi.Output[str], port: int | None, url: pulumi.Output[str] | None = None
) -> dict[str, pulumi.Output[str]]:
    """A service's private-network address, and its public ``url`` when it has one."""
    found = {"host": host}
    if port is not None:
        found["port"] = pulumi.Output.from_input(str(port))
        found["hostport"] = pulumi.Output.concat(host, f":{port}")
    if url is not None:
        found["url"] = url
    return found
