"""The part of an environment that runs without bridged providers (Cloudflare, AWS, GitHub,
Vercel), whose plugins download from the internet: what the sandbox can stand in for.

The rule that matters here: dropping a component also drops every link to it, so what remains is
still a consistent environment; the dropped names are reported, never silently lost.
"""

from __future__ import annotations

from typing import Any

from paas_stacks.components.spec import EnvironmentSpec, LinkSpec

__all__ = ["BRIDGED_STATIC_PROVIDERS", "without_bridged"]

#: Static-site providers served by bridged plugins (``render_static`` is our own provider).
BRIDGED_STATIC_PROVIDERS = frozenset({"cloudflare_pages", "s3_cloudfront", "vercel"})


def without_bridged(spec: EnvironmentSpec) -> tuple[EnvironmentSpec, list[str]]:
    """``spec`` minus object stores, bridged static sites, Cloudflare DNS and GitHub mirrors."""
    dropped = [
        *(f"object_stores.{name}" for name in spec.object_stores),
        *(
            f"static_sites.{name}"
            for name, site in spec.static_sites.items()
            if site.provider in BRIDGED_STATIC_PROVIDERS
        ),
    ]
    gone = {entry.split(".", 1)[1] for entry in dropped}
    dropped += [f"domains.{n}.dns" for n, d in spec.domains.items() if d.dns == "cloudflare"]
    dropped += [f"secrets.{n}.github" for n, s in spec.secrets.items() if s.github]
    kept: dict[str, Any] = {
        "object_stores": {},
        "static_sites": {n: s for n, s in spec.static_sites.items() if n not in gone},
        "services": {
            n: s.model_copy(update={"links": _keep(s.links, gone)})
            for n, s in spec.services.items()
        },
        "domains": {
            n: d.model_copy(update={"dns": "none"})
            for n, d in spec.domains.items()
            if d.target not in gone
        },
        "secrets": {n: s.model_copy(update={"github": None}) for n, s in spec.secrets.items()},
        "postgres": {
            n: p.model_copy(update={"function_secrets": _keep(p.function_secrets, gone)})
            if hasattr(p, "function_secrets")
            else p
            for n, p in spec.postgres.items()
        },
    }
    kept["static_sites"] = {
        n: s.model_copy(update={"links": _keep(s.links, gone)})
        for n, s in kept["static_sites"].items()
    }
    return spec.model_copy(update=kept), dropped


def _keep(links: tuple[LinkSpec, ...], gone: set[str]) -> tuple[LinkSpec, ...]:
    return tuple(link for link in links if link.to not in gone)
