"""Fly's error shape everywhere: ``ErrorResponse {error, status?}``, even for FastAPI's own
validation, 404 and 405 answers, so fly-go's ``FlapsError`` parses every failure."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException


class FlyError(Exception):
    """Raised by handlers; becomes ``{"error": message, "status"?: code}``."""

    def __init__(self, status_code: int, message: str, status: str | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.status = status


def error_response(status_code: int, message: str, status: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": message}
    if status is not None:
        body["status"] = status
    return JSONResponse(body, status_code=status_code)


def not_found(what: str) -> FlyError:
    # fly-go matches the text "app not found" (AppNameAvailable), so keep that wording.
    return FlyError(404, f"{what} not found")


def _describe(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        parts.append(f"{loc or 'body'}: {err.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(parts)


def install(app: FastAPI) -> None:
    """Replace FastAPI's default error bodies with Fly's."""

    @app.exception_handler(FlyError)
    async def fly_error(_: Request, exc: FlyError) -> JSONResponse:
        return error_response(exc.status_code, exc.message, exc.status)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Fly answers malformed bodies with 400 (the spec's declared error status), not 422.
        return error_response(400, _describe(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail))
