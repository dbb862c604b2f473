"""Render's one error shape, ``{"id": ..., "message": ...}``, for every failure the app can produce.

FastAPI's own 404/405/422 answers are replaced so that no error body ever has another shape.
"""

from __future__ import annotations

import uuid

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException


class RenderError(Exception):
    """An API error with the status Render uses for it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error_response(
    status: int, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    # Render's error ids are opaque strings; a uuid is as good as any for correlating logs.
    return JSONResponse({"id": str(uuid.uuid4()), "message": message}, status, headers=headers)


def not_found(what: str) -> RenderError:
    return RenderError(404, f"{what} not found")


def bad_request(message: str) -> RenderError:
    return RenderError(400, message)


def install_handlers(app: FastAPI) -> None:
    """Route every error FastAPI/Starlette raise through Render's error shape."""

    async def on_render(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RenderError)  # noqa: S101 - registered for RenderError only
        return error_response(exc.status, exc.message)

    async def on_http(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)  # noqa: S101
        messages = {404: "not found", 405: "method not allowed"}
        message = messages.get(exc.status_code, str(exc.detail))
        return error_response(exc.status_code, message)

    async def on_validation(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)  # noqa: S101
        return error_response(400, describe_errors(exc.errors()))

    app.add_exception_handler(RenderError, on_render)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)


def describe_errors(errors: object) -> str:
    """One readable line from pydantic/FastAPI error dicts: ``field: problem; ...``."""
    parts: list[str] = []
    for error in errors if isinstance(errors, list | tuple) else []:
        location = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query"))
        parts.append(f"{location}: {error.get('msg', 'invalid')}" if location else error["msg"])
    return "; ".join(parts) or "invalid request"
