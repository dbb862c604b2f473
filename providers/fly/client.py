"""The Fly.io Machines API client: one typed method per endpoint the Fly resources use.

The rule that matters here: the token is read from stack config ``fly:apiToken`` or the env var
``FLY_API_TOKEN`` when the provider is configured, never from inputs, so it never reaches state.
Paths are relative to the base URL (``https://api.machines.dev/v1``, no ``/v1`` in the paths).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import httpx

from paas_stacks.errors import ConflictError, CredentialsError, VendorStatusError
from paas_stacks.providers._http import ConfigSource, Endpoint, HttpClient, setting

__all__ = ["DEFAULT_URL", "FlyClient"]

DEFAULT_URL = "https://api.machines.dev/v1"
_APP_PATH = re.compile(r"(?:/[^/]+)*/apps/[^/]+")
Json = dict[str, Any]


class FlyClient(HttpClient):
    """``Authorization: Bearer <token>``; errors are ``ErrorResponse {error, status?}``."""

    vendor: ClassVar[str] = "Fly"
    request_id_headers: ClassVar[tuple[str, ...]] = ("fly-request-id", "x-request-id")

    @classmethod
    def from_config(cls, config: ConfigSource | None, **kwargs: Any) -> FlyClient:
        token = setting(config, "fly:apiToken", "FLY_API_TOKEN")
        if not token:
            raise CredentialsError(
                "Fly API token missing: set the secret stack config `fly:apiToken` "
                "(pulumi config set --secret fly:apiToken ...) or the env var FLY_API_TOKEN"
            )
        base = setting(config, "fly:apiUrl", "FLY_API_URL", DEFAULT_URL) or DEFAULT_URL
        endpoint = Endpoint(
            base_url=base, headers={"authorization": f"Bearer {token}"}, secrets=(token,)
        )
        return cls(endpoint, **kwargs)

    def error_message(self, response: httpx.Response) -> str:
        message = super().error_message(response)
        word = _status_word(response)
        return f"{message} ({word})" if word else message

    def error_class(self, response: httpx.Response) -> type[VendorStatusError]:
        # App names are global across orgs: a name another org holds is a conflict, which Fly
        # answers 422 ``name_taken``; the error text is read too, for an answer without the word.
        if response.status_code == 422 and (
            _status_word(response) == "name_taken" or "taken" in _error_text(response).lower()
        ):
            return ConflictError
        # Reading an app in an org this token cannot see is 403 (fly-go's AppNameAvailable: 403
        # means the name is taken, 404 that it is free), so on an app read it is a conflict.
        if response.status_code == 403 and _APP_PATH.fullmatch(response.request.url.path):
            return ConflictError
        return super().error_class(response)

    # -- apps ------------------------------------------------------------------------------------
    def get_app(self, app: str) -> Json | None:
        found: Json | None = self.get_or_none(f"/apps/{app}")
        return found

    def list_apps(self, org_slug: str) -> list[Json]:
        """The apps of one org (``personal``: the token's own); the orphan sweep reads them."""
        found = self.json("GET", "/apps", params={"org_slug": org_slug}) or {}
        return list(found.get("apps") or [])

    def create_app(self, name: str, org_slug: str) -> Json:
        body = {"name": name, "org_slug": org_slug}
        created = self.json("POST", "/apps", json=body)
        # The spec declares 201 without a body; read it back if the answer is empty.
        return created if isinstance(created, dict) and created else self._must_get_app(name)

    def delete_app(self, app: str) -> None:
        self.delete(f"/apps/{app}")

    def _must_get_app(self, app: str) -> Json:
        result: Json = self.json("GET", f"/apps/{app}")
        return result

    # -- machines --------------------------------------------------------------------------------
    def list_machines(self, app: str) -> list[Json] | None:
        """All live machines of ``app``; ``None`` when the app itself does not exist."""
        found = self.get_or_none(f"/apps/{app}/machines")
        return None if found is None else list(found)

    def get_machine(self, app: str, machine_id: str) -> Json | None:
        found: Json | None = self.get_or_none(f"/apps/{app}/machines/{machine_id}")
        return found

    def create_machine(self, app: str, region: str, config: Json) -> Json:
        result: Json = self.json(
            "POST", f"/apps/{app}/machines", json={"region": region, "config": config}
        )
        return result

    def update_machine(self, app: str, machine_id: str, config: Json, version: str) -> Json:
        body = {"config": config, "current_version": version}
        # current_version makes a repeat harmless: a stale one is refused with 412.
        result: Json = self.json(
            "POST", f"/apps/{app}/machines/{machine_id}", json=body, idempotent=True
        )
        return result

    def destroy_machine(self, app: str, machine_id: str) -> None:
        self.delete(f"/apps/{app}/machines/{machine_id}", params={"force": "true"})

    def wait_machine(
        self, app: str, machine_id: str, states: str, version: str | None, timeout: int
    ) -> Json | None:
        """One bounded wait; ``None`` when the vendor's own timeout passed (408)."""
        params: Json = {"state": states, "timeout": timeout}
        if version:
            params["version"] = version
        response = self.request(
            "GET", f"/apps/{app}/machines/{machine_id}/wait", params=params, expect=(408,)
        )
        if response.status_code == 408:
            return None
        result: Json = response.json()
        return result

    def machine_events(self, app: str, machine_id: str) -> list[Json]:
        return list(self.json("GET", f"/apps/{app}/machines/{machine_id}/events") or [])

    # -- secrets ---------------------------------------------------------------------------------
    def list_secrets(self, app: str) -> list[Json] | None:
        found = self.get_or_none(f"/apps/{app}/secrets")
        return None if found is None else list(found.get("secrets") or [])

    def update_secrets(self, app: str, values: dict[str, str | None]) -> Json:
        """Set and (with ``None``) delete secrets in one call; writing the same map twice is
        harmless, so the call may be repeated."""
        result: Json = self.json(
            "POST", f"/apps/{app}/secrets", json={"values": values}, idempotent=True
        )
        return result

    # -- volumes ---------------------------------------------------------------------------------
    def list_volumes(self, app: str) -> list[Json] | None:
        found = self.get_or_none(f"/apps/{app}/volumes")
        return None if found is None else list(found)

    def get_volume(self, app: str, volume_id: str) -> Json | None:
        found: Json | None = self.get_or_none(f"/apps/{app}/volumes/{volume_id}")
        return found

    def create_volume(self, app: str, body: Json) -> Json:
        result: Json = self.json("POST", f"/apps/{app}/volumes", json=body)
        return result

    def update_volume(self, app: str, volume_id: str, body: Json) -> Json:
        result: Json = self.json("PUT", f"/apps/{app}/volumes/{volume_id}", json=body)
        return result

    def extend_volume(self, app: str, volume_id: str, size_gb: int) -> Json:
        result: Json = self.json(
            "PUT", f"/apps/{app}/volumes/{volume_id}/extend", json={"size_gb": size_gb}
        )
        return result

    def delete_volume(self, app: str, volume_id: str) -> None:
        self.delete(f"/apps/{app}/volumes/{volume_id}")

    # -- IP assignments --------------------------------------------------------------------------
    def list_ips(self, app: str) -> list[Json] | None:
        found = self.get_or_none(f"/apps/{app}/ip_assignments")
        return None if found is None else list(found.get("ips") or [])

    def assign_ip(self, app: str, body: Json) -> Json:
        result: Json = self.json("POST", f"/apps/{app}/ip_assignments", json=body)
        return result

    def release_ip(self, app: str, ip: str) -> None:
        self.delete(f"/apps/{app}/ip_assignments/{ip}")

    # -- certificates ----------------------------------------------------------------------------
    def get_certificate(self, app: str, hostname: str) -> Json | None:
        """The hostname's certificate on ``app``; ``None`` when it (or the app) does not exist."""
        found: Json | None = self.get_or_none(f"/apps/{app}/certificates/{hostname}")
        return found

    def request_certificate(self, app: str, hostname: str) -> Json:
        """Add ``hostname`` to ``app`` and ask Let's Encrypt for its certificate (ACME)."""
        body = {"hostname": hostname}
        result: Json = self.json("POST", f"/apps/{app}/certificates/acme", json=body)
        return result

    def check_certificate(self, app: str, hostname: str) -> Json:
        """Re-read the hostname's DNS and retry validation; answers what resolved."""
        result: Json = self.json(
            "POST", f"/apps/{app}/certificates/{hostname}/check", idempotent=True
        )
        return result

    def delete_certificate(self, app: str, hostname: str) -> None:
        """Remove the hostname and all its certificates from ``app``."""
        self.delete(f"/apps/{app}/certificates/{hostname}")


def _body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _status_word(response: httpx.Response) -> str | None:
    """``ErrorResponse.status``: why, in one word (``name_taken``, ``insufficient_capacity``)."""
    word = _body(response).get("status")
    return word if isinstance(word, str) and word else None


def _error_text(response: httpx.Response) -> str:
    text = _body(response).get("error")
    return text if isinstance(text, str) else ""
