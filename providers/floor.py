"""The benchmark floor: every vendor resource on a provider that makes no call at all.

The rule that matters here: the floor changes the provider, never the graph. ``VendorResource``
swaps it in when ``PAAS_STACKS_FLOOR=1`` is set while the program runs, so the same program, the
same resource types, inputs, dependencies and secret outputs go through the engine, and what the
real providers cost on top (HTTP, waits, parsing) is the difference between the two runs.

Create answers a deterministic id and outputs = inputs plus a placeholder for every declared
output, so links, URLs and secrets still resolve; diff compares inputs; read echoes; delete does
nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from typing import Any, final

from pulumi import dynamic

from paas_stacks.providers._resource import is_unknown

__all__ = ["ENV", "FloorProvider", "enabled", "placeholder"]

#: Set to ``1`` in the environment of ``pulumi`` to build the floor graph.
ENV = "PAAS_STACKS_FLOOR"


def enabled() -> bool:
    return os.environ.get(ENV) == "1"


def placeholder(key: str) -> Any:
    """A stand-in for a declared output: URL-shaped for URLs, a number for ports."""
    if key.endswith("port"):
        return 1
    if "url" in key:
        return f"https://floor.invalid/{key}"
    return f"floor-{key}"


def _given(bag: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in bag.items() if v is not None and not k.startswith("__")}


@final
class FloorProvider(dynamic.ResourceProvider):
    """Keeps its inputs as outputs; ``outputs`` names the declared outputs to fill in."""

    def __init__(self, outputs: Iterable[str] = ()) -> None:
        self.outputs = tuple(outputs)

    def _outs(self, inputs: Mapping[str, Any], previous: Mapping[str, Any]) -> dict[str, Any]:
        given = _given(inputs)
        filled = {k: previous.get(k, placeholder(k)) for k in self.outputs if k not in given}
        return {**filled, **given}

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.DiffResult:
        wanted = _given(news)
        changed = [k for k, v in wanted.items() if is_unknown(v) or olds.get(k) != v]
        changed += [k for k in _given(olds) if k not in wanted and k not in self.outputs]
        return dynamic.DiffResult(changes=bool(changed), replaces=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> dynamic.CreateResult:
        given = _given(props)
        digest = hashlib.sha256(json.dumps(given, sort_keys=True, default=str).encode())
        return dynamic.CreateResult(
            id_=f"floor-{digest.hexdigest()[:16]}", outs=self._outs(props, {})
        )

    def read(self, id_: str, props: dict[str, Any]) -> dynamic.ReadResult:
        return dynamic.ReadResult(id_=id_, outs=props)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.UpdateResult:
        return dynamic.UpdateResult(outs=self._outs(news, olds))

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None
