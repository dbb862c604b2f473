"""Fly Secrets, Volume and IpAddress providers against the sandbox over HTTP."""

from __future__ import annotations

import pytest

from paas_stacks.errors import ResourceError
from paas_stacks.providers.fly import IpAddressProvider, SecretsProvider, VolumeProvider
from paas_stacks.providers.fly.secrets import DRIFTED
from sandbox import Sandbox
from tests.against_sandbox.test_fly_app_machines import client, make_app, provider


def test_secrets_are_set_changed_drift_and_only_declared_names_are_removed(
    sandbox: Sandbox,
) -> None:
    make_app(sandbox, "prov-fly-sec")
    fly = client(sandbox)
    fly.update_secrets("prov-fly-sec", {"BY_HAND": "theirs"})
    secrets = provider(SecretsProvider, sandbox)
    declared = {"app": "prov-fly-sec", "values": {"A": "alpha", "B": "beta"}}
    created = secrets.create(declared)
    assert created.outs["names"] == ["A", "B"]
    read = secrets.read(created.id, created.outs)
    assert read.outs == created.outs
    assert secrets.diff(created.id, read.outs, declared).changes is False

    fly.update_secrets("prov-fly-sec", {"A": "changed-by-hand"})
    drifted = secrets.read(created.id, read.outs)
    assert drifted.outs["values"]["A"] == DRIFTED
    assert secrets.diff(created.id, drifted.outs, declared).changes is True

    news = {"app": "prov-fly-sec", "values": {"A": "alpha"}}
    updated = secrets.update(created.id, drifted.outs, news)
    assert updated.outs["names"] == ["A"]
    live = {s["name"]: s["digest"] for s in fly.list_secrets("prov-fly-sec") or []}
    assert set(live) == {"A", "BY_HAND"}
    assert live["A"] == created.outs["digests"]["A"]

    secrets.delete(created.id, updated.outs)
    assert [s["name"] for s in fly.list_secrets("prov-fly-sec") or []] == ["BY_HAND"]


def test_a_volume_is_created_extended_tuned_adopted_and_deleted(sandbox: Sandbox) -> None:
    make_app(sandbox, "prov-fly-vol")
    volumes = provider(VolumeProvider, sandbox)
    declared = {"app": "prov-fly-vol", "name": "data", "region": "iad", "size_gb": 1}
    created = volumes.create(declared)
    assert created.id == f"prov-fly-vol/{created.outs['volume_id']}"
    assert volumes.read(created.id, created.outs).outs == created.outs

    news = {**declared, "size_gb": 4, "snapshot_retention": 10}
    updated = volumes.update(created.id, created.outs, news)
    assert (updated.outs["size_gb"], updated.outs["snapshot_retention"]) == (4, 10)
    with pytest.raises(ResourceError, match="can only grow"):
        volumes.update(created.id, updated.outs, {**news, "size_gb": 2})

    adopted = volumes.create(news)
    assert adopted.id == created.id

    client(sandbox).delete_volume("prov-fly-vol", str(created.outs["volume_id"]))
    assert volumes.read(created.id, updated.outs).id == ""
    volumes.delete(created.id, updated.outs)


def test_ip_addresses_are_assigned_read_and_released(sandbox: Sandbox) -> None:
    make_app(sandbox, "prov-fly-ip")
    ips = provider(IpAddressProvider, sandbox)
    v6 = ips.create({"app": "prov-fly-ip", "type": "v6"})
    shared = ips.create({"app": "prov-fly-ip", "type": "shared_v4"})
    assert v6.outs["type"] == "v6"
    assert ":" in v6.outs["address"]
    assert shared.outs["address"] == "192.0.2.1"
    assert ips.read(v6.id, v6.outs).outs == v6.outs
    again = ips.create({"app": "prov-fly-ip", "type": "shared_v4"})
    assert again.id == shared.id
    ips.delete(v6.id, v6.outs)
    assert ips.read(v6.id, v6.outs).id == ""
    assert ips.read(shared.id, shared.outs).id == shared.id
