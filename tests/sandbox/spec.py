"""Check a sandbox response against the vendor's own OpenAPI file (never a hand-written schema)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import yaml
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse

SPECS = Path(__file__).resolve().parents[2] / "sandbox" / "specs"

#: vendor -> (spec file, the vendor's real base URL that the spec's paths hang off)
_VENDOR_SPECS = {
    "render": ("render-openapi.json", "https://api.render.com/v1"),
    "fly": ("fly-machines-openapi.json", "https://api.machines.dev/v1"),
    "supabase": ("supabase-management-openapi.json", "https://api.supabase.com"),
    "upstash": ("upstash-developer-openapi.yml", "https://api.upstash.com/v2"),
}


@cache
def spec_document(vendor: str) -> dict[str, Any]:
    file, _ = _VENDOR_SPECS[vendor]
    text = (SPECS / file).read_text()
    document: dict[str, Any] = yaml.safe_load(text) if file.endswith(".yml") else json.loads(text)
    return document


def _as_recorded(vendor: str, document: dict[str, Any]) -> dict[str, Any]:
    """Where the vendor's recorded answers contradict its file, the recordings win.

    Render's deploys (render-oss/terraform-provider-render cassettes, e.g.
    web_service_image_cassette.yaml): an image deploy answers ``"commit": null`` and a deploy
    still running ``"finishedAt": null``; the file types both as non-nullable.

    Supabase's entitlements: an entitlement's ``config`` is a ``oneOf`` of three open objects,
    and a numeric config (``{enabled, value, unlimited, unit}``, what the Supabase CLI's own
    plan-gate test answers for ``branching_limit``) also matches the ``{enabled}`` one, so no
    numeric entitlement could ever pass. Read as ``anyOf``, which is what the answers satisfy.
    """
    document = json.loads(json.dumps(document))
    if vendor == "render":
        deploy = document["components"]["schemas"]["deploy"]["properties"]
        for key in ("commit", "finishedAt"):
            deploy[key]["nullable"] = True
    if vendor == "supabase":
        entitlements = document["components"]["schemas"]["V1ListEntitlementsResponse"]
        config = entitlements["properties"]["entitlements"]["items"]["properties"]["config"]
        config["anyOf"] = config.pop("oneOf")
    return document


@cache
def _openapi(vendor: str) -> OpenAPI:
    document = _as_recorded(vendor, dict(spec_document(vendor)))
    document["servers"] = [{"url": _VENDOR_SPECS[vendor][1]}]
    # The vendors' files carry non-standard keys (e.g. Supabase's ``hideDefinitions``), so the
    # spec itself is not linted; responses are still validated against its schemas.
    return OpenAPI.from_dict(document, config=Config(spec_validator_cls=None))  # type: ignore[arg-type]


def assert_matches_spec(vendor: str, response: httpx.Response) -> None:
    """Validate status, content type and body of ``response`` against the vendor spec.

    The sandbox serves the vendor's real paths (``/v1/...``, ``/v2/...``), so only the origin
    is swapped for the vendor's before matching.
    """
    request = response.request
    path = request.url.path
    mock_request = MockRequest(
        httpx.URL(_VENDOR_SPECS[vendor][1]).copy_with(path="").__str__().rstrip("/"),
        request.method.lower(),
        path,
        args=dict(request.url.params),
        headers={k: v for k, v in request.headers.items() if k.lower() != "authorization"},
    )
    content_type = response.headers.get("content-type", "application/json").split(";")[0]
    mock_response = MockResponse(
        response.content, status_code=response.status_code, content_type=content_type
    )
    _openapi(vendor).validate_response(mock_request, mock_response)
