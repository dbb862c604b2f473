"""The Supabase Management API (``https://api.supabase.com``, paths under ``/v1``): bearer token.

The rule that matters here: a write is only retried when repeating it cannot do anything twice.
Secrets (bulk upsert), network restrictions (replace the whole list) and migrations (sent with an
``Idempotency-Key``) are marked idempotent; creating a project is not, so a lost answer is
looked up by name instead of re-sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from paas_stacks.errors import CredentialsError
from paas_stacks.providers._http import ConfigSource, Endpoint, HttpClient, setting

DEFAULT_URL = "https://api.supabase.com"
Json = dict[str, Any]


class SupabaseClient(HttpClient):
    """Typed calls for projects and the per-project settings this package manages."""

    vendor: ClassVar[str] = "Supabase"
    request_id_headers: ClassVar[tuple[str, ...]] = ("x-request-id", "sb-request-id", "cf-ray")
    reset_headers: ClassVar[tuple[str, ...]] = ("x-ratelimit-reset",)

    @classmethod
    def from_config(cls, config: ConfigSource | None, **kwargs: Any) -> SupabaseClient:
        """Token: ``supabase:accessToken`` else SUPABASE_ACCESS_TOKEN; URL likewise (apiUrl)."""
        token = setting(config, "supabase:accessToken", "SUPABASE_ACCESS_TOKEN")
        if not token:
            raise CredentialsError(
                "Supabase access token missing: set stack config supabase:accessToken "
                "(`pulumi config set --secret supabase:accessToken sbp_...`) "
                "or env SUPABASE_ACCESS_TOKEN"
            )
        base_url = setting(config, "supabase:apiUrl", "SUPABASE_API_URL", DEFAULT_URL)
        endpoint = Endpoint(
            base_url=str(base_url),
            headers={"authorization": f"Bearer {token}"},
            secrets=(token,),
        )
        return cls(endpoint, **kwargs)

    # -- projects ---------------------------------------------------------------------------
    def list_projects(self) -> list[Json]:
        return list(self.json("GET", "/v1/projects") or [])

    def get_project(self, ref: str) -> Json | None:
        found = self.get_or_none(f"/v1/projects/{ref}")
        return dict(found) if found else None

    def create_project(self, body: Json) -> Json:
        return dict(self.json("POST", "/v1/projects", json=body))

    def rename_project(self, ref: str, name: str) -> None:
        self.request("PATCH", f"/v1/projects/{ref}", json={"name": name}, idempotent=True)

    def delete_project(self, ref: str) -> None:
        self.delete(f"/v1/projects/{ref}")

    def set_password(self, ref: str, password: str) -> None:
        path = f"/v1/projects/{ref}/database/password"
        self.request("PATCH", path, json={"password": password}, idempotent=True)

    def addons(self, ref: str) -> Json:
        """GET .../billing/addons: the only place the compute size is reported."""
        return dict(self.json("GET", f"/v1/projects/{ref}/billing/addons") or {})

    def set_compute(self, ref: str, variant: str) -> None:
        """PATCH /v1/projects/{ref}/billing/addons: the spec's way to resize the instance."""
        body = {"addon_type": "compute_instance", "addon_variant": variant}
        self.request("PATCH", f"/v1/projects/{ref}/billing/addons", json=body, idempotent=True)

    def remove_addon(self, ref: str, variant: str) -> None:
        self.delete(f"/v1/projects/{ref}/billing/addons/{variant}")

    def api_keys(self, ref: str) -> list[Json]:
        path = f"/v1/projects/{ref}/api-keys"
        return list(self.json("GET", path, params={"reveal": "true"}) or [])

    # -- branches (Supabase Branching) -------------------------------------------------------
    def list_branches(self, parent_ref: str) -> list[Json]:
        """GET /v1/projects/{ref}/branches: BranchResponse entries (``id``, ``name``,
        ``project_ref`` of the branch itself, ``persistent``, ``git_branch``, ``with_data``)."""
        return list(self.json("GET", f"/v1/projects/{parent_ref}/branches") or [])

    def create_branch(self, parent_ref: str, body: Json) -> Json:
        """Not idempotent: a lost answer is looked up by name instead of re-sent."""
        return dict(self.json("POST", f"/v1/projects/{parent_ref}/branches", json=body))

    def branch_detail(self, branch: str) -> Json | None:
        """GET /v1/branches/{id}: BranchDetailResponse (``ref``, ``status``, ``db_*``)."""
        found = self.get_or_none(f"/v1/branches/{branch}")
        return dict(found) if found else None

    def update_branch(self, branch: str, body: Json) -> Json:
        path = f"/v1/branches/{branch}"
        return dict(self.json("PATCH", path, json=body, idempotent=True) or {})

    def delete_branch(self, branch: str) -> None:
        self.delete(f"/v1/branches/{branch}")

    def action_runs(self, ref: str) -> list[Json]:
        """GET /v1/projects/{ref}/actions: a branch's runs (what replaces the list's status)."""
        return list(self.json("GET", f"/v1/projects/{ref}/actions") or [])

    # -- database ---------------------------------------------------------------------------
    def pooler(self, ref: str) -> list[Json]:
        return list(self.json("GET", f"/v1/projects/{ref}/config/database/pooler") or [])

    def update_pooler(self, ref: str, body: Json) -> None:
        path = f"/v1/projects/{ref}/config/database/pooler"
        self.request("PATCH", path, json=body, idempotent=True)

    def postgres_config(self, ref: str) -> Json:
        return dict(self.json("GET", f"/v1/projects/{ref}/config/database/postgres") or {})

    def put_postgres_config(self, ref: str, body: Json) -> None:
        self.request("PUT", f"/v1/projects/{ref}/config/database/postgres", json=body)

    def migrations(self, ref: str) -> list[Json]:
        return list(self.json("GET", f"/v1/projects/{ref}/database/migrations") or [])

    def apply_migration(self, ref: str, name: str, query: str, key: str) -> None:
        """The Idempotency-Key makes a repeat a no-op, so even a lost answer is safe to resend."""
        self.request(
            "POST",
            f"/v1/projects/{ref}/database/migrations",
            json={"query": query, "name": name},
            headers={"Idempotency-Key": key},
            idempotent=True,
        )

    # -- config -----------------------------------------------------------------------------
    def auth_config(self, ref: str) -> Json:
        return dict(self.json("GET", f"/v1/projects/{ref}/config/auth") or {})

    def update_auth_config(self, ref: str, body: Json) -> Json:
        path = f"/v1/projects/{ref}/config/auth"
        return dict(self.json("PATCH", path, json=body, idempotent=True) or {})

    def secrets(self, ref: str) -> list[Json]:
        return list(self.json("GET", f"/v1/projects/{ref}/secrets") or [])

    def put_secrets(self, ref: str, values: Mapping[str, str]) -> None:
        """Bulk create overwrites existing names, so a repeat is harmless."""
        body = [{"name": name, "value": value} for name, value in values.items()]
        self.request("POST", f"/v1/projects/{ref}/secrets", json=body, idempotent=True)

    def delete_secrets(self, ref: str, names: Sequence[str]) -> None:
        self.request("DELETE", f"/v1/projects/{ref}/secrets", json=list(names), expect=(404,))

    def network_restrictions(self, ref: str) -> Json:
        return dict(self.json("GET", f"/v1/projects/{ref}/network-restrictions") or {})

    def apply_network_restrictions(self, ref: str, v4: Sequence[str], v6: Sequence[str]) -> Json:
        """POST .../apply replaces the whole list: a repeat changes nothing."""
        body = {"dbAllowedCidrs": list(v4), "dbAllowedCidrsV6": list(v6)}
        path = f"/v1/projects/{ref}/network-restrictions/apply"
        return dict(self.json("POST", path, json=body, idempotent=True) or {})


__all__ = ["DEFAULT_URL", "SupabaseClient"]
