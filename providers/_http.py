"""The HTTP layer every vendor client stands on: auth, timeouts, bounded retries, error classes.

The rule that matters here: a request is retried only when repeating it cannot do anything twice.
GET/HEAD/PUT/DELETE (and calls a client marks ``idempotent=True``) are retried on 429, 502, 503,
504 and transport failures; any method is retried on 429 and on a connection that never opened,
because the vendor did not act. A POST whose answer was lost raises a
:class:`~paas_stacks.errors.VendorError` with ``maybe_applied`` set, so the caller looks before it
writes again (see ``_resource.create``).

Nothing it says can hold a secret: every line it builds (errors, retry notes) is redacted of the
configured credentials and of every secret value a provider handed it with ``hide`` (generated
secrets, linked passwords and URLs, config secrets), in the forms a vendor may echo them (as
sent, JSON-escaped, URL-encoded, a URL's password); and an answer that is not JSON is described,
never quoted.

This is the one place that reads a status: ``error_class`` turns it into a class of
:mod:`paas_stacks.errors` (a vendor client refines it where its API says more, e.g. Fly's 422
``name_taken`` is a :class:`~paas_stacks.errors.ConflictError`), and callers catch by class.
"""

from __future__ import annotations

import email.utils
import json as jsonlib
import os
import random
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol
from urllib.parse import quote, unquote, urlsplit

import httpx

from paas_stacks.errors import (
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    RateLimitedError,
    UnauthorizedError,
    VendorConnectionError,
    VendorError,
    VendorServerError,
    VendorStatusError,
)

__all__ = [
    "STATUS_ERRORS",
    "ConfigSource",
    "Endpoint",
    "HttpClient",
    "RetryPolicy",
    "error_class",
    "setting",
]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
REDACTED = "[redacted]"
#: Shorter values are not redacted: they would match ordinary words of a message.
MIN_REDACTED = 6
#: The error class of each status with a meaning of its own; other 4xx are
#: :class:`VendorStatusError`, every 5xx a :class:`VendorServerError`.
STATUS_ERRORS: Mapping[int, type[VendorStatusError]] = {
    400: InvalidRequestError,
    422: InvalidRequestError,
    401: UnauthorizedError,
    403: UnauthorizedError,
    404: NotFoundError,
    409: ConflictError,
    412: ConflictError,
    429: RateLimitedError,
}


def error_class(status: int) -> type[VendorStatusError]:
    """The class of an error answer with ``status``."""
    if status >= 500:
        return VendorServerError
    return STATUS_ERRORS.get(status, VendorStatusError)


class ConfigSource(Protocol):
    """What ``configure`` hands a provider: ``get("render:apiKey")`` style lookups."""

    def get(self, key: str) -> Any: ...


def setting(
    config: ConfigSource | None, key: str, env: str, default: str | None = None
) -> str | None:
    """A provider setting: stack config ``key`` (e.g. ``render:apiKey``), else env var ``env``."""
    value = config.get(key) if config is not None else None
    if value in (None, ""):
        value = os.environ.get(env) or default
    return None if value is None else str(value)


