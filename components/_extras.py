"""The bridged Pulumi SDKs are optional extras of paas-stacks (``paas-stacks[aws]``...).

The rule that matters here: a component imports a bridged SDK only when it is about to use it,
checks for it BEFORE it registers anything, and a missing SDK is one line naming the extra to
install, never a traceback from deep inside the component.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

from paas_stacks.errors import MissingExtraError

__all__ = ["EXTRAS", "Extra", "import_backend", "require_sdk"]


@dataclass(frozen=True)
class Extra:
    """How ``pyproject.toml`` names the extra that installs an SDK, and how people call it."""

    extra: str
    label: str


#: Each bridged SDK and its extra (``[project.optional-dependencies]`` in ``pyproject.toml``).
EXTRAS: dict[str, Extra] = {
    "pulumi_aws": Extra("aws", "AWS"),
    "pulumi_cloudflare": Extra("cloudflare", "Cloudflare"),
    "pulumi_github": Extra("github", "GitHub"),
    "pulumiverse_vercel": Extra("vercel", "Vercel"),
}


def require_sdk(sdk: str, component: str, needs: str) -> None:
    """Import the SDK ``sdk`` (a key of ``EXTRAS``), or raise ``MissingExtraError``:
    ``<component>: <needs> needs the <label> SDK: pip install "paas-stacks[<extra>]"``."""
    try:
        importlib.import_module(sdk)
    except ModuleNotFoundError as exc:
        if exc.name != sdk:  # the SDK is there but something it imports is not: its own error
            raise
        extra = EXTRAS[sdk]
        raise MissingExtraError(component, needs, extra.label, extra.extra) from None


def import_backend(module: str, sdk: str | None, component: str, needs: str) -> ModuleType:
    """Import the backend ``module``, which imports ``sdk`` at its top, after ``require_sdk``."""
    if sdk is not None:
        require_sdk(sdk, component, needs)
    return importlib.import_module(module)
