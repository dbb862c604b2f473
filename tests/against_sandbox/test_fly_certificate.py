"""Fly Certificate provider against the sandbox over HTTP: requested without waiting, the records
the hostname needs in its outputs, the issue seen by refresh, adopted after a lost answer,
refused for a hostname another app holds, gone when deleted out of band."""

from __future__ import annotations

from typing import Any

import pytest

from paas_stacks.errors import ResourceError
from paas_stacks.providers.fly import CertificateProvider
from sandbox import Sandbox
from sandbox.core.context import Delays
from sandbox.core.faults import FaultSettings
from tests.against_sandbox.test_fly_app_machines import client, make_app, provider
from tests.conftest import SandboxFactory

OWNER = "acme/shop/prod#0123456789ab"


def certificates(sandbox: Sandbox) -> Any:
    return provider(CertificateProvider, sandbox)


def test_a_certificate_is_requested_read_and_deleted_with_the_records_it_needs(
    sandbox: Sandbox,
) -> None:
    make_app(sandbox, "prov-fly-cert")
    client(sandbox).assign_ip("prov-fly-cert", {"type": "shared_v4"})
    certs = certificates(sandbox)
    declared = {"app": "prov-fly-cert", "hostname": "API.Cert.Example.com", "owner": OWNER}
    created = certs.create(declared)
    assert created.id == "prov-fly-cert/api.cert.example.com"
    outs = created.outs
    assert outs["hostname"] == "api.cert.example.com"
    assert outs["cname_target"] == "prov-fly-cert.fly.dev"
    assert outs["ipv4"] == ["192.0.2.1"]
    assert outs["acme_challenge_name"] == "_acme-challenge.api.cert.example.com"
    assert outs["acme_challenge_target"].endswith(".flydns.net")
    assert outs["ownership_name"] == "_fly-ownership.api.cert.example.com"
    assert outs["ownership_value"].startswith("app-")
    # No delay in this sandbox: the first read after the request already sees it issued.
    read = certs.read(created.id, outs)
    assert (read.outs["status"], read.outs["issued"]) == ("active", True)
    assert certs.diff(created.id, read.outs, declared).changes is False
    moved = certs.diff(created.id, read.outs, {**declared, "hostname": "www.cert.example.com"})
    assert moved.replaces == ["hostname"]
    assert moved.delete_before_replace is True

    certs.delete(created.id, read.outs)
    assert client(sandbox).get_certificate("prov-fly-cert", "api.cert.example.com") is None
    assert certs.read(created.id, read.outs).id == ""
    certs.delete(created.id, read.outs)  # already gone: done


def test_create_returns_while_the_certificate_is_pending_and_refresh_sees_it_issued(
    make_sandbox: type[SandboxFactory],
) -> None:
    slow = make_sandbox.start(vendors=("fly",), delays=Delays(0, 0, 0, 0, certificate=3600))
    make_app(slow, "prov-fly-pending")
    certs = certificates(slow)
    created = certs.create({"app": "prov-fly-pending", "hostname": "slow.example.com"})
    assert (created.outs["status"], created.outs["issued"]) == ("pending_validation", False)
    assert created.outs["configured"] is False
    assert certs.read(created.id, created.outs).outs["status"] == "pending_validation"


def test_a_lost_answer_is_adopted_once_and_a_hostname_of_another_app_is_a_conflict(
    sandbox: Sandbox,
) -> None:
    make_app(sandbox, "prov-fly-cert-lost")
    make_app(sandbox, "prov-fly-cert-other")
    certs = certificates(sandbox)
    declared = {"app": "prov-fly-cert-lost", "hostname": "lost.example.com", "owner": OWNER}
    sandbox.set_faults(FaultSettings(lose_next_writes=1), vendors=("fly",))
    try:
        made = certs.create(declared)
    finally:
        sandbox.set_faults(FaultSettings())
    assert made.id == "prov-fly-cert-lost/lost.example.com"
    listed = client(sandbox).json("GET", "/apps/prov-fly-cert-lost/certificates")
    assert [c["hostname"] for c in listed["certificates"]] == ["lost.example.com"]

    taken = {**declared, "app": "prov-fly-cert-other"}
    with pytest.raises(ResourceError, match="already taken by another app"):
        certs.create(taken)
    with pytest.raises(ResourceError, match="cannot change in place"):
        certs.update(made.id, made.outs, taken)
    certs.delete(made.id, made.outs)


def test_adopt_id_takes_over_a_certificate_made_by_hand(sandbox: Sandbox) -> None:
    make_app(sandbox, "prov-fly-cert-hand")
    client(sandbox).request_certificate("prov-fly-cert-hand", "hand.example.com")
    certs = certificates(sandbox)
    adopted = certs.create(
        {
            "app": "prov-fly-cert-hand",
            "hostname": "hand.example.com",
            "adopt_id": "hand.example.com",
        }
    )
    assert adopted.id == "prov-fly-cert-hand/hand.example.com"
    with pytest.raises(ResourceError, match="no such Fly Certificate"):
        certs.create(
            {"app": "prov-fly-cert-hand", "hostname": "x.example.com", "adopt_id": "x.example.com"}
        )
    certs.delete(adopted.id, adopted.outs)
