"""A Fly web service with a custom domain, from a stack file's environment, through the real
engine against the sandbox.

up -> the app holds a certificate for the hostname and the stack's ``domains`` output lists
every record it needs, exactly as Fly answers them -> a second up changes and writes nothing ->
a certificate removed by hand is found gone by refresh and requested again by up -> destroy
removes the certificate with the app, and the state hides every secret.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox import Sandbox
from tests.conftest import EngineFactory
from tests.engine import changes

pytestmark = pytest.mark.engine

HOSTNAME = "api.certs.example.com"


def raw_spec(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "region": "virginia",
        "services": {
            "api": {
                "kind": "web",
                "platform": "fly",
                "size": "small",
                "image": "registry.example.com/shop/api:1",
                "port": 8080,
                "health_check_path": "/health",
            }
        },
        "domains": {"api": {"hostname": HOSTNAME, "target": "api", "dns": "none"}},
    }


def make_program(name: str, stacks: Path) -> Any:
    def program() -> None:
        import pulumi  # noqa: PLC0415

        from paas_stacks.components.environment import (  # noqa: PLC0415
            Environment,
            EnvironmentArgs,
        )
        from paas_stacks.components.spec import build  # noqa: PLC0415

        spec = build(name, raw_spec(name), stacks)
        environment = Environment(spec.name, EnvironmentArgs(spec=spec))
        pulumi.export("urls", environment.urls)
        pulumi.export("domains", environment.dns())

    return program


class Fly:
    """The sandbox's Fly API, read and changed as a dashboard user would."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.http = httpx.Client(
            base_url=sandbox.base_url("fly"),
            headers={"authorization": f"Bearer {sandbox.token('fly')}"},
        )

    def certificate(self, app: str) -> httpx.Response:
        return self.http.get(f"/apps/{app}/certificates/{HOSTNAME}")


def test_a_fly_domain_gets_its_certificate_and_outputs_every_record_it_needs(
    engine: type[EngineFactory], engine_sandbox: Sandbox, tmp_path: Path
) -> None:
    name = "flycert"
    app = f"{name}-api"
    run = engine.stack(name, make_program(name, tmp_path / "stacks"))
    fly = Fly(engine_sandbox)

    first, calls = run.up()
    assert changes(first)["create"] >= 5
    assert calls.routes("fly").get("POST /apps/{app_name}/certificates/acme") == 1
    shown = fly.certificate(app)
    assert shown.status_code == 200, shown.text
    needs = shown.json()["dns_requirements"]
    domain = run.outputs()["domains"]["api"]
    assert domain["hostname"] == HOSTNAME
    assert domain["records"] == [
        {"type": "CNAME", "name": HOSTNAME, "content": f"{app}.fly.dev"},
        {
            "type": "CNAME",
            "name": needs["acme_challenge"]["name"],
            "content": needs["acme_challenge"]["target"],
        },
        {
            "type": "TXT",
            "name": needs["ownership"]["name"],
            "content": needs["ownership"]["app_value"],
        },
    ]
    # The sandbox issues at once (no delay): nothing is left but creating the records.
    assert domain["manual_steps"] == [
        f"create the DNS record {r['name']} {r['type']} {r['content']}" for r in domain["records"]
    ]

    again, calls = run.up()
    assert changes(again) == {}
    assert calls.writes() == 0

    assert fly.http.delete(f"/apps/{app}/certificates/{HOSTNAME}").status_code == 204
    refreshed, _ = run.refresh()
    assert changes(refreshed).get("delete") == 1
    healed, calls = run.up()
    assert changes(healed) == {"create": 1}
    assert calls.routes("fly").get("POST /apps/{app_name}/certificates/acme") == 1
    assert fly.certificate(app).status_code == 200

    run.assert_no_leak()
    gone, calls = run.destroy()
    assert changes(gone)["delete"] >= 5
    assert calls.routes("fly").get("DELETE /apps/{app_name}/certificates/{hostname}") == 1
    assert fly.http.get(f"/apps/{app}").status_code == 404
    assert fly.certificate(app).status_code == 404
