"""One error for a whole stack file: ``SpecError`` lists every problem, one line each, as
``<file>: environment.<path>: <what is wrong>; allowed: ...; did you mean '...'?``.

The rule that matters here: the user fixes everything in one pass, so nothing stops at the
first problem, and each line names the file, the config path, the value and the way out.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Sequence
from typing import Annotated, Any, Literal, Union, cast, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from paas_stacks._messages import choices, describe_all, did_you_mean
from paas_stacks.errors import Loc, Problem, SpecError

__all__ = ["Loc", "Problem", "SpecError", "line", "problems_from"]


def line(file: str, problem: Problem) -> str:
    """``<file>: environment.<path>: <message>``."""
    return f"{file}: {problem.path('environment')}: {problem.message}"


def problems_from(error: ValidationError, root: type[BaseModel]) -> list[Problem]:
    """Pydantic's errors at the user's paths (tags of discriminated unions and union members
    dropped), in pydantic's order; a value refused by each Literal of a union is said once."""
    slots: list[Problem | Loc] = []
    located: dict[Loc, list[ErrorDetails]] = {}
    for detail in error.errors(include_url=False):
        special = _special(detail, root)
        if special is not None:
            slots.append(special)
            continue
        loc, _model = _walk(detail["loc"], root)
        if loc not in located:
            slots.append(loc)
        located.setdefault(loc, []).append(cast("ErrorDetails", {**detail, "loc": ()}))
    out: list[Problem] = []
    for slot in slots:
        if isinstance(slot, Problem):
            out.append(slot)
        else:
            out += [Problem(slot, message) for _, message in describe_all(located[slot])]
    return out


def _special(detail: ErrorDetails, root: type[BaseModel]) -> Problem | None:
    """Errors about the shape (an unknown key, a missing or wrong tag), said with the keys."""
    kind, ctx = detail["type"], detail.get("ctx", {})
    loc, model = _walk(detail["loc"], root)
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        field, allowed = str(ctx["discriminator"]).strip("'"), _tags(detail["loc"], root)
        if kind == "union_tag_invalid":
            return Problem((*loc, field), choices(ctx["tag"], allowed))
        return Problem((*loc, field), f"is required; allowed: {', '.join(allowed)}")
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        porting: dict[str, str] = getattr(model, "porting", {})
        if loc and loc[-1] in porting:
            # A key of the other platform: say what this platform needs instead.
            return Problem(loc, f"is not a setting of this platform: {porting[str(loc[-1])]}")
        known = sorted(_field_names(model)) if model else []
        return Problem(
            loc, "unknown key; allowed: " + ", ".join(known) + did_you_mean(loc[-1], known)
        )
    return None


def _field_names(model: Any) -> list[str]:
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    if dataclasses.is_dataclass(model):
        return [field.name for field in dataclasses.fields(model)]
    return []


def _walk(raw: Sequence[str | int], root: type[BaseModel]) -> tuple[Loc, Any]:
    """The user's path for pydantic's ``loc`` and the model the last part belongs to."""
    shown: list[str | int] = []
    current: Any = root
    owner: Any = root
    for part in raw:
        current = _strip(current)
        members = _models(current)
        if members and isinstance(part, str) and part in members:
            current = members[part]  # a discriminated union's tag: not part of the user's path
            continue
        if part == "[key]" or (isinstance(part, str) and _union_member(part)):
            continue  # a dict key (the path ends at it) or a union member's name
        shown.append(part)
        owner = current if _is_model(current) else None
        current = _step(current, part)
    last = _strip(current)
    if _is_model(last):
        owner = last
    return tuple(shown), owner


def _union_member(part: str) -> bool:
    return "[" in part or part in ("str", "int", "bool", "float")


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and (issubclass(tp, BaseModel) or dataclasses.is_dataclass(tp))


def _step(current: Any, part: str | int) -> Any:
    if isinstance(current, type) and issubclass(current, BaseModel):
        field = current.model_fields.get(str(part))
        return field.annotation if field else None
    if isinstance(current, type) and dataclasses.is_dataclass(current):
        hints = {f.name: f.type for f in dataclasses.fields(current)}
        return _resolved(current, hints.get(str(part)))
    origin, args = get_origin(current), get_args(current)
    if origin is dict:
        return args[1]
    if origin in (tuple, list):
        return args[0]
    return None


def _resolved(owner: type, annotation: Any) -> Any:
    if not isinstance(annotation, str):
        return annotation
    try:
        return typing.get_type_hints(owner, include_extras=True).get(annotation)
    except NameError:
        return None


def _strip(tp: Any) -> Any:
    """Annotated[X, ...] -> X; X | None -> X."""
    while True:
        if get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
            continue
        if get_origin(tp) in (Union, types.UnionType):
            members = [arg for arg in get_args(tp) if arg is not type(None)]
            if len(members) == 1:
                tp = members[0]
                continue
        return tp


def _models(tp: Any) -> dict[str, type[BaseModel]]:
    """A union of models keyed by the values of their Literal discriminator field."""
    if get_origin(tp) not in (Union, types.UnionType):
        return {}
    out: dict[str, type[BaseModel]] = {}
    for member in get_args(tp):
        if not (isinstance(member, type) and issubclass(member, BaseModel)):
            continue
        for field in member.model_fields.values():
            tags = get_args(field.annotation) if get_origin(field.annotation) is Literal else ()
            if len(tags) == 1 and field.is_required():
                out[str(tags[0])] = member
                break
    return out


def _tags(raw: Sequence[str | int], root: type[BaseModel]) -> list[str]:
    current: Any = root
    for part in raw:
        current = _step(_strip(current), part)
    return sorted(_models(_strip(current)))
