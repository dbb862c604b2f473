"""What every Supabase resource that hangs off a project shares: the client and ``project_ref``.

The rule that matters here: a project's settings are not objects of their own, so their id is
``<ref>/<what>``, a project that is gone makes them gone too (404 -> ``None``), and moving one
to another project is a replacement.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pulumi import dynamic
from pydantic import Field

from paas_stacks.errors import NotFoundError
from paas_stacks.providers._resource import Inputs, VendorProvider
from paas_stacks.providers.supabase.client import SupabaseClient

REF_PATTERN = r"^[a-z]{20}$"


class ProjectChildInputs(Inputs):
    """Inputs of a resource that lives inside one project."""

    project_ref: str = Field(pattern=REF_PATTERN, description="20 lowercase letters")


class SupabaseProvider(VendorProvider[Any, SupabaseClient]):
    """The client, from ``supabase:accessToken``/``supabase:apiUrl`` or the environment."""

    def connect(self, config: dynamic.Config | None) -> SupabaseClient:
        return SupabaseClient.from_config(config)


class ProjectChildProvider(SupabaseProvider):
    """A per-project setting: id ``<ref>/<suffix>``; changing ``project_ref`` replaces it."""

    suffix: ClassVar[str]
    replace_on: ClassVar[tuple[str, ...]] = ("project_ref",)
    # The old project's copy can stay until the new one exists: nothing is unique across them.
    delete_first: ClassVar[bool] = False

    def label(self, inputs: Mapping[str, Any], id_: str | None = None) -> str:
        ref = inputs.get("project_ref") or (id_ or "?").split("/", maxsplit=1)[0]
        return f"{self.kind} of project '{ref}'"

    def child_id(self, ref: str) -> str:
        return f"{ref}/{self.suffix}"

    @staticmethod
    def ref_of(id_: str) -> str:
        return id_.split("/", maxsplit=1)[0]

    def gone_if_missing(self, read: Any) -> Any:
        """Run ``read()``; a 404 (the project is gone) means the setting is gone too."""
        try:
            return read()
        except NotFoundError:
            return None


def declared(values: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """The keys the user set (not None): only those are owned, compared and written."""
    return {key: values[key] for key in keys if values.get(key) is not None}