@dataclass(frozen=True)
class Endpoint:
    """Where a vendor API lives and how to authenticate; ``repr`` never shows the credentials."""

    base_url: str
    headers: Mapping[str, str] = field(repr=False)
    #: Strings that must never appear in an error or log line (tokens, keys).
    secrets: tuple[str, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter, bounded in attempts and in total time."""

    attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 20.0
    total: float = 90.0

    def backoff(self, attempt: int) -> float:
        return random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))  # noqa: S311


class HttpClient:
    """One vendor's API: subclasses set ``vendor`` and how to read its error bodies."""

    vendor: ClassVar[str] = "vendor"
    #: Response headers that carry the vendor's request id, first match wins.
    request_id_headers: ClassVar[tuple[str, ...]] = ("x-request-id",)
    #: Response headers giving the seconds until a rate-limit window resets.
    reset_headers: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        policy: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        timeout: float = 60.0,
    ) -> None:
        self.endpoint = endpoint
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        # Secret values seen by any operation of this process, never forgotten: operations run
        # in parallel threads on one client, and hiding too much is harmless.
        self._hidden: set[str] = set()
        self._hidden_lock = threading.Lock()
        self._http = httpx.Client(
            base_url=endpoint.base_url.rstrip("/"),
            headers={"accept": "application/json", **endpoint.headers},
            timeout=httpx.Timeout(timeout, connect=10.0),
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def hide(self, values: Iterable[Any]) -> None:
        """Redact these values (strings, or maps and lists of them) from every line from now on."""
        found = set(_strings(values))
        with self._hidden_lock:
            self._hidden |= {form for value in found for form in _forms(value)}

    def redact(self, text: str) -> str:
        """``text`` with every credential and hidden value replaced by ``[redacted]``."""
        with self._hidden_lock:
            hidden = set(self._hidden)
        secrets = {form for s in self.endpoint.secrets for form in _forms(s)} | hidden
        # Longest first, so a URL goes before the password inside it.
        for secret in sorted(secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        return text

    def pause(self, seconds: float) -> None:
        """Sleep with the client's injected sleep (a no-op in unit tests), e.g. between polls."""
        self._sleep(seconds)

    # -- the one entry point -----------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        idempotent: bool | None = None,
        expect: Iterable[int] = (),
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send, retrying what is safe to retry; return a 2xx answer or one of ``expect``.

        Anything else raises the :class:`VendorError` subclass ``error_class`` picks, or
        :class:`VendorConnectionError` when no answer came.
        """
        repeatable = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        accepted = set(expect)
        started = time.monotonic()
        for attempt in range(self.policy.attempts):
            last = attempt == self.policy.attempts - 1
            try:
                response = self._http.request(
                    method, path, json=json, params=params, headers=headers
                )
            except httpx.TransportError as exc:
                never_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
                delay = self.policy.backoff(attempt)
                if (repeatable or never_sent) and not last and self._can_wait(started, delay):
                    self._note_retry(method, path, type(exc).__name__, delay, attempt)
                    continue
                raise self._error(
                    VendorConnectionError,
                    method,
                    path,
                    None,
                    _describe(exc),
                    maybe_applied=not never_sent,
                ) from exc
            if response.is_success or response.status_code in accepted:
                return response
            status = response.status_code
            if status in RETRYABLE_STATUSES and (repeatable or status == 429) and not last:
                delay = self._delay(response, attempt)
                if self._can_wait(started, delay):
                    self._note_retry(method, path, str(status), delay, attempt)
                    continue
            raise self._error(
                self.error_class(response),
                method,
                path,
                status,
                self.error_message(response),
                self._request_id(response),
                maybe_applied=status >= 500 and not repeatable,
            )
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        """``request`` then the decoded body; a body that is not JSON is a :class:`VendorError`."""
        response = self.request(method, path, **kwargs)
        if not response.content:
            return None
        return self._decode(response, method, path)

    def get_or_none(self, path: str, **kwargs: Any) -> Any:
        """GET a single object; ``None`` when the vendor says it does not exist (404)."""
        response = self.request("GET", path, expect=(404,), **kwargs)
        if response.status_code == 404:
            return None
        return self._decode(response, "GET", path)

    def delete(self, path: str, **kwargs: Any) -> None:
        """DELETE; an object that is already gone (404) counts as deleted."""
        self.request("DELETE", path, expect=(404,), **kwargs)

    # -- vendor hooks --------------------------------------------------------------------------
    def error_class(self, response: httpx.Response) -> type[VendorStatusError]:
        """The class of an error answer; a vendor client refines it where its body says more."""
        return error_class(response.status_code)

    def error_message(self, response: httpx.Response) -> str:
        """The vendor's own words from an error body; subclasses know its shape."""
        try:
            body = response.json()
        except ValueError:
            return self._redact(_not_json(response))
        if isinstance(body, str):
            return self._redact(body)
        if isinstance(body, dict):
            for key in ("message", "error", "detail", "msg"):
                if isinstance(body.get(key), str):
                    return self._redact(body[key])
        return self._redact(str(body)[:300])

    # -- internals -----------------------------------------------------------------------------
    def _decode(self, response: httpx.Response, method: str, path: str) -> Any:
        """The JSON body; a success answer that is not JSON is a plain :class:`VendorError`
        (neither a lost answer nor an error status)."""
        try:
            return response.json()
        except ValueError as exc:
            message = f"the answer is not valid JSON ({_json_problem(exc, response)})"
            raise self._error(
                VendorError,
                method,
                path,
                response.status_code,
                message,
                self._request_id(response),
            ) from exc

    def _delay(self, response: httpx.Response, attempt: int) -> float:
        """Seconds to wait: the vendor's Retry-After or reset header if given, else backoff."""
        hinted = _seconds(response.headers.get("retry-after"))
        for header in self.reset_headers:
            if hinted is None:
                hinted = _seconds(response.headers.get(header))
        if hinted is None:
            return self.policy.backoff(attempt)
        # A little jitter stops a fleet of clients from coming back in the same instant.
        return min(self.policy.max_delay, hinted) + random.uniform(0, 0.1)  # noqa: S311

    def _can_wait(self, started: float, delay: float) -> bool:
        if time.monotonic() - started + delay > self.policy.total:
            return False
        self._sleep(delay)
        return True

    def _note_retry(self, method: str, path: str, why: str, delay: float, attempt: int) -> None:
        note = (
            f"{self.vendor} API: {method} {path} -> {why}; retry {attempt + 1} of "
            f"{self.policy.attempts - 1} after {delay:.1f}s"
        )
        print(self._redact(note), file=sys.stderr)

    def _request_id(self, response: httpx.Response) -> str | None:
        for header in self.request_id_headers:
            if header in response.headers:
                return response.headers[header]
        return None

    def _redact(self, text: str) -> str:
        return self.redact(text)

    def _error(  # noqa: PLR0917
        self,
        kind: type[VendorError],
        method: str,
        path: str,
        status: int | None,
        message: str,
        request_id: str | None = None,
        *,
        maybe_applied: bool = False,
    ) -> VendorError:
        """One error line; every configured secret is redacted from the path and the message."""
        return kind(
            vendor=self.vendor,
            method=method,
            path=self._redact(self._http.base_url.path.rstrip("/") + path),
            status=status,
            # One line, whatever the vendor's body looked like.
            message=" ".join(self._redact(message).splitlines()),
            request_id=request_id,
            maybe_applied=maybe_applied,
        )


def _seconds(value: str | None) -> float | None:
    """A Retry-After style value: delta seconds or an HTTP date."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        # Render documents its reset header as epoch seconds but shows a countdown; accept both.
        return max(0.0, seconds - time.time() if seconds > 1e9 else seconds)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _describe(exc: httpx.TransportError) -> str:
    detail = str(exc) or "connection failed"
    return f"{type(exc).__name__}: {detail}"


def _strings(values: Iterable[Any]) -> Iterable[str]:
    for value in values:
        if isinstance(value, str):
            yield value
        elif isinstance(value, Mapping):
            yield from _strings(value.values())
        elif isinstance(value, list | tuple | set):
            yield from _strings(value)


def _forms(secret: str) -> set[str]:
    """The ways a vendor may repeat ``secret``: as sent, JSON-escaped, URL-encoded (both ways),
    and, for a URL, the password inside it."""
    if len(secret) < MIN_REDACTED:
        return set()
    forms = {secret, jsonlib.dumps(secret)[1:-1], quote(secret, safe=""), unquote(secret)}
    if "://" in secret:
        try:
            password = urlsplit(secret).password
        except ValueError:
            password = None
        if password:
            forms |= _forms(unquote(password)) | _forms(password)
    return {form for form in forms if len(form) >= MIN_REDACTED}


def _not_json(response: httpx.Response) -> str:
    """An error body that is not JSON, in words when it looks like cut-off JSON or a web page (a
    truncated body may hold what was sent); a vendor's plain-text message as it is."""
    text = response.text.strip()
    if not text:
        return response.reason_phrase
    if text[0] in '{["<':
        return (
            f"{response.reason_phrase or 'an error'}; the body ({len(response.content)} bytes) "
            "is not valid JSON (truncated, or not an API answer)"
        )
    return text[:300]


def _json_problem(exc: ValueError, response: httpx.Response) -> str:
    """Why a body is not JSON, by position only (a cut-off body may hold a password)."""
    size = len(response.content)
    if isinstance(exc, jsonlib.JSONDecodeError):
        cut = " (cut off: truncated)" if exc.pos >= len(exc.doc.rstrip()) else ""
        return f"{exc.msg} at character {exc.pos} of {size}{cut}"
    return f"{size} bytes that do not decode"
