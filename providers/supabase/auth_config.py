"""A project's Auth (GoTrue) settings through ``GET``/``PATCH .../config/auth``.

The rule that matters here: only the keys the program declares are owned. They alone are sent,
read back and compared; every other setting (and anything the dashboard changes in them) is left
alone. Friendly names map to the spec's ``UpdateAuthConfigBody`` keys; ``settings`` takes any
other key of that body verbatim.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, Literal, final

import pulumi
from pydantic import Field

from paas_stacks.providers._resource import Inputs, Live, VendorResource
from paas_stacks.providers.supabase.common import ProjectChildInputs, ProjectChildProvider

#: password_required_characters: the spec's enum strings under readable names.
CHARACTER_SETS = {
    "none": "",
    "letters_digits": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ:0123456789",
    "lower_upper_digits": "abcdefghijklmnopqrstuvwxyz:ABCDEFGHIJKLMNOPQRSTUVWXYZ:0123456789",
    "lower_upper_digits_symbols": (
        "abcdefghijklmnopqrstuvwxyz:ABCDEFGHIJKLMNOPQRSTUVWXYZ:0123456789:"
        "!@#$%^&*()_+-=[]{};'\\\\:\"|<>?,./`~"
    ),
}
CharacterSet = Literal["none", "letters_digits", "lower_upper_digits", "lower_upper_digits_symbols"]


def _urls_out(value: list[str]) -> str:
    return ",".join(value)


def _urls_in(value: Any) -> list[str]:
    return [url for url in str(value or "").split(",") if url]


def _chars_in(value: Any) -> str | None:
    names = {spec: name for name, spec in CHARACTER_SETS.items()}
    return names.get(str(value or ""), str(value))


#: friendly input -> (spec key, to API, from API).
FIELDS: dict[str, tuple[str, Callable[[Any], Any], Callable[[Any], Any]]] = {
    "site_url": ("site_url", str, lambda v: v),
    "additional_redirect_urls": ("uri_allow_list", _urls_out, _urls_in),
    "jwt_expiry": ("jwt_exp", int, lambda v: v),
    "email_enabled": ("external_email_enabled", bool, lambda v: v),
    "disable_signup": ("disable_signup", bool, lambda v: v),
    "email_autoconfirm": ("mailer_autoconfirm", bool, lambda v: v),
    "password_min_length": ("password_min_length", int, lambda v: v),
    "password_required_characters": (
        "password_required_characters",
        CHARACTER_SETS.__getitem__,
        _chars_in,
    ),
}


class AuthConfigInputs(ProjectChildInputs):
    site_url: str | None = Field(default=None, pattern=r"^[^,]+$")
    additional_redirect_urls: list[str] | None = None
    jwt_expiry: int | None = Field(default=None, ge=0, le=604800)
    email_enabled: bool | None = None
    disable_signup: bool | None = None
    email_autoconfirm: bool | None = None
    password_min_length: int | None = Field(default=None, ge=6, le=32767)
    password_required_characters: CharacterSet | None = None
    #: Any other UpdateAuthConfigBody key, sent as is (e.g. ``{"mfa_max_enrolled_factors": 5}``).
    settings: dict[str, Any] | None = None


@final
class AuthConfigProvider(ProjectChildProvider):
    kind: ClassVar[str] = "Supabase auth config"
    inputs_type: ClassVar[type[Inputs]] = AuthConfigInputs
    suffix: ClassVar[str] = "config/auth"

    def create_new(self, inputs: AuthConfigInputs) -> Live:
        return self._write(inputs)

    def fetch(self, id_: str, previous: Mapping[str, Any]) -> Live | None:
        ref = self.ref_of(id_)
        config = self.gone_if_missing(lambda: self.client.auth_config(ref))
        return None if config is None else {"id": id_, "project_ref": ref, "config": config}

    def change(
        self,
        id_: str,
        inputs: AuthConfigInputs,
        changed: Sequence[str],
        previous: Mapping[str, Any],
    ) -> Live:
        return self._write(inputs)

    def remove(self, id_: str, previous: Mapping[str, Any]) -> None:
        # Auth settings have no "unset": they stay as they are (documented in the README).
        return None

    def observe(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        config: Mapping[str, Any] = live["config"]
        outputs: dict[str, Any] = {"project_ref": live["project_ref"]}
        for name, (key, _to_api, from_api) in FIELDS.items():
            # Undeclared keys are not ours: reported as None, so they never show as drift.
            owned = written.get(name) is not None and key in config
            outputs[name] = from_api(config[key]) if owned else None
        settings = written.get("settings")
        outputs["settings"] = (
            {key: config.get(key) for key in settings} if isinstance(settings, Mapping) else None
        )
        return outputs

    def _write(self, inputs: AuthConfigInputs) -> Live:
        """One PATCH of every declared key (the API merges; other keys keep their values)."""
        ref = inputs.project_ref
        body: dict[str, Any] = dict(inputs.settings or {})
        for name, (key, to_api, _from_api) in FIELDS.items():
            value = getattr(inputs, name)
            if value is not None:
                body[key] = to_api(value)
        config = self.client.update_auth_config(ref, body) if body else {}
        if not config:
            config = self.client.auth_config(ref)
        return {"id": self.child_id(ref), "project_ref": ref, "config": config}


@final
class AuthConfig(VendorResource, module="supabase", name="AuthConfig"):
    """Declared Auth settings of a project; undeclared ones are left alone.

    Replaced when changed: ``project_ref``. Everything else changes in place (PATCH
    /v1/projects/{ref}/config/auth). Deleting it leaves the settings as they are. ``settings``
    is secret in state (its keys can be credentials, e.g. ``smtp_pass``).
    """

    project_ref: pulumi.Output[str]
    site_url: pulumi.Output[str | None]
    additional_redirect_urls: pulumi.Output[list[str] | None]
    jwt_expiry: pulumi.Output[int | None]
    email_enabled: pulumi.Output[bool | None]
    disable_signup: pulumi.Output[bool | None]
    email_autoconfirm: pulumi.Output[bool | None]
    password_min_length: pulumi.Output[int | None]
    password_required_characters: pulumi.Output[str | None]
    settings: pulumi.Output[dict[str, Any] | None]

    def __init__(
        self,
        resource_name: str,
        *,
        project_ref: pulumi.Input[str],
        site_url: pulumi.Input[str] | None = None,
        additional_redirect_urls: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        jwt_expiry: pulumi.Input[int] | None = None,
        email_enabled: pulumi.Input[bool] | None = None,
        disable_signup: pulumi.Input[bool] | None = None,
        email_autoconfirm: pulumi.Input[bool] | None = None,
        password_min_length: pulumi.Input[int] | None = None,
        password_required_characters: pulumi.Input[str] | None = None,
        settings: pulumi.Input[Mapping[str, Any]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = {
            "project_ref": project_ref,
            "site_url": site_url,
            "additional_redirect_urls": additional_redirect_urls,
            "jwt_expiry": jwt_expiry,
            "email_enabled": email_enabled,
            "disable_signup": disable_signup,
            "email_autoconfirm": email_autoconfirm,
            "password_min_length": password_min_length,
            "password_required_characters": password_required_characters,
            # Verbatim keys can be credentials (smtp_pass, external_*_secret, hook secrets), so
            # the map is secret in state as an input and as the output read back from the API.
            "settings": None if settings is None else pulumi.Output.secret(settings),
        }
        super().__init__(
            AuthConfigProvider(),
            resource_name,
            inputs,
            outputs=(),
            secret_outputs=("settings",),
            opts=opts,
        )
