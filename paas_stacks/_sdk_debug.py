"""The pinned Pulumi Python SDK's debug lines, without the property values some of them carry.

The rule that matters here: no line this program sends to the engine's debug channel holds a
resource's properties. The SDK (``pulumi/runtime/resource.py``) logs every component's serialized
outputs in plain text ("register resource outputs prepared: urn=..., props=..."), secrets
included, and ``pulumi up --json`` (or ``--debug``) prints that channel on every run; upstream
pulumi/pulumi#24479 moves the line behind a flag. Until the pinned SDK has that, the first
component a program builds wraps ``pulumi.log.debug`` once so those lines keep their URN and lose
their values. What the CLI itself logs (``-v``, ``PULUMI_DEBUG_GRPC``) is out of a program's reach:
the README's security section lists those modes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pulumi.log

__all__ = ["LEFT_OUT", "quiet_sdk_debug", "without_values"]

LEFT_OUT = "[left out by paas-stacks: property values may hold secrets]"
#: The SDK debug lines that carry values: the serialized properties after ``props=`` (resource
#: outputs) and the values of "incoming output value translated" (excessive debug output).
_CARRIERS = (
    re.compile(r"(\bprops=).*", re.DOTALL),
    re.compile(r"^(incoming output value translated: ).*", re.DOTALL),
)
_MARK = "_paas_stacks_quiet"


def without_values(message: str) -> str:
    """``message`` with any property values the SDK put in it left out."""
    for carrier in _CARRIERS:
        message = carrier.sub(lambda found: found.group(1) + LEFT_OUT, message)
    return message


def quiet_sdk_debug() -> None:
    """Wrap ``pulumi.log.debug`` (once per process) so no debug line carries property values.

    The SDK calls it through the module (``log.debug(...)``), so replacing the attribute reaches
    every caller; a later SDK without the function is left alone.
    """
    original: Callable[..., Any] | None = getattr(pulumi.log, "debug", None)
    if original is None or getattr(original, _MARK, False):
        return

    def debug(msg: str, *args: Any, **kwargs: Any) -> Any:
        return original(without_values(str(msg)), *args, **kwargs)

    setattr(debug, _MARK, True)
    debug.__doc__ = original.__doc__
    pulumi.log.debug = debug
