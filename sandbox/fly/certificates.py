"""TLS certificates of an app's custom hostnames (``/apps/{app}/certificates``): request an ACME
(Let's Encrypt) certificate, show it, check it, list them, remove them.

The rule that matters here: a hostname belongs to one app in all of Fly (a second app asking for
it is refused, whatever its org), and a requested certificate is not issued at once: it stays
``pending_validation`` until the issue delay passes (the sandbox has no DNS, so it treats the
records as set once the delay is over), then it is ``active`` with one ECDSA and one RSA
certificate. The answer always carries the DNS records the hostname needs
(``dns_requirements``): the CNAME or A/AAAA to the app, the ``_acme-challenge`` CNAME and the
``_fly-ownership`` TXT record.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from fastapi import APIRouter, Depends, Response

from sandbox.core.context import VendorContext
from sandbox.fly import limits
from sandbox.fly.apps import load_app
from sandbox.fly.auth import org_of
from sandbox.fly.errors import FlyError, not_found
from sandbox.fly.models import CreateAcmeCertificateRequest
from sandbox.fly.util import iso

V = "fly"
KIND = "certificate"
#: Let's Encrypt certificates last 90 days.
LIFETIME = 90 * 24 * 3600
_HOSTNAME = re.compile(r"^(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
#: Names Fly serves itself: a certificate for one of them is refused.
_FLY_ZONES = (".fly.dev", ".flycast", ".internal")


def _digest(text: str, size: int = 6) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:size]


def _settle(ctx: VendorContext, doc: dict[str, Any]) -> dict[str, Any]:
    """Issue the certificate once its delay has passed (persisted, like machine transitions)."""
    pending = doc["status"] == "pending_validation" and doc["acme_requested"]
    if pending and ctx.now() >= doc["issue_at"]:
        doc = {**doc, "status": "active", "issued_at": doc["issue_at"]}
        ctx.store.put(V, KIND, doc["key"], doc["org"], doc)
    return doc


def _requirements(ctx: VendorContext, doc: dict[str, Any]) -> dict[str, Any]:
    app, host = doc["app"], doc["hostname"]
    ips = ctx.store.all(V, "ip", where=lambda d: d["app"] == app)
    return {
        "a": [ip["ip"] for ip in ips if ":" not in ip["ip"] and not ip["egress"]],
        "aaaa": [ip["ip"] for ip in ips if ":" in ip["ip"] and not ip["ip"].startswith("fdaa:")],
        "cname": f"{app}.fly.dev",
        "acme_challenge": {
            "name": f"_acme-challenge.{host.removeprefix('*.')}",
            "target": f"{host.removeprefix('*.')}.{_digest(app + host, 6)}.flydns.net",
        },
        "ownership": {
            "name": f"_fly-ownership.{host.removeprefix('*.')}",
            "app_value": f"app-{_digest(app, 12)}",
            "org_value": f"org-{_digest(doc['org'], 12)}",
        },
    }


def _entries(doc: dict[str, Any]) -> list[dict[str, Any]]:
    if not doc["acme_requested"]:
        return []
    entry: dict[str, Any] = {
        "source": "fly",
        "status": doc["status"],
        "created_at": iso(doc["created_at"]),
        "issuer": "Let's Encrypt",
    }
    if doc["status"] == "active":
        expires = iso(doc["issued_at"] + LIFETIME)
        entry["expires_at"] = expires
        entry["issued"] = [
            {"type": kind, "certificate_authority": "lets_encrypt", "expires_at": expires}
            for kind in ("ecdsa", "rsa")
        ]
    return [entry]


def _detail(ctx: VendorContext, doc: dict[str, Any]) -> dict[str, Any]:
    issued = doc["status"] == "active"
    return {
        "hostname": doc["hostname"],
        "status": doc["status"],
        "configured": issued,
        "acme_requested": doc["acme_requested"],
        "dns_requirements": _requirements(ctx, doc),
        "certificates": _entries(doc),
        "validation": {
            "alpn_configured": issued,
            "dns_configured": issued,
            "http_configured": issued,
            "ownership_txt_configured": issued,
        },
        "validation_errors": [],
    }


def _summary(doc: dict[str, Any]) -> dict[str, Any]:
    issued = doc["status"] == "active"
    return {
        "hostname": doc["hostname"],
        "status": doc["status"],
        "configured": issued,
        "acme_requested": doc["acme_requested"],
        "acme_alpn_configured": issued,
        "acme_dns_configured": issued,
        "acme_http_configured": issued,
        "ownership_txt_configured": issued,
        "has_custom_certificate": False,
        "has_fly_certificate": doc["acme_requested"] and issued,
        "created_at": iso(doc["created_at"]),
        "updated_at": iso(doc.get("issued_at") or doc["created_at"]),
    }


def _valid_hostname(value: str | None) -> str:
    hostname = (value or "").strip().lower().rstrip(".")
    if not _HOSTNAME.match(hostname):
        raise FlyError(422, f"hostname {value!r} is not a valid domain name")
    if hostname.endswith(_FLY_ZONES):
        raise FlyError(422, f"hostname {hostname} is a Fly.io domain; it needs no certificate")
    return hostname


def _load(ctx: VendorContext, org: str, app: str, hostname: str) -> dict[str, Any]:
    load_app(ctx, org, app)
    doc = ctx.store.get(V, KIND, hostname.lower(), owner=org)
    if doc is None or doc["app"] != app:
        raise not_found("certificate")
    return _settle(ctx, doc)


def _request(ctx: VendorContext, org: str, app: str, hostname: str) -> dict[str, Any]:
    existing = ctx.store.get(V, KIND, hostname)
    if existing is not None and existing["app"] != app:
        # One hostname, one app in all of Fly: another org's app holding it is refused the same.
        raise FlyError(422, f"hostname {hostname} is already taken by another app")
    if existing is not None and existing["acme_requested"]:
        raise FlyError(422, f"hostname {hostname} already has a certificate on app {app}")
    now = ctx.now()
    doc: dict[str, Any] = {
        "key": hostname,
        "app": app,
        "org": org,
        "hostname": hostname,
        "status": "pending_validation",
        "acme_requested": True,
        "created_at": existing["created_at"] if existing else now,
        "issue_at": now + ctx.delays.certificate_seconds,
        "issued_at": None,
    }
    return _settle(ctx, ctx.store.put(V, KIND, hostname, org, doc))


def router(ctx: VendorContext) -> APIRouter:
    api = APIRouter(prefix="/apps/{app_name}/certificates")

    @api.get("")
    def list_certificates(
        app_name: str,
        filter: str | None = None,  # the query parameter's name in the spec
        cursor: str | None = None,
        limit: int = 100,
        org: str = Depends(org_of),
    ) -> Any:
        load_app(ctx, org, app_name)
        docs = ctx.store.all(V, KIND, owner=org, where=lambda d: d["app"] == app_name)
        docs = [_settle(ctx, d) for d in docs if not filter or filter in d["hostname"]]
        start = int(cursor) if cursor and cursor.isdigit() else 0
        page = docs[start : start + max(1, limit)]
        body: dict[str, Any] = {"certificates": [_summary(d) for d in page]}
        body["total_count"] = len(docs)
        if start + len(page) < len(docs):
            body["next_cursor"] = str(start + len(page))
        return body

    @api.post("/acme", status_code=201)
    def request_acme(
        app_name: str, body: CreateAcmeCertificateRequest, org: str = Depends(org_of)
    ) -> Any:
        load_app(ctx, org, app_name)
        hostname = _valid_hostname(body.hostname)
        limits.check(ctx, "certificate_add", app_name)
        return _detail(ctx, _request(ctx, org, app_name, hostname))

    @api.get("/{hostname}")
    def show(app_name: str, hostname: str, org: str = Depends(org_of)) -> Any:
        return _detail(ctx, _load(ctx, org, app_name, hostname))

    @api.post("/{hostname}/check")
    def check(app_name: str, hostname: str, org: str = Depends(org_of)) -> Any:
        limits.check(ctx, "certificate_check", app_name)
        doc = _load(ctx, org, app_name, hostname)
        detail = _detail(ctx, doc)
        issued = doc["status"] == "active"
        # What the sandbox "resolves": nothing until the delay passed, then what was required.
        wanted = detail["dns_requirements"]
        detail["dns_records"] = {
            "a": wanted["a"] if issued else [],
            "aaaa": wanted["aaaa"] if issued else [],
            "cname": [wanted["cname"]] if issued else [],
            "acme_challenge_cname": wanted["acme_challenge"]["target"] if issued else "",
            "ownership_txt": wanted["ownership"]["app_value"] if issued else "",
            "resolved_addresses": wanted["a"] + wanted["aaaa"] if issued else [],
            "soa": "",
        }
        return detail

    @api.delete("/{hostname}/acme")
    def remove_acme(app_name: str, hostname: str, org: str = Depends(org_of)) -> Any:
        doc = _load(ctx, org, app_name, hostname)
        if not doc["acme_requested"]:
            raise not_found("acme certificate")
        doc = {**doc, "acme_requested": False, "status": "pending_ownership", "issued_at": None}
        return _detail(ctx, ctx.store.put(V, KIND, doc["key"], org, doc))

    @api.delete("/{hostname}", status_code=204)
    def remove(app_name: str, hostname: str, org: str = Depends(org_of)) -> Response:
        doc = _load(ctx, org, app_name, hostname)
        limits.check(ctx, "certificate_delete", app_name)
        ctx.store.delete(V, KIND, doc["key"])
        return Response(status_code=204)

    return api
