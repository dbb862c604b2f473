"""Fly emulator: ACME certificates of custom hostnames, checked against the spec: requested
pending with the DNS records the hostname needs, issued after the delay, one app per hostname,
checked, listed, removed, and gone with their app."""

from __future__ import annotations

import time
from pathlib import Path

from sandbox import Sandbox
from sandbox.core.context import Delays
from tests.sandbox.test_fly_support import BETA, check, client, fly, make_app, start_fly, unique

__all__ = ["fly"]


def test_a_requested_certificate_answers_the_records_the_hostname_needs(fly: Sandbox) -> None:
    http = client(fly)
    app = make_app(http)
    check(http.post(f"/apps/{app}/ip_assignments", json={"type": "shared_v4"}), 200)
    check(http.post(f"/apps/{app}/ip_assignments", json={"type": "v6"}), 200)
    hostname = f"{unique('www')}.example.com"
    created = http.post(f"/apps/{app}/certificates/acme", json={"hostname": hostname})
    check(created, 201)
    detail = created.json()
    assert detail["hostname"] == hostname
    assert detail["acme_requested"] is True
    needs = detail["dns_requirements"]
    assert needs["cname"] == f"{app}.fly.dev"
    assert needs["a"] == ["192.0.2.1"]
    assert len(needs["aaaa"]) == 1
    assert needs["aaaa"][0].startswith("2001:db8:")
    assert needs["acme_challenge"]["name"] == f"_acme-challenge.{hostname}"
    assert needs["acme_challenge"]["target"].endswith(".flydns.net")
    assert needs["ownership"]["name"] == f"_fly-ownership.{hostname}"
    assert needs["ownership"]["app_value"].startswith("app-")
    shown = http.get(f"/apps/{app}/certificates/{hostname}")
    check(shown, 200)
    assert shown.json()["dns_requirements"] == needs


def test_a_certificate_is_pending_until_the_issue_delay_passes_then_active(
    tmp_path: Path,
) -> None:
    slow = start_fly(tmp_path / "slow", delays=Delays(0, 0, 0, 0, certificate=3600))
    quick = start_fly(tmp_path / "quick", delays=Delays(0, 0, 0, 0, certificate=0.3))
    try:
        http = client(slow)
        app = make_app(http)
        pending = http.post(f"/apps/{app}/certificates/acme", json={"hostname": "a.example.com"})
        check(pending, 201)
        assert pending.json()["status"] == "pending_validation"
        assert pending.json()["configured"] is False
        assert "issued" not in pending.json()["certificates"][0]
        checked = http.post(f"/apps/{app}/certificates/a.example.com/check")
        check(checked, 200)
        assert checked.json()["dns_records"]["cname"] == []

        http = client(quick)
        app = make_app(http)
        check(http.post(f"/apps/{app}/certificates/acme", json={"hostname": "b.example.com"}), 201)
        detail: dict[str, object] = {}
        for _ in range(300):  # bounded: the delay is 0.3 s
            shown = http.get(f"/apps/{app}/certificates/b.example.com")
            check(shown, 200)
            detail = shown.json()
            if detail["status"] == "active":
                break
            time.sleep(0.05)
        assert detail["status"] == "active"
        assert detail["configured"] is True
        entry = detail["certificates"][0]  # type: ignore[index]
        assert entry["source"] == "fly"
        assert {c["type"] for c in entry["issued"]} == {"ecdsa", "rsa"}
        checked = http.post(f"/apps/{app}/certificates/b.example.com/check")
        check(checked, 200)
        assert checked.json()["dns_records"]["cname"] == [f"{app}.fly.dev"]
    finally:
        slow.stop()
        quick.stop()


def test_a_hostname_belongs_to_one_app_in_all_of_fly(fly: Sandbox) -> None:
    alpha, beta = client(fly), client(fly, BETA)
    first, second, other_org = make_app(alpha), make_app(alpha), make_app(beta)
    hostname = f"{unique('api')}.example.com"
    body = {"hostname": hostname}
    check(alpha.post(f"/apps/{first}/certificates/acme", json=body), 201)
    again = alpha.post(f"/apps/{first}/certificates/acme", json=body)
    check(again, 422)
    assert "already has a certificate" in again.json()["error"]
    for http, app in ((alpha, second), (beta, other_org)):
        taken = http.post(f"/apps/{app}/certificates/acme", json=body)
        check(taken, 422)
        assert "taken" in taken.json()["error"]
        check(http.get(f"/apps/{app}/certificates/{hostname}"), 404)


def test_invalid_and_fly_hostnames_are_refused(fly: Sandbox) -> None:
    http = client(fly)
    app = make_app(http)
    for hostname in ("not a host", "localhost", f"{app}.fly.dev", ""):
        refused = http.post(f"/apps/{app}/certificates/acme", json={"hostname": hostname})
        check(refused, 422)
    check(http.post(f"/apps/{app}/certificates/acme", json={"hostname": 5}), 400)


def test_certificates_are_listed_filtered_and_paged(fly: Sandbox) -> None:
    http = client(fly)
    app = make_app(http)
    names = [f"{label}.list.example.com" for label in ("one", "two", "three")]
    for name in names:
        check(http.post(f"/apps/{app}/certificates/acme", json={"hostname": name}), 201)
    listed = http.get(f"/apps/{app}/certificates")
    check(listed, 200)
    assert [c["hostname"] for c in listed.json()["certificates"]] == names
    assert listed.json()["total_count"] == 3
    filtered = http.get(f"/apps/{app}/certificates", params={"filter": "two"})
    assert [c["hostname"] for c in filtered.json()["certificates"]] == [names[1]]
    page = http.get(f"/apps/{app}/certificates", params={"limit": 2})
    check(page, 200)
    assert len(page.json()["certificates"]) == 2
    rest = http.get(f"/apps/{app}/certificates", params={"cursor": page.json()["next_cursor"]})
    assert [c["hostname"] for c in rest.json()["certificates"]] == [names[2]]


def test_removing_a_certificate_frees_its_hostname_and_deleting_the_app_removes_them(
    fly: Sandbox,
) -> None:
    http = client(fly)
    app, other = make_app(http), make_app(http)
    hostname = f"{unique('gone')}.example.com"
    check(http.post(f"/apps/{app}/certificates/acme", json={"hostname": hostname}), 201)
    acme_removed = http.delete(f"/apps/{app}/certificates/{hostname}/acme")
    check(acme_removed, 200)
    assert acme_removed.json()["acme_requested"] is False
    assert acme_removed.json()["certificates"] == []
    check(http.delete(f"/apps/{app}/certificates/{hostname}"), 204)
    check(http.get(f"/apps/{app}/certificates/{hostname}"), 404)
    check(http.delete(f"/apps/{app}/certificates/{hostname}"), 404)
    check(http.post(f"/apps/{other}/certificates/acme", json={"hostname": hostname}), 201)
    check(http.delete(f"/apps/{other}"), 202)
    check(http.post(f"/apps/{app}/certificates/acme", json={"hostname": hostname}), 201)
