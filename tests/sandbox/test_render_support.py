"""Shared pieces of the Render emulator tests: one Render-only sandbox and spec checks.

Not a test module itself (it holds no tests); the test modules import from it.
"""

from __future__ import annotations

import atexit
import copy
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import httpx
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse

from sandbox import Sandbox, SandboxConfig
from sandbox.core.context import Delays
from tests.sandbox.spec import spec_document

NO_DELAYS = Delays(deploy=0, database=0, project=0, machine=0)
ALPHA = "render-sandbox-key-alpha"
BETA = "render-sandbox-key-beta"
OWNER_ALPHA = "tea-sandboxalpha00000001"
OWNER_BETA = "tea-sandboxbeta000000002"


@cache
def shared_sandbox() -> Sandbox:
    """One Render-only sandbox for all Render test modules (started once, stopped at exit)."""
    state = Path(tempfile.mkdtemp(prefix="render-sandbox-"))
    running = Sandbox(
        SandboxConfig(state_dir=state, vendors=("render",), delays=NO_DELAYS, rate_limits=False)
    )
    running.start()
    atexit.register(shutil.rmtree, state, True)
    atexit.register(running.stop)
    return running


def client(sandbox: Sandbox, token: str | None = ALPHA) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=sandbox.base_url("render"), headers=headers, timeout=30)


#: Where the sandbox deliberately answers unlike ``render-openapi.json``, because the real API
#: does (sandbox/render/README.md has the evidence). Each entry: (why, how the spec is read).
DELIBERATE_DEVIATIONS: tuple[str, ...] = (
    # A valid web service also satisfies the private-service and background-worker variants (none
    # forbids extra fields), so no real web service can pass a strict ``oneOf``: read as anyOf.
    "service.serviceDetails: oneOf read as anyOf",
    # The spec requires ``project`` (with no schema); the recorded answers never carry it.
    "postgresDetail.project: not required",
    # Recorded: image deploys answer ``"commit": null`` and running ones ``"finishedAt": null``.
    "deploy.commit, deploy.finishedAt: nullable",
)


def _deviate(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    details = schemas["service"]["properties"]["serviceDetails"]
    details["anyOf"] = details.pop("oneOf")
    schemas["postgresDetail"]["required"].remove("project")
    for field in ("commit", "finishedAt"):
        schemas["deploy"]["properties"][field]["nullable"] = True


@cache
def _patched_openapi() -> OpenAPI:
    """The Render spec with exactly the ``DELIBERATE_DEVIATIONS``; everything else is the vendor's
    file unchanged."""
    document = copy.deepcopy(spec_document("render"))
    _deviate(document)
    document["servers"] = [{"url": "https://api.render.com/v1"}]
    return OpenAPI.from_dict(document, config=Config(spec_validator_cls=None))  # type: ignore[arg-type]


def check(response: httpx.Response) -> httpx.Response:
    """Validate against the vendor spec, read with the ``DELIBERATE_DEVIATIONS`` above."""
    request = response.request
    mock_request = MockRequest(
        "https://api.render.com",
        request.method.lower(),
        request.url.path,
        args=dict(request.url.params),
    )
    content_type = response.headers.get("content-type", "application/json").split(";")[0]
    mock_response = MockResponse(
        response.content, status_code=response.status_code, content_type=content_type
    )
    _patched_openapi().validate_response(mock_request, mock_response)
    return response


def web_service(name: str = "web", owner: str = OWNER_ALPHA, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "web_service",
        "name": name,
        "ownerId": owner,
        "repo": "https://github.com/render-examples/flask-hello-world",
        "serviceDetails": {
            "runtime": "python",
            "envSpecificDetails": {
                "buildCommand": "pip install -r requirements.txt",
                "startCommand": "gunicorn app:app",
            },
        },
    }
    body.update(extra)
    return body


def create_service(http: httpx.Client, body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = check(http.post("/services", json=body or web_service()))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def assert_error(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"id", "message"}
    assert isinstance(body["message"], str)
    assert body["message"]
