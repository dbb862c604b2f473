"""Supabase error bodies: always ``{"message": "..."}``, whatever went wrong.

The spec declares no error body at all (its 401/403/429/500 responses have no content), so the
sandbox answers with what the real API returns: a JSON object with one ``message`` field. Request
validation failures are 400 (the real API's status for a bad body), never FastAPI's 422.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException


class ApiError(Exception):
    """Raise to answer with ``status`` and ``{"message": message}``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def not_found(what: str = "Project") -> ApiError:
    return ApiError(404, f"{what} not found")


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def error_response(
    status: int, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"message": message}, status_code=status, headers=headers)


def _describe(exc: RequestValidationError) -> str:
    """One readable line per failed field, like ``body.name: Field required``."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ()))
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "Invalid request"


def install_error_handlers(app: FastAPI) -> None:
    """Every error, including FastAPI's own 404/405/422, leaves in the Supabase shape."""

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(400, _describe(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = "Cannot find route" if exc.status_code == 404 else str(exc.detail)
        return error_response(exc.status_code, message, dict(exc.headers or {}))
