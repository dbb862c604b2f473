"""The Vercel backend of ``StaticSite``: one Vercel project, built by Vercel from the linked
repository (or deployed by the Vercel CLI / GitHub Action when no repository is given).

The rule that matters here: the project's variables target ``production`` and ``preview`` alike,
so a pull request's preview deployment builds with the same names as production; a pinned
``commit`` is deployed as the project's production deployment (``vercel.Deployment`` with that
``ref``), so the site runs exactly the release.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumiverse_vercel as vercel

from paas_stacks.components._component import Component
from paas_stacks.components.domain import DnsTarget
from paas_stacks.components.static_site._args import StaticSiteArgs, Vercel, parse_repo

__all__ = ["CNAME_TARGET", "ENV_TARGETS", "VercelSite", "serve"]

#: Vercel's documented CNAME target for a custom subdomain (an apex needs CNAME flattening,
#: which Cloudflare DNS does, or Vercel's A record).
CNAME_TARGET = "cname.vercel-dns.com"
ENV_TARGETS = ("production", "preview")


@dataclass
class VercelSite:
    """The project; ``attach_domain`` adds a custom domain to it."""

    project: vercel.Project
    team_id: pulumi.Input[str] | None

    @property
    def host(self) -> pulumi.Output[str]:
        return self.project.name.apply(lambda name: f"{name}.vercel.app")

    def attach_domain(self, hostname: str, parent: pulumi.Resource) -> DnsTarget:
        vercel.ProjectDomain(
            f"{parent.pulumi_resource_name}-vercel-domain",
            project_id=self.project.id,
            domain=hostname,
            team_id=self.team_id,
            opts=pulumi.ResourceOptions(parent=parent),
        )
        return DnsTarget(type="CNAME", content=CNAME_TARGET)


def serve(
    site: Component, args: StaticSiteArgs, env: Mapping[str, pulumi.Input[str]]
) -> VercelSite:
    """The Vercel project, as a child of ``site``."""
    provider = args.provider
    if not isinstance(provider, Vercel):
        raise TypeError(f"the Vercel backend serves Vercel, not {provider!r}")
    source = parse_repo(args.repo) if args.repo else None
    repository = None
    if source is not None:
        repository = vercel.ProjectGitRepositoryArgs(
            type=source.kind,
            repo=f"{source.owner}/{source.name}",
            production_branch=args.branch,
        )
    project = vercel.Project(
        site.child_name("project"),
        name=args.name,
        team_id=provider.team_id,
        framework=provider.framework,
        build_command=args.build_command,
        output_directory=args.output_dir,
        root_directory=args.root_dir,
        node_version=_major_x(args.node_version),
        git_repository=repository,
        # Not ``sensitive``: build-time values (NEXT_PUBLIC_*) are public in the bundle
        # anyway, and a sensitive value can never be read back to detect drift. Values that
        # came in as secret Outputs stay secret in Pulumi's state.
        environments=[
            vercel.ProjectEnvironmentArgs(
                key=key, value=value, targets=list(ENV_TARGETS), sensitive=False
            )
            for key, value in sorted(env.items())
        ],
        opts=site.child_opts(),
    )
    if args.commit is not None:
        # The pinned release: Vercel builds exactly this commit and makes it the project's
        # production deployment (a preview stack's project is its own, so that is the PR's).
        vercel.Deployment(
            site.child_name("deployment"),
            project_id=project.id,
            team_id=provider.team_id,
            ref=args.commit,
            production=True,
            opts=site.child_opts(),
        )
    return VercelSite(project, provider.team_id)


def _major_x(version: str | None) -> str | None:
    """Vercel takes a major version only: ``18``, ``18.17.0`` and ``18.x`` all mean ``18.x``."""
    if version is None:
        return None
    return f"{version.split('.')[0]}.x"
