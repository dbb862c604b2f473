"""Upstash error bodies: a bare JSON string carrying the message, with the HTTP status.

The spec defines ``Error {code, message}`` but no operation references it. What the live service
is seen to send is a bare JSON string (``400 "regional db creation is deprecated"``, reported by
several independent users), and the Terraform provider only copies the body text into its error.
So every error here, FastAPI's own 404/405/validation errors included, is ``JSONResponse("text")``.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException


class UpstashError(Exception):
    """Raised anywhere in a handler; answered as ``status`` with the message as a JSON string."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


def error_response(
    status: int, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(message, status_code=status, headers=dict(headers or {}))


def not_found() -> UpstashError:
    # Unknown ids and other teams' ids look the same, so a key cannot probe for foreign ids.
    return UpstashError(404, "database not found")


def describe_validation(errors: list[dict[str, object]]) -> str:
    """``"invalid request: primary_region: Input should be ..."`` from pydantic's error list."""
    first = errors[0] if errors else {}
    loc = [str(part) for part in first.get("loc", ()) or () if part != "body"]  # type: ignore[attr-defined]
    where = ".".join(loc)
    message = str(first.get("msg", "invalid value"))
    return f"invalid request: {where}: {message}" if where else f"invalid request: {message}"


def install_error_handlers(app: FastAPI) -> None:
    """Route every error FastAPI or Starlette produce through the Upstash body shape."""

    @app.exception_handler(UpstashError)
    async def _upstash(_: Request, exc: UpstashError) -> JSONResponse:
        return error_response(exc.status, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI answers 422; Upstash documents 400 for an invalid request.
        return error_response(400, describe_validation(list(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), exc.headers)
