"""Typed wiring between components: a consumer receives the env vars its links provide.

The rule that matters here: every injected name has exactly one source. A link can pick some of
its target's variables (``only``) and rename them (``rename``); two links that would inject the
same name are an error, never a silent overwrite.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import pulumi

__all__ = ["Link", "Linkable", "linked_env"]


@runtime_checkable
class Linkable(Protocol):
    """Anything a service can consume: Postgres, Redis, SecretSet, ObjectStore, a web service."""

    def env(self) -> Mapping[str, pulumi.Output[str]]:
        """Env var name -> value; sensitive values are secret Outputs."""
        ...


@dataclass(frozen=True)
class Link:
    """``Link(db, only=["DATABASE_URL"], rename={"REDIS_URL": "QUEUE_URL"})``."""

    to: Linkable
    #: Inject only these of the target's variables (names before renaming).
    only: Sequence[str] | None = None
    #: Target's variable name -> the name the consumer expects.
    rename: Mapping[str, str] = field(default_factory=dict)


def linked_env(
    links: Sequence[Linkable | Link], own: Mapping[str, object] | None = None
) -> dict[str, pulumi.Output[str]]:
    """The variables ``links`` inject, after ``only`` and ``rename``.

    ``own`` are the consumer's own variable names: a link may not overwrite them either.
    """
    sources: dict[str, str] = dict.fromkeys(own or {}, "its own env")
    injected: dict[str, pulumi.Output[str]] = {}
    for item in links:
        link = item if isinstance(item, Link) else Link(item)
        offered = dict(link.to.env())
        missing = [name for name in [*(link.only or ()), *link.rename] if name not in offered]
        if missing:
            raise ValueError(
                f"{_describe(link.to)} provides {sorted(offered)}, not {sorted(missing)}"
            )
        for name, value in offered.items():
            if link.only is not None and name not in link.only:
                continue
            target = link.rename.get(name, name)
            if target in sources:
                raise ValueError(
                    f"{target} would come from both {sources[target]} and {_describe(link.to)}; "
                    "rename one of them"
                )
            sources[target] = _describe(link.to)
            injected[target] = value
    return injected


def _describe(target: object) -> str:
    name = getattr(target, "_name", None)
    return f"{type(target).__name__} {name!r}" if name else type(target).__name__
