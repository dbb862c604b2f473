"""Shared helpers of the Render provider tests against the sandbox (not a test module)."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

import httpx

from paas_stacks.providers._resource import VendorProvider
from paas_stacks.providers.render.client import RenderClient
from sandbox import Sandbox

ProviderT = TypeVar("ProviderT", bound=VendorProvider[Any, Any])


def connected(sandbox: Sandbox, provider: ProviderT) -> ProviderT:
    """``provider`` using a client configured like the engine would configure it."""
    config = {"render:apiKey": sandbox.token("render"), "render:apiUrl": sandbox.base_url("render")}
    provider.use(RenderClient.from_config(config, sleep=lambda _s: None))
    return provider


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def http(sandbox: Sandbox) -> httpx.Client:
    """A plain client playing the dashboard user who changes things behind Pulumi's back."""
    return httpx.Client(
        base_url=sandbox.base_url("render"),
        headers={"authorization": f"Bearer {sandbox.token('render')}"},
    )


def outs(result: Any) -> dict[str, Any]:
    """The outputs of a create/read/update result (typed ``Optional`` by the SDK)."""
    assert result.outs is not None
    return dict(result.outs)
