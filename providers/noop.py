"""A dynamic resource that calls no API: it records its inputs and counts its updates.

It proves the engine path end to end (pickling by reference, diff, update, delete) and is the
"floor" the benchmarks compare the real providers against: same graph, zero HTTP.
"""

from __future__ import annotations

from typing import Any, final

import pulumi
from pulumi import dynamic

__all__ = ["Record", "RecordProvider"]


def _inputs(bag: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The compared inputs, normalised: the engine drops ``None`` inputs from the bag."""
    return bag.get("value"), bag.get("data") or {}


@final
class RecordProvider(dynamic.ResourceProvider):
    """Keeps ``value`` and ``data`` as given; ``revision`` counts creates plus updates."""

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.DiffResult:
        changed = _inputs(olds) != _inputs(news)
        return dynamic.DiffResult(changes=changed, replaces=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> dynamic.CreateResult:
        outs = {"value": props["value"], "data": props.get("data") or {}, "revision": 1}
        return dynamic.CreateResult(id_=f"record-{props['value']}", outs=outs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.UpdateResult:
        revision = int(olds.get("revision", 0)) + 1
        outs = {"value": news["value"], "data": news.get("data") or {}, "revision": revision}
        return dynamic.UpdateResult(outs=outs)

    def read(self, id_: str, props: dict[str, Any]) -> dynamic.ReadResult:
        return dynamic.ReadResult(id_=id_, outs=props)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None


@final
class Record(dynamic.Resource, module="noop", name="Record"):
    """A value kept in state and nowhere else."""

    value: pulumi.Output[str]
    data: pulumi.Output[dict[str, Any]]
    revision: pulumi.Output[int]

    def __init__(
        self,
        resource_name: str,
        *,
        value: pulumi.Input[str],
        data: pulumi.Input[dict[str, Any]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props = {"value": value, "data": data, "revision": None}
        super().__init__(RecordProvider(), resource_name, props, opts)
