"""Supabase billing add-ons: the compute size read and changed through ``/billing/addons``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox import Sandbox, SandboxConfig
from sandbox.core.context import Delays
from sandbox.supabase.billing import VARIANTS
from tests.sandbox.conftest import NO_DELAYS, SandboxFactory
from tests.sandbox.spec import assert_matches_spec, spec_document
from tests.sandbox.test_supabase_projects import client_for, create_project

ADDONS = "/v1/projects/{ref}/billing/addons"


@pytest.fixture(scope="module")
def supabase(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    config = SandboxConfig(
        state_dir=tmp_path_factory.mktemp("supabase-billing"),
        vendors=("supabase",),
        delays=NO_DELAYS,
        rate_limits=False,
    )
    with Sandbox(config) as running:
        yield running


@pytest.fixture
def acme(supabase: Sandbox) -> Iterator[httpx.Client]:
    with client_for(supabase) as client:
        yield client


def addons(client: httpx.Client, ref: str) -> dict[str, Any]:
    response = client.get(ADDONS.format(ref=ref))
    assert response.status_code == 200, response.text
    assert_matches_spec("supabase", response)
    return dict(response.json())


def selected(client: httpx.Client, ref: str) -> dict[str, str]:
    """addon type -> selected variant id."""
    return {a["type"]: a["variant"]["id"] for a in addons(client, ref)["selected_addons"]}


def apply(client: httpx.Client, ref: str, variant: str, kind: str) -> httpx.Response:
    body = {"addon_type": kind, "addon_variant": variant}
    return client.patch(ADDONS.format(ref=ref), json=body)


def spec_enum(schema: dict[str, Any]) -> list[str]:
    return [value for choice in schema["oneOf"] for value in choice["enum"]]


def test_the_accepted_variants_are_exactly_the_specs() -> None:
    document = spec_document("supabase")
    body = document["components"]["schemas"]["ApplyProjectAddonBody"]["properties"]
    path = document["paths"]["/v1/projects/{ref}/billing/addons/{addon_variant}"]["delete"]
    in_path = next(p for p in path["parameters"] if p["name"] == "addon_variant")["schema"]
    assert set(spec_enum(body["addon_variant"])) == VARIANTS
    assert set(spec_enum(in_path)) == VARIANTS


def test_a_new_project_is_nano_with_no_compute_add_on_and_lists_every_variant(
    acme: httpx.Client,
) -> None:
    listed = addons(acme, create_project(acme)["ref"])
    assert listed["selected_addons"] == []
    compute = next(a for a in listed["available_addons"] if a["type"] == "compute_instance")
    schema = spec_document("supabase")["components"]["schemas"]["ListProjectAddonsResponse"]
    variant_id = schema["properties"]["available_addons"]["items"]["properties"]["variants"]
    ci_enum = variant_id["items"]["properties"]["id"]["oneOf"][0]["enum"]
    assert [v["id"] for v in compute["variants"]] == ci_enum
    micro = compute["variants"][0]
    assert micro["price"] == {
        "description": "$0.01344/hour (~$10/month)",
        "type": "usage",
        "interval": "hourly",
        "amount": 0.01344,
    }
    kinds = {a["type"] for a in listed["available_addons"]}
    assert kinds == {"compute_instance", "custom_domain", "pitr", "ipv4"}


def test_desired_instance_size_selects_the_initial_compute_add_on(acme: httpx.Client) -> None:
    ref = create_project(acme, desired_instance_size="small")["ref"]
    chosen = addons(acme, ref)["selected_addons"]
    assert [(a["type"], a["variant"]["id"], a["variant"]["name"]) for a in chosen] == [
        ("compute_instance", "ci_small", "Small")
    ]


def test_the_compute_size_changes_with_patch_and_returns_to_nano_with_delete(
    acme: httpx.Client,
) -> None:
    ref = create_project(acme, desired_instance_size="micro")["ref"]
    response = apply(acme, ref, "ci_medium", "compute_instance")
    assert response.status_code == 200, response.text
    assert response.content == b""
    assert_matches_spec("supabase", response)
    assert selected(acme, ref) == {"compute_instance": "ci_medium"}
    assert acme.get(f"/v1/projects/{ref}").json()["status"] == "ACTIVE_HEALTHY"

    removed = acme.delete(f"{ADDONS.format(ref=ref)}/ci_medium")
    assert removed.status_code == 200, removed.text
    assert_matches_spec("supabase", removed)
    assert selected(acme, ref) == {}
    again = acme.delete(f"{ADDONS.format(ref=ref)}/ci_medium")
    assert again.status_code == 404
    assert again.json() == {"message": "Addon ci_medium is not applied to this project"}


def test_other_add_ons_are_kept_beside_the_compute_size(acme: httpx.Client) -> None:
    ref = create_project(acme, desired_instance_size="small")["ref"]
    assert apply(acme, ref, "pitr_7", "pitr").status_code == 200
    assert apply(acme, ref, "pitr_14", "pitr").status_code == 200  # one variant per type
    assert apply(acme, ref, "ipv4_default", "ipv4").status_code == 200
    assert selected(acme, ref) == {
        "compute_instance": "ci_small",
        "ipv4": "ipv4_default",
        "pitr": "pitr_14",
    }
    assert acme.delete(f"{ADDONS.format(ref=ref)}/pitr_14").status_code == 200
    assert selected(acme, ref) == {"compute_instance": "ci_small", "ipv4": "ipv4_default"}


@pytest.mark.parametrize(
    "body",
    [
        {"addon_type": "compute_instance", "addon_variant": "ci_huge"},
        {"addon_type": "compute_instance", "addon_variant": "ci_nano"},  # no such variant
        {"addon_type": "pitr", "addon_variant": "ci_small"},  # variant of another type
        {"addon_type": "log_drain", "addon_variant": "cd_default"},
        {"addon_type": "compute_size", "addon_variant": "ci_small"},
        {"addon_variant": "ci_small"},
    ],
)
def test_invalid_add_on_bodies_are_400_and_change_nothing(
    acme: httpx.Client, body: dict[str, Any]
) -> None:
    ref = create_project(acme, desired_instance_size="micro")["ref"]
    response = acme.patch(ADDONS.format(ref=ref), json=body)
    assert response.status_code == 400, response.text
    assert isinstance(response.json()["message"], str)
    assert selected(acme, ref) == {"compute_instance": "ci_micro"}


def test_removing_an_unknown_variant_is_400(acme: httpx.Client) -> None:
    ref = create_project(acme)["ref"]
    response = acme.delete(f"{ADDONS.format(ref=ref)}/ci_huge")
    assert response.status_code == 400
    assert response.json() == {"message": "Invalid addon variant: ci_huge"}


def test_another_organizations_add_ons_are_404(acme: httpx.Client, supabase: Sandbox) -> None:
    ref = create_project(acme, desired_instance_size="small")["ref"]
    with client_for(supabase, "globex-sandbox-org") as globex:
        for response in (
            globex.get(ADDONS.format(ref=ref)),
            apply(globex, ref, "ci_large", "compute_instance"),
            globex.delete(f"{ADDONS.format(ref=ref)}/ci_small"),
        ):
            assert response.status_code == 404
            assert response.json() == {"message": "Project not found"}
    assert selected(acme, ref) == {"compute_instance": "ci_small"}


def test_a_resize_is_resizing_until_the_delay_passed(make_sandbox: type[SandboxFactory]) -> None:
    running = make_sandbox.start(vendors=("supabase",), delays=Delays(project=0.5))
    with client_for(running) as client:
        ref = create_project(client)["ref"]
        time.sleep(0.6)
        assert apply(client, ref, "ci_micro", "compute_instance").status_code == 200
        project = client.get(f"/v1/projects/{ref}")
        assert_matches_spec("supabase", project)
        assert project.json()["status"] == "RESIZING"
        time.sleep(0.6)
        assert client.get(f"/v1/projects/{ref}").json()["status"] == "ACTIVE_HEALTHY"
        # Selecting the size it already has is no resize.
        assert apply(client, ref, "ci_micro", "compute_instance").status_code == 200
        assert client.get(f"/v1/projects/{ref}").json()["status"] == "ACTIVE_HEALTHY"


def test_the_selected_add_ons_survive_a_restart(
    make_sandbox: type[SandboxFactory], tmp_path: Path
) -> None:
    state = tmp_path / "persist"
    first = make_sandbox.start(vendors=("supabase",), state_dir=state)
    with client_for(first) as client:
        ref = create_project(client, desired_instance_size="large")["ref"]
        assert apply(client, ref, "ci_xlarge", "compute_instance").status_code == 200
        assert apply(client, ref, "cd_default", "custom_domain").status_code == 200
    first.stop()
    second = make_sandbox.start(vendors=("supabase",), state_dir=state)
    with client_for(second) as client:
        assert selected(client, ref) == {
            "compute_instance": "ci_xlarge",
            "custom_domain": "cd_default",
        }
