"""How any failure of a resource operation becomes one line under the resource's name.

The rule that matters here: nothing raw reaches the user. A vendor error is already one redacted
line (the HTTP layer); an answer of the wrong shape (a half-written or truncated object: a
missing key, a ``None`` where an object was due) is described by what was wrong with it, never
by its content, which may hold a password; invalid inputs show a refused scalar only when it
cannot be secret. Every line goes through the client's redaction last.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from paas_stacks.errors import CredentialsError, ResourceError, VendorError

__all__ = ["NamedErrors", "present", "reason", "where"]

#: What the wrong shape of an answer raises where a provider reads it.
SHAPE_ERRORS = (KeyError, IndexError, TypeError, AttributeError, ValueError)


class NamedErrors:
    """``with NamedErrors(label, redact):`` turns a failure into one ``ResourceError`` line."""

    def __init__(self, label: str, redact: Callable[[str], str]) -> None:
        self.label = label
        self.redact = redact

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, _kind: type[BaseException] | None, exc: BaseException | None, _tb: Any
    ) -> None:
        if exc is None:
            return
        if isinstance(exc, ResourceError):
            raise type(exc)(self.redact(str(exc))) from None
        if isinstance(exc, VendorError | CredentialsError):
            raise ResourceError(self.redact(f"{self.label}: {exc}")) from None
        if isinstance(exc, SHAPE_ERRORS):
            raise ResourceError(f"{self.label}: {shape_problem(exc)}") from None


def shape_problem(exc: BaseException) -> str:
    """What was wrong with an answer, in words that never quote it."""
    if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], str | int):
        what = f"has no {exc.args[0]!r}"
    elif isinstance(exc, IndexError):
        what = "has fewer entries than it must"
    else:
        what = f"is not shaped as documented ({type(exc).__name__})"
    return (
        f"the vendor's answer {what}: a half-written or truncated answer, so none of it was "
        "used; run the command again (the object is looked up first, never created twice)"
    )


def where(error: Any) -> str:
    return ".".join(str(part) for part in error["loc"])


def reason(error: Any, hidden: bool = False) -> str:
    """Pydantic's message plus the scalar value it refused, which the user needs to find the typo.

    Maps and lists are left out: they may hold secret values (env vars, function secrets).
    """
    if error.get("type") == "missing":
        return "required"
    value = error.get("input")
    if not hidden and isinstance(value, str | int | float | bool) and len(str(value)) <= 80:
        return f"{error['msg']} (got {value!r})"
    return str(error["msg"])


def present(props: Mapping[str, Any]) -> dict[str, Any]:
    """The bag without the engine's bookkeeping and without unset (None) values."""
    return {k: v for k, v in props.items() if v is not None and not k.startswith("__")}
