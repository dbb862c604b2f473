"""Checking a component's arguments before it registers anything.

The rule that matters here: every constrained field (an annotated or ``Literal`` type from
``_fields`` or ``paas_stacks.vendors``) is checked against its own annotation by pydantic, with
the messages the stack spec gives, and a component raises ONE ``ArgsError`` with every problem
(these and its own rules) before any resource exists, so nothing is ever half-declared.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pulumi
from pydantic import TypeAdapter, ValidationError

from paas_stacks._messages import describe_all
from paas_stacks.errors import ArgsError, Loc, Problem

__all__ = ["field_problems", "raise_problems"]


def raise_problems(component: str, problems: Sequence[Problem]) -> None:
    """Raise one ``ArgsError`` naming ``component`` (``WebService 'api'``) if there are any."""
    if problems:
        raise ArgsError(component, problems)


def field_problems(args: Any, at: Loc = ()) -> list[Problem]:
    """Problems of every constrained field of the dataclass ``args`` and the dataclasses in it.

    Values the engine resolves later (Outputs) are not known yet and pass; they are the
    vendor's to judge.
    """
    problems: list[Problem] = []
    hints = _hints(type(args))
    for field in dataclasses.fields(args):
        value = getattr(args, field.name)
        problems += _value_problems((*at, field.name), hints[field.name], value)
    return problems


def _value_problems(at: Loc, annotation: Any, value: Any) -> list[Problem]:
    if value is None or isinstance(value, pulumi.Output):
        return []
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return field_problems(value, at)
    inner = _optional(annotation)
    if _constrained(inner):
        return _validate(at, inner, value)
    origin, parts = get_origin(inner), get_args(inner)
    if origin in (Mapping, dict) and len(parts) == 2 and isinstance(value, Mapping):
        return [
            problem
            for key, item in value.items()
            for problem in [
                *_key_problems((*at, key), parts[0], key),
                *_value_problems((*at, key), parts[1], item),
            ]
        ]
    if origin in (Sequence, tuple, list) and parts and isinstance(value, list | tuple):
        return [
            p for i, item in enumerate(value) for p in _value_problems((*at, i), parts[0], item)
        ]
    return []


def _key_problems(at: Loc, annotation: Any, key: Any) -> list[Problem]:
    return _validate(at, annotation, key) if _constrained(annotation) else []


def _validate(at: Loc, annotation: Any, value: Any) -> list[Problem]:
    try:
        _adapter(annotation).validate_python(value)
    except ValidationError as exc:
        return [Problem((*at, *loc), message) for loc, message in describe_all(exc.errors())]
    return []


def _constrained(annotation: Any) -> bool:
    """Annotated (a pattern, a range) or a Literal: something a plain value can break."""
    origin = get_origin(annotation)
    if origin in (Annotated, Literal):
        return True
    if origin in (Union, types.UnionType):
        return any(_constrained(arg) for arg in get_args(annotation))
    return False


def _optional(annotation: Any) -> Any:
    """``X | None`` -> ``X`` (``None`` values never reach here)."""
    if get_origin(annotation) in (Union, types.UnionType):
        members = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(members) == 1:
            return members[0]
    return annotation


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    """The resolved annotations of a dataclass (kept: a class's never change)."""
    if cls not in _HINTS:
        # ``pulumi.Input`` names ``Output`` as a forward reference, resolved in pulumi's namespace.
        names = {"Output": pulumi.Output, "T": Any}
        _HINTS[cls] = typing.get_type_hints(cls, localns=names, include_extras=True)
    return _HINTS[cls]


@functools.cache
def _adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation)
