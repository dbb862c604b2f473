"""Owner markers on vendor objects, and the verdict on an object a stack is about to act on.

The rule that matters here: a stack creates, adopts, changes and deletes only what carries ITS
marker. An object another stack marked is never touched; one with no marker is taken only when
this very run created it (the answer of its create was lost), when ``adopt_id`` names it, or
when it is already in this stack's state (made before markers existed: it is marked then). Every
refusal is one line naming the object, its id, whose it is, and the two ways out.

A marker is ``<organization>/<project>/<stack>#<tag>``. Where a vendor keeps only a name, the tag
alone is carried: in a secret's name (``PAAS_STACKS_OWNER_<TAG>``) or a name suffix
(``-ps-<tag>``); the tag identifies the owner as well, the stack id is then not readable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import ClassVar

from paas_stacks.errors import OwnershipError

__all__ = ["OWNER_VAR", "Marker", "Ownership", "Verdict", "judge", "refuse", "reserved"]

#: The env var, secret or function secret that carries a marker.
OWNER_VAR = "PAAS_STACKS_OWNER"


def reserved(names: Iterable[str]) -> list[str]:
    """The names a user may not declare: they are the owner markers' own."""
    return sorted(name for name in names if name.upper().startswith(OWNER_VAR))


class Ownership(Enum):
    """Where a resource kind keeps its owner, which decides what ``create`` may adopt."""

    #: On the object itself (an env var, a secret, a name suffix).
    MARKED = "marked"
    #: Inside a parent this stack owns (an app's machines, a project's settings).
    INHERITED = "inherited"
    #: Nowhere: the vendor offers no place, so only ``adopt_id`` adopts an existing object.
    UNMARKABLE = "unmarkable"


@dataclass(frozen=True)
class Marker:
    """An owner: the tag always, the stack id when the vendor keeps the whole marker."""

    TAG_LENGTH: ClassVar[int] = 12
    _TAG: ClassVar[re.Pattern[str]] = re.compile(r"^[0-9a-f]{12}$")
    _SUFFIX: ClassVar[re.Pattern[str]] = re.compile(r"^(?P<base>.+)-ps-(?P<tag>[0-9a-f]{12})$")

    tag: str
    stack: str | None = None

    def __str__(self) -> str:
        return f"{self.stack}#{self.tag}" if self.stack else f"#{self.tag}"

    @classmethod
    def parse(cls, text: object) -> Marker | None:
        """``org/project/stack#tag`` (or ``#tag``); anything else is no marker."""
        if not isinstance(text, str) or "#" not in text:
            return None
        stack, _, tag = text.rpartition("#")
        return cls(tag, stack or None) if cls._TAG.match(tag) else None

    @property
    def secret_name(self) -> str:
        """The secret whose NAME carries the tag (values of Fly/Supabase secrets are unreadable)."""
        return f"{OWNER_VAR}_{self.tag.upper()}"

    @classmethod
    def from_secret_name(cls, name: str) -> Marker | None:
        prefix = f"{OWNER_VAR}_"
        tag = name[len(prefix) :].lower() if name.startswith(prefix) else ""
        return cls(tag) if cls._TAG.match(tag) else None

    def suffixed(self, name: str) -> str:
        """``name`` with this owner's tag as a suffix (vendors that keep nothing but a name)."""
        return f"{name}-ps-{self.tag}"

    @classmethod
    def split_name(cls, name: str) -> tuple[str, Marker | None]:
        """``(declared name, owner)`` of a vendor name that may carry a tag suffix."""
        match = cls._SUFFIX.match(name)
        return (match["base"], cls(match["tag"])) if match else (name, None)

    def who(self) -> str:
        return f"stack {self.stack}" if self.stack else f"the stack with owner tag {self.tag}"


class Verdict(Enum):
    OURS = "ours"
    FOREIGN = "foreign"
    NONE = "none"


def judge(found: Iterable[Marker], ours: Marker | None) -> tuple[Verdict, Marker | None]:
    """Ours if any marker on the object is ours; else another stack's; else nobody's."""
    markers = list(found)
    if ours is not None and any(marker.tag == ours.tag for marker in markers):
        return Verdict.OURS, ours
    if markers:
        return Verdict.FOREIGN, markers[0]
    return Verdict.NONE, None


def refuse(
    label: str,
    object_id: str,
    foreign: Marker | None,
    ours: Marker | None,
    *,
    action: str = "adopt",
    unmarkable: bool = False,
) -> OwnershipError:
    """The one line for an object this stack must not ``action``."""
    if unmarkable:
        whose = "and this kind of object cannot carry an owner marker, so it may belong to anyone"
    elif foreign is not None:
        whose = f"it belongs to another stack ({foreign.who()})"
    else:
        whose = "it carries no owner marker (made outside paas-stacks, or by another tool)"
    me = f" and this is {ours.who()}" if ours is not None and ours.stack else ""
    ways = (
        "rename the environment (name: in the stack file) so this stack makes its own, or set "
        f"adopt_id {object_id!r} to take it over deliberately"
    )
    if action == "delete":
        ways = (
            "leave it to its owner and drop it from this stack's state with "
            "`pulumi state delete <urn>`, or set adopt_id on it and `pulumi up` to take it over "
            "first"
        )
    return OwnershipError(f"{label} ({object_id}): refusing to {action} it: {whose}{me}; {ways}")
