"""Upstash database settings: TLS, eviction, auto-upgrade, budget, regions, plan, allowlist."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandbox import Sandbox, SandboxConfig
from tests.sandbox.conftest import NO_DELAYS
from tests.sandbox.spec import assert_matches_spec
from tests.sandbox.test_upstash_databases import client, create


@pytest.fixture(scope="module")
def upstash(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    config = SandboxConfig(
        state_dir=tmp_path_factory.mktemp("upstash-settings"),
        vendors=("upstash",),
        delays=NO_DELAYS,
        rate_limits=False,
    )
    with Sandbox(config) as running:
        yield running


@pytest.fixture
def api(upstash: Sandbox) -> Iterator[httpx.Client]:
    with client(upstash) as opened:
        yield opened


def fetch(api: httpx.Client, db: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = api.get(f"/redis/database/{db['database_id']}").json()
    return result


def ok(response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert_matches_spec("upstash", response)
    assert response.json() == "OK"


def test_enable_tls_turns_tls_on_and_returns_the_database(api: httpx.Client) -> None:
    db = create(api, "tls-off", tls=False)
    assert db["tls"] is False
    response = api.post(f"/redis/enable-tls/{db['database_id']}")
    assert response.status_code == 200
    assert_matches_spec("upstash", response)
    assert response.json()["tls"] is True
    assert fetch(api, db)["tls"] is True


def test_eviction_can_be_enabled_and_disabled(api: httpx.Client) -> None:
    db = create(api, "evicting")
    ok(api.post(f"/redis/enable-eviction/{db['database_id']}"))
    assert fetch(api, db)["eviction"] is True
    ok(api.post(f"/redis/disable-eviction/{db['database_id']}"))
    assert fetch(api, db)["eviction"] is False


def test_auto_upgrade_toggles_and_refuses_a_no_op_with_already(api: httpx.Client) -> None:
    db = create(api, "upgrading")
    ok(api.post(f"/redis/enable-autoupgrade/{db['database_id']}"))
    assert fetch(api, db)["auto_upgrade"] is True
    again = api.post(f"/redis/enable-autoupgrade/{db['database_id']}")
    assert again.status_code == 400
    assert "already enabled" in again.json()
    ok(api.post(f"/redis/disable-autoupgrade/{db['database_id']}"))
    assert fetch(api, db)["auto_upgrade"] is False
    assert "already disabled" in api.post(f"/redis/disable-autoupgrade/{db['database_id']}").json()


def test_update_budget_sets_the_budget(api: httpx.Client) -> None:
    db = create(api, "budgeted")
    ok(api.patch(f"/redis/update-budget/{db['database_id']}", json={"budget": 99}))
    assert fetch(api, db)["budget"] == 99
    bad = api.patch(f"/redis/update-budget/{db['database_id']}", json={"budget": "99"})
    assert bad.status_code == 400
    assert fetch(api, db)["budget"] == 99


def test_update_regions_replaces_the_read_regions(api: httpx.Client) -> None:
    db = create(api, "regional", read_regions=["eu-west-1", "us-west-2"])
    ok(
        api.post(
            f"/redis/update-regions/{db['database_id']}", json={"read_regions": ["ap-south-1"]}
        )
    )
    current = fetch(api, db)
    assert current["read_regions"] == ["ap-south-1"]
    assert current["all_members"] == ["us-east-1", "ap-south-1"]


def test_update_regions_refuses_the_primary_region_as_a_read_region(api: httpx.Client) -> None:
    db = create(api, "primary-clash")
    response = api.post(
        f"/redis/update-regions/{db['database_id']}", json={"read_regions": ["us-east-1"]}
    )
    assert response.status_code == 400
    assert isinstance(response.json(), str)
    assert fetch(api, db)["read_regions"] == []


def test_change_plan_updates_type_and_flags(api: httpx.Client) -> None:
    db = create(api, "replanned")
    body = {"plan_name": "fixed_5gb", "auto_upgrade": True, "prod_pack_enabled": True}
    ok(api.post(f"/redis/{db['database_id']}/change-plan", json=body))
    current = fetch(api, db)
    assert (current["type"], current["auto_upgrade"], current["prod_pack_enabled"]) == (
        "paid",
        True,
        True,
    )
    bad = api.post(f"/redis/{db['database_id']}/change-plan", json={"plan_name": "huge"})
    assert bad.status_code == 400


def test_update_allowlist_records_allowed_ip_ranges(api: httpx.Client) -> None:
    db = create(api, "allowlisted")
    response = api.post(
        f"/redis/update-allowlist/{db['database_id']}",
        json={"allowed_ips": ["10.0.0.0/8", "192.168.1.7"]},
    )
    assert response.status_code == 200  # not in the spec: nothing to validate against
    assert response.json() == "OK"
    assert fetch(api, db)["allowed_ip_ranges"] == ["10.0.0.0/8", "192.168.1.7"]
    bad = api.post(
        f"/redis/update-allowlist/{db['database_id']}", json={"allowed_ips": ["not-an-ip"]}
    )
    assert bad.status_code == 400


def test_prodpack_toggles_used_by_terraform(api: httpx.Client) -> None:
    db = create(api, "prodpack")
    assert api.post(f"/redis/enable-prodpack/{db['database_id']}").json() == "OK"
    assert fetch(api, db)["prod_pack_enabled"] is True
    assert api.post(f"/redis/disable-prodpack/{db['database_id']}").json() == "OK"
    assert fetch(api, db)["prod_pack_enabled"] is False
