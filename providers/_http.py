"""The HTTP layer every vendor client stands on: auth, timeouts, bounded retries, error classes.

The rule that matters here: a request is retried only when repeating it cannot do anything twice.
GET/HEAD/PUT/DELETE (and calls a client marks ``idempotent=True``) are retried on 429, 502, 503,
504 and transport failures; any method is retried on 429 and on a connection that never opened,
because the vendor did not act. A POST whose answer was lost raises a
:class:`~paas_stacks.errors.VendorError` with ``maybe_applied`` set, so the caller looks before it
writes again (see ``_resource.create``).

This is the one place that reads a status: ``error_class`` turns it into a class of
:mod:`paas_stacks.errors` (a vendor client refines it where its API says more, e.g. Fly's 422
``name_taken`` is a :class:`~paas_stacks.errors.ConflictError`), and callers catch by class.
"""

from __future__ import annotations

import email.utils
import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

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
        self._http = httpx.Client(
            base_url=endpoint.base_url.rstrip("/"),
            headers={"accept": "application/json", **endpoint.headers},
            timeout=httpx.Timeout(timeout, connect=10.0),
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

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
            return self._redact(response.text.strip()[:300] or response.reason_phrase)
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
            message = f"the answer is not JSON: {self._redact(response.text[:120])!r}"
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
        print(
            f"{self.vendor} API: {method} {path} -> {why}; retry {attempt + 1} of "
            f"{self.policy.attempts - 1} after {delay:.1f}s",
            file=sys.stderr,
        )

    def _request_id(self, response: httpx.Response) -> str | None:
        for header in self.request_id_headers:
            if header in response.headers:
                return response.headers[header]
        return None

    def _redact(self, text: str) -> str:
        for secret in self.endpoint.secrets:
            if secret:
                text = text.replace(secret, REDACTED)
        return text

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
