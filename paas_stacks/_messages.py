"""How a bad value is described, the same way whether it came from a stack file or from Python.

The rule that matters here: a refusal shows the value as the user wrote it, what is allowed and
the closest allowed value, so one pass fixes it; pydantic's own wording is translated once, here,
for both the stack spec and the components' arguments.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic_core import ErrorDetails

__all__ = ["PATTERN_HINTS", "choices", "describe", "describe_all", "did_you_mean", "show"]

#: Patterns of the models and arguments, said in words.
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
    r"^[0-9a-fA-F:.]+/\d{1,3}$": "a CIDR block such as '10.0.0.0/8'",
    r"^\d+(ms|s|min|h)$": "a duration such as '30s', '500ms', '5min' or '1h'",
    r"^[\w./-]+$": "a relative path of letters, digits, '_', '-', '.' and '/'",
    r"^[\w-]+$": "a slug of letters, digits, '_' and '-'",
    r"^[\w.-]+/[\w.-]+$": "'owner/repo'",
    r"^[A-Za-z0-9][\w.-]{0,99}$": "a vendor object id such as 'srv-d1a2b3' or a project ref",
}


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


def describe(detail: ErrorDetails) -> str:
    """One pydantic error as a sentence about the value (no location; the caller adds it)."""
    kind, value, ctx = detail["type"], detail["input"], detail.get("ctx", {})
    if kind == "literal_error":
        return choices(value, _listed(ctx["expected"]))
    if kind == "missing":
        return "is required"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx["pattern"])
        return f"{show(value)} is not {PATTERN_HINTS.get(pattern, repr(pattern))}"
    message = detail["msg"].removeprefix("Value error, ").replace("Input should be", "must be")
    return f"{message[:1].lower()}{message[1:]}; got {show(value)}"


def describe_all(errors: Sequence[ErrorDetails]) -> list[tuple[tuple[str | int, ...], str]]:
    """Every error as ``(loc, sentence)``, with pydantic's union-member parts dropped from the
    loc and a value refused by each Literal of a union (``AwsRegion | GcpRegion``) said once."""
    grouped: dict[tuple[str | int, ...], list[ErrorDetails]] = {}
    for detail in errors:
        grouped.setdefault(tuple(_user_loc(detail["loc"])), []).append(detail)
    out: list[tuple[tuple[str | int, ...], str]] = []
    for loc, details in grouped.items():
        if len(details) > 1 and all(d["type"] == "literal_error" for d in details):
            allowed = [v for d in details for v in _listed(d.get("ctx", {})["expected"])]
            out.append((loc, choices(details[0]["input"], allowed)))
        else:
            out += [(loc, describe(detail)) for detail in details]
    return out


def _user_loc(raw: Sequence[str | int]) -> list[str | int]:
    # Union members show up in pydantic's loc as ``literal['a','b']`` or ``str``.
    return [part for part in raw if isinstance(part, int) or not _member(part)]


def _member(part: str) -> bool:
    return "[" in part or part in ("str", "int", "bool", "float")


def _listed(expected: Any) -> list[str]:
    # Pydantic says "'a', 'b' or 'c'" (or "7, 14 or 28"); values here never contain a comma.
    return [part.strip().strip("'") for part in re.split(r", | or ", str(expected))]
