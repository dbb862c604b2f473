"""A tiny vendor for testing the sandbox core on its own: items stored per workspace."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Header, HTTPException

from sandbox.core.context import VendorContext

BASE_PATH = "/v9"
DEFAULT_TOKENS = {"fake-token-a": "ws-a", "fake-token-b": "ws-b"}


def client_env(base_url: str, token: str) -> dict[str, str]:
    return {"FAKE_API_URL": base_url, "FAKE_TOKEN": token}


def create_app(ctx: VendorContext) -> FastAPI:
    app = FastAPI()

    def workspace(authorization: str | None) -> str:
        token = (authorization or "").removeprefix("Bearer ")
        if token not in ctx.tokens:
            raise HTTPException(401, "unauthorized")
        return ctx.tokens[token]

    @app.post("/v9/items/{item_id}", status_code=201)
    def put_item(item_id: str, authorization: str | None = Header(None)) -> dict[str, Any]:
        return ctx.store.put("fake", "item", item_id, workspace(authorization), {"id": item_id})

    @app.get("/v9/items/{item_id}")
    def get_item(item_id: str, authorization: str | None = Header(None)) -> dict[str, Any]:
        item = ctx.store.get("fake", "item", item_id, workspace(authorization))
        if item is None:
            raise HTTPException(404, "not found")
        return item

    return app
