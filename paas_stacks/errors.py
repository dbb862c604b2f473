"""Every error paas-stacks raises, in one family a caller can catch by class.

The rule that matters here: a caller decides by class, never by comparing a status code or a
message; only the HTTP layer (``providers._http``) reads statuses, and it picks the class.

    PaasStacksError
    ├── ConfigurationError (also a ValueError): wrong input, found before any vendor call
    │   ├── SpecError         a stack file, every problem at once (file, config path, value)
    │   ├── ArgsError         a component's arguments, every problem at once
    │   ├── CredentialsError  a provider's token, URL or account setting is missing or bad
    │   └── MissingExtraError a component needs a bridged SDK that is not installed; one line
    ├── VendorError           a vendor call failed: vendor, method, path, status, message, id
    │   ├── VendorConnectionError  no answer at all (connection refused, reset, timed out)
    │   └── VendorStatusError      an answer with an error status
    │       ├── InvalidRequestError    400, 422: the vendor refused what was sent
    │       ├── UnauthorizedError      401, 403: the credentials do not allow it
    │       ├── NotFoundError          404: no such object
    │       ├── ConflictError          409, 412, a name already taken: the object is not as assumed
    │       ├── RateLimitedError       429: too many requests, even after waiting
    │       └── VendorServerError      5xx: the vendor failed
    ├── ResourceError         a resource operation failed; one line that names the resource
    │   └── OwnershipError    the object belongs to another stack (or to none): not touched
    └── PreviewError          the preview command refused or failed; one line
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "ArgsError",
    "ConfigurationError",
    "ConflictError",
    "CredentialsError",
    "InvalidRequestError",
    "Loc",
    "MissingExtraError",
    "NotFoundError",
    "OwnershipError",
    "PaasStacksError",
    "PreviewError",
    "Problem",
    "RateLimitedError",
    "ResourceError",
    "SpecError",
    "UnauthorizedError",
    "VendorConnectionError",
    "VendorError",
    "VendorServerError",
    "VendorStatusError",
]

#: A path of keys and list positions, e.g. ``("services", "api", "links", 0, "to")``.
Loc = tuple[str | int, ...]


class PaasStacksError(Exception):
    """The root: ``except PaasStacksError`` catches everything paas-stacks raises on purpose."""


class ConfigurationError(PaasStacksError, ValueError):
    """Input that cannot work, found before anything is sent to a vendor."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one value: where it is (below its root) and what to do about it."""

    loc: Loc
    message: str

    def path(self, root: str = "") -> str:
        """``root.services.api.links[0]``: keys joined by dots, list positions in brackets."""
        out = root
        for part in self.loc:
            out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
        return out

    def within(self, *prefix: str | int) -> Problem:
        """The same problem, seen from further up (a component's problem inside a stack)."""
        return Problem((*prefix, *self.loc), self.message)


class SpecError(ConfigurationError):
    """Every problem of a stack's environment, one line each:
    ``<file>: environment.<path>: <what is wrong>``."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = tuple(lines)
        super().__init__("\n".join(self.lines))


class ArgsError(ConfigurationError):
    """Every problem of one component's arguments, one line each:
    ``WebService 'api': platform.plan: 'starer' is not allowed; ...``."""

    def __init__(self, component: str, problems: Sequence[Problem]) -> None:
        self.component = component
        self.problems = tuple(problems)
        super().__init__("\n".join(f"{component}: {p.path()}: {p.message}" for p in problems))


class CredentialsError(ConfigurationError):
    """A provider's credentials or settings are missing or malformed; raised before any call."""


class MissingExtraError(ConfigurationError):
    """A component needs a bridged Pulumi SDK (AWS, Cloudflare, GitHub, Vercel) that is not
    installed: ``StaticSite 'web': provider cloudflare_pages needs the Cloudflare SDK: pip install
    "paas-stacks[cloudflare]"``. Raised before the component registers anything."""

    def __init__(self, component: str, needs: str, sdk: str, extra: str) -> None:
        self.component = component
        #: The pip extra that installs the SDK, e.g. ``cloudflare``.
        self.extra = extra
        install = f'pip install "paas-stacks[{extra}]"'
        super().__init__(f"{component}: {needs} needs the {sdk} SDK: {install}")


class VendorError(PaasStacksError):
    """A vendor call failed. ``str()`` is one line: vendor, method, path, status, message, id.

    The message never holds a credential or a secret input: the HTTP layer redacts them.
    """

    def __init__(
        self,
        *,
        vendor: str,
        method: str,
        path: str,
        status: int | None,
        message: str,
        request_id: str | None = None,
        maybe_applied: bool = False,
    ) -> None:
        self.vendor = vendor
        self.method = method
        self.path = path
        self.status = status
        self.message = message
        self.request_id = request_id
        #: True when the vendor may have acted although we got no success answer.
        self.maybe_applied = maybe_applied
        super().__init__(str(self))

    def __str__(self) -> str:
        status = "no response" if self.status is None else str(self.status)
        line = f"{self.vendor} API: {self.method} {self.path} -> {status}: {self.message}"
        if self.request_id:
            line += f" (request id {self.request_id})"
        return line


class VendorConnectionError(VendorError):
    """No answer: the connection was refused, reset or timed out."""


class VendorStatusError(VendorError):
    """The vendor answered with an error status."""


class InvalidRequestError(VendorStatusError):
    """400 or 422: the vendor refused the request as sent."""


class UnauthorizedError(VendorStatusError):
    """401 or 403: the credentials are wrong or do not allow this."""


class NotFoundError(VendorStatusError):
    """404: the object does not exist (or is not visible to these credentials)."""


class ConflictError(VendorStatusError):
    """409, 412, or a name another account holds: the object is not in the state assumed."""


class RateLimitedError(VendorStatusError):
    """429 after every allowed wait."""


class VendorServerError(VendorStatusError):
    """5xx: the vendor failed."""


class ResourceError(PaasStacksError):
    """What the user sees when a resource operation fails: one line naming the resource."""


class OwnershipError(ResourceError):
    """A vendor object this stack does not own: another stack's marker, or no marker where one
    was required. Raised before any write to it; the line names the object, its id, whose it
    is, and the two ways out (rename the environment, or ``adopt_id`` to take it over)."""


class PreviewError(PaasStacksError):
    """A refusal or failure of the preview command, always one line."""
