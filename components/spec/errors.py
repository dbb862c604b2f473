"""One error for a whole stack file: ``SpecError`` lists every problem, one line each, as
``<file>: environment.<path>: <what is wrong>; allowed: ...; did you mean '...'?``.

The rule that matters here: the user fixes everything in one pass, so nothing stops at the
first problem, and each line names the file, the config path, the value and the way out.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

Loc = tuple[str | int, ...]
#: Patterns from the models, said in words.
PATTERN_HINTS = {
    r"^[a-z][a-z0-9-]{0,23}$": "a name of lowercase letters, digits and '-' (at most 24, "
    "starting with a letter)",
    r"^[a-z][a-z0-9-]{0,30}[a-z0-9]$": "a name of lowercase letters, digits and '-' (2 to 32, "
    "starting with a letter, not ending with '-')",
    r"^[A-Z_][A-Z0-9_]*$": "an env var name of uppercase letters, digits and '_'",
    r"^[A-Za-z][A-Za-z0-9_]*$": "a config key of letters, digits and '_'",
    r"^/\S*$": "a path starting with '/'",
    r"^https://\S+$": "an https:// URL",
    r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$": "a lowercase hostname",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong, at a config path below ``environment``."""

    loc: Loc
    message: str

    def path(self) -> str:
        out = "environment"
        for part in self.loc:
            out += f"[{part}]" if isinstance(part, int) else f".{part}"
        return out

    def line(self, file: str) -> str:
        return f"{file}: {self.path()}: {self.message}"


class SpecError(ValueError):
    """Every problem of a stack's environment, one per line."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = tuple(lines)
        super().__init__("\n".join(self.lines))


def show(value: Any) -> str:
    """A value as the user wrote it in YAML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return repr(value)


def choices(value: Any, allowed: Iterable[Any], lead: str = "is not allowed") -> str:
    """``'starer' is not allowed; allowed: free, starter; did you mean 'starter'?``"""
    names = [str(item) for item in allowed]
    message = f"{show(value)} {lead}; allowed: {', '.join(names)}"
    return message + did_you_mean(value, names)


def did_you_mean(value: Any, allowed: Sequence[str]) -> str:
    close = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def problems_from(error: ValidationError, root: type[BaseModel]) -> list[Problem]:
    """Pydantic's errors, with tags of discriminated unions dropped from their paths."""
    return [_problem(detail, root) for detail in error.errors(include_url=False)]


def _problem(detail: ErrorDetails, root: type[BaseModel]) -> Problem:
    loc, model = _walk(detail["loc"], root)
    kind, value, ctx = detail["type"], detail["input"], detail.get("ctx", {})
    if kind == "literal_error":
        return Problem(loc, choices(value, _listed(ctx["expected"])))
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        field, allowed = str(ctx["discriminator"]).strip("'"), _tags(detail["loc"], root)
        if kind == "union_tag_invalid":
            return Problem((*loc, field), choices(ctx["tag"], allowed))
        return Problem((*loc, field), f"is required; allowed: {', '.join(allowed)}")
    if kind == "extra_forbidden":
        known = sorted(model.model_fields) if model else []
        return Problem(
            loc, "unknown key; allowed: " + ", ".join(known) + did_you_mean(loc[-1], known)
        )
    return Problem(loc, _plain_message(kind, value, ctx, detail["msg"]))


def _plain_message(kind: str, value: Any, ctx: dict[str, Any], msg: str) -> str:
    if kind == "missing":
        return "is required"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx["pattern"])
        return f"{show(value)} is not {PATTERN_HINTS.get(pattern, repr(pattern))}"
    message = msg.removeprefix("Value error, ").replace("Input should be", "must be")
    return f"{message[:1].lower()}{message[1:]}; got {show(value)}"


def _listed(expected: Any) -> list[str]:
    # Pydantic says "'a', 'b' or 'c'" (or "7, 14 or 28"); values here never contain a comma.
    return [part.strip().strip("'") for part in re.split(r", | or ", str(expected))]


def _walk(raw: Sequence[str | int], root: type[BaseModel]) -> tuple[Loc, type[BaseModel] | None]:
    """The user's path for pydantic's ``loc`` and the model the last part belongs to."""
    shown: list[str | int] = []
    current: Any = root
    owner: type[BaseModel] | None = root
    for part in raw:
        current = _strip(current)
        members = _models(current)
        if members and isinstance(part, str) and part in members:
            current = members[part]  # a discriminated union's tag: not part of the user's path
            continue
        if part == "[key]":
            current = None  # a dict key failed: the path already ends at that key
            continue
        shown.append(part)
        owner = current if isinstance(current, type) and issubclass(current, BaseModel) else None
        current = _step(current, part)
    last = _strip(current)
    if isinstance(last, type) and issubclass(last, BaseModel):
        owner = last
    return tuple(shown), owner


def _step(current: Any, part: str | int) -> Any:
    if isinstance(current, type) and issubclass(current, BaseModel):
        field = current.model_fields.get(str(part))
        return field.annotation if field else None
    origin, args = get_origin(current), get_args(current)
    if origin is dict:
        return args[1]
    if origin in (tuple, list):
        return args[0]
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
