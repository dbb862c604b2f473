"""The Cloudflare Pages backend of ``StaticSite``: one Pages project, built by Cloudflare from the
repository (or filled by ``wrangler pages deploy`` from CI when no repository is given).

The rule that matters here: preview and production builds get the same build-time variables, so
a preview deployment talks to the same API as the branch's production build would.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

import pulumi
import pulumi_cloudflare as cloudflare

from paas_stacks.components._component import Component
from paas_stacks.components.domain import DnsTarget
from paas_stacks.components.static_site._args import (
    ACCOUNT_MISSING,
    CloudflarePages,
    GitSource,
    StaticSiteArgs,
    parse_repo,
)

__all__ = ["PagesSite", "serve"]

EnvVarArgs = TypeVar(
    "EnvVarArgs",
    cloudflare.PagesProjectDeploymentConfigsProductionEnvVarsArgs,
    cloudflare.PagesProjectDeploymentConfigsPreviewEnvVarsArgs,
)


@dataclass
class PagesSite:
    """The Pages project and its account; ``attach_domain`` adds a custom domain to it."""

    project: cloudflare.PagesProject
    account: pulumi.Input[str]

    @property
    def host(self) -> pulumi.Output[str]:
        """``<project>.pages.dev``: Cloudflare's ``subdomain`` once known (it differs from the
        name when the name was taken), else the name."""
        return pulumi.Output.all(self.project.subdomain, self.project.name).apply(
            lambda parts: parts[0] or f"{parts[1]}.pages.dev"
        )

    def attach_domain(self, hostname: str, parent: pulumi.Resource) -> DnsTarget:
        cloudflare.PagesDomain(
            f"{parent.pulumi_resource_name}-pages-domain",
            account_id=self.account,
            project_name=self.project.name,
            name=hostname,
            opts=pulumi.ResourceOptions(parent=parent),
        )
        return DnsTarget(type="CNAME", content=self.host)


def serve(site: Component, args: StaticSiteArgs, env: Mapping[str, pulumi.Input[str]]) -> PagesSite:
    """The Pages project, as a child of ``site``."""
    provider = args.provider
    if not isinstance(provider, CloudflarePages):
        raise TypeError(f"the Pages backend serves CloudflarePages, not {provider!r}")
    account = provider.account()
    if account is None:  # StaticSite refuses this before it registers
        raise AssertionError(ACCOUNT_MISSING)
    project = cloudflare.PagesProject(
        site.child_name("pages"),
        account_id=account,
        name=args.name,
        production_branch=args.branch,
        build_config=cloudflare.PagesProjectBuildConfigArgs(
            build_command=args.build_command,
            destination_dir=args.output_dir,
            root_dir=args.root_dir,
        ),
        deployment_configs=cloudflare.PagesProjectDeploymentConfigsArgs(
            production=cloudflare.PagesProjectDeploymentConfigsProductionArgs(
                env_vars=_env_vars(
                    env, cloudflare.PagesProjectDeploymentConfigsProductionEnvVarsArgs
                )
            ),
            preview=cloudflare.PagesProjectDeploymentConfigsPreviewArgs(
                env_vars=_env_vars(env, cloudflare.PagesProjectDeploymentConfigsPreviewEnvVarsArgs)
            ),
        ),
        source=_source(parse_repo(args.repo) if args.repo else None, args.branch),
        opts=site.child_opts(),
    )
    return PagesSite(project, account)


def _env_vars(
    env: Mapping[str, pulumi.Input[str]], kind: type[EnvVarArgs]
) -> dict[str, EnvVarArgs]:
    # Build-time variables end up in the public bundle (VITE_*), so they are plain_text on
    # Cloudflare; values that came in as secret Outputs stay secret in Pulumi's state.
    return {key: kind(type="plain_text", value=value) for key, value in sorted(env.items())}


def _source(
    source: GitSource | None, branch: pulumi.Input[str]
) -> cloudflare.PagesProjectSourceArgs | None:
    if source is None:
        return None
    return cloudflare.PagesProjectSourceArgs(
        type=source.kind,
        config=cloudflare.PagesProjectSourceConfigArgs(
            owner=source.owner,
            repo_name=source.name,
            production_branch=branch,
            production_deployments_enabled=True,
            preview_deployment_setting="all",
        ),
    )
