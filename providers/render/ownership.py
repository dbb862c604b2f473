"""Where a Render object carries its owner: an env var of the service (or of the env group).

The rule that matters here: the marker var is written with the object (in ``POST /services``
and ``POST /env-groups``, and in every replace-all ``PUT .../env-vars``), so a service is marked
from its first answer on, even if that answer is lost; it is never an output (the declared env
vars are, without it), so it is no drift, and a user cannot declare it.

Render Postgres and Key Value have no field for it (``postgresPOSTInput`` and
``keyValuePOSTInput`` carry no env vars, tags or description; a Render project environment
would, but a Hobby workspace has one project), so they are ``UNMARKABLE``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from paas_stacks.providers._ownership import OWNER_VAR, Marker

__all__ = ["GROUP_OWNER_VAR", "SERVICE_OWNER_VAR", "env_list", "markers_in", "without_marker"]

#: A service's marker: visible in the dashboard (Environment) and to the running code.
SERVICE_OWNER_VAR = OWNER_VAR
#: An env group's own key, so a linked service's own marker never collides with the group's.
GROUP_OWNER_VAR = f"{OWNER_VAR}_GROUP"


def env_list(values: Mapping[str, str], owner: str | None, key: str) -> list[dict[str, str]]:
    """Render's ``[{key, value}]`` of the declared vars plus the owner marker."""
    listed = [{"key": name, "value": value} for name, value in values.items()]
    if owner:
        listed.append({"key": key, "value": owner})
    return listed


def markers_in(items: Iterable[Mapping[str, Any]], key: str) -> list[Marker]:
    found = (Marker.parse(item.get("value")) for item in items if item.get("key") == key)
    return [marker for marker in found if marker is not None]


def without_marker(items: Iterable[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    return [item for item in items if item.get("key") != key]
