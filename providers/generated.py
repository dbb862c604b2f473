"""A random secret drawn once, kept (secret) in state, and never sent anywhere: no HTTP.

The rule that matters here: a value changes only by replacement. Any input change (``version``
bumped to rotate, another length or encoding) draws a new value through a replace, created
before the old one is deleted so consumers switch over in the same ``up``; ``read`` keeps the
stored value, so ``refresh`` never rotates anything.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from typing import Any, Literal, final

import pulumi
from pulumi import dynamic
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from paas_stacks.providers._resource import is_unknown

__all__ = ["GeneratedSecret", "GeneratedSecretInputs", "GeneratedSecretProvider", "encode"]

Encoding = Literal["hex", "base64", "urlsafe"]
#: Every input: a change to any of them is a new draw.
INPUTS = ("length_bytes", "encoding", "version")


class GeneratedSecretInputs(BaseModel):
    """What a draw is made of; nothing here is secret."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    length_bytes: int = Field(default=32, ge=1, le=1024)
    encoding: Encoding = "hex"
    version: int = Field(default=1, ge=1)


def encode(raw: bytes, encoding: Encoding) -> str:
    """``hex`` (like ``openssl rand -hex``), ``base64`` (padded, like ``openssl rand -base64``)
    or ``urlsafe`` (unpadded URL-safe base64, like ``secrets.token_urlsafe``)."""
    if encoding == "hex":
        return raw.hex()
    if encoding == "base64":
        return base64.b64encode(raw).decode("ascii")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _parse(props: dict[str, Any]) -> GeneratedSecretInputs:
    present = {k: v for k, v in props.items() if k in INPUTS and v is not None}
    return GeneratedSecretInputs.model_validate(present)


@final
class GeneratedSecretProvider(dynamic.ResourceProvider):
    """Draws with ``secrets.token_bytes``; every input change replaces."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> dynamic.CheckResult:
        failures: list[dynamic.CheckFailure] = []
        known = {k: v for k, v in news.items() if not is_unknown(v)}
        try:
            _parse(known)
        except ValidationError as exc:
            for error in exc.errors():
                where = ".".join(str(part) for part in error["loc"])
                failures.append(dynamic.CheckFailure(where, f"{error['msg']}"))
        return dynamic.CheckResult(news, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.DiffResult:
        changed = [key for key in INPUTS if _differs(key, olds, news)]
        # Create the new value before deleting the old one: nothing at a vendor is unique here.
        return dynamic.DiffResult(
            changes=bool(changed), replaces=changed, delete_before_replace=False
        )

    def create(self, props: dict[str, Any]) -> dynamic.CreateResult:
        inputs = _parse(props)
        value = encode(secrets.token_bytes(inputs.length_bytes), inputs.encoding)
        outs = {**inputs.model_dump(), "value": value}
        # The id names the draw, never the value.
        return dynamic.CreateResult(id_=f"generated-{uuid.uuid4().hex}", outs=outs)

    def read(self, id_: str, props: dict[str, Any]) -> dynamic.ReadResult:
        # The value lives only in state: what is stored is the truth.
        return dynamic.ReadResult(id_=id_, outs=props)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None


def _differs(key: str, olds: dict[str, Any], news: dict[str, Any]) -> bool:
    new = news.get(key)
    if is_unknown(new):
        return True
    default = GeneratedSecretInputs.model_fields[key].default
    old = olds.get(key)
    return bool((default if new is None else new) != (default if old is None else old))


@final
class GeneratedSecret(dynamic.Resource, module="generated", name="GeneratedSecret"):
    """``length_bytes`` random bytes, encoded; bump ``version`` to rotate (a replace).

    Every input forces replacement (a change is a new draw). ``value`` is a secret output.
    """

    length_bytes: pulumi.Output[int]
    encoding: pulumi.Output[str]
    version: pulumi.Output[int]
    value: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        length_bytes: pulumi.Input[int] | None = None,
        encoding: pulumi.Input[str] | None = None,
        version: pulumi.Input[int] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props = {
            "length_bytes": length_bytes,
            "encoding": encoding,
            "version": version,
            "value": None,
        }
        secret = pulumi.ResourceOptions(additional_secret_outputs=["value"])
        super().__init__(
            GeneratedSecretProvider(),
            resource_name,
            props,
            pulumi.ResourceOptions.merge(secret, opts),
        )
