"""The ``cloudflare_pages`` backend of ``StaticSite``: one Pages project, built by Cloudflare from
the repository (or filled by ``wrangler pages deploy`` from CI when no repository is given).

The rule that matters here: preview and production builds get the same build-time variables, so
a preview deployment talks to the same API as the branch's production build would.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import pulumi
import pulumi_cloudflare as cloudflare

from paas_stacks.components._component import Component

if TYPE_CHECKING:
    from paas_stacks.components.static_site import StaticSiteArgs

EnvVarArgs = TypeVar(
    "EnvVarArgs",
    cloudflare.PagesProjectDeploymentConfigsProductionEnvVarsArgs,
    cloudflare.PagesProjectDeploymentConfigsPreviewEnvVarsArgs,
)

__all__ = ["ACCOUNT_KEYS", "CloudflarePages", "GitSource", "account_id"]

#: Where the account id comes from when ``StaticSiteArgs.account_id`` is not given, in order.
ACCOUNT_KEYS = ("<project>:cloudflareAccountId", "cloudflare:accountId")


@dataclass(frozen=True)
class GitSource:
    """``https://github.com/acme/web`` -> kind ``github``, owner ``acme``, name ``web``."""

    kind: str
    owner: str
    name: str


def account_id(given: pulumi.Input[str] | None) -> pulumi.Input[str]:
    """``given``, else the project's ``cloudflareAccountId`` (may be secret), else
    ``cloudflare:accountId``.

    The project key comes first: the bridged Cloudflare provider does not know ``accountId``
    and its config check may reject unknown keys in its own namespace.
    """
    if given is not None:
        return given
    found: pulumi.Input[str] | None = pulumi.Config().get_secret("cloudflareAccountId")
    if found is None:
        found = pulumi.Config("cloudflare").get("accountId")
    if found is None:
        raise ValueError(
            "cloudflare_pages needs the Cloudflare account id: pass account_id, or run "
            "`pulumi config set --secret cloudflareAccountId <id>` (or cloudflare:accountId)"
        )
    return found


@dataclass
class CloudflarePages:
    """The Pages project and its account; ``attach`` adds a custom domain to it."""

    project: cloudflare.PagesProject
    account: pulumi.Input[str]

    @classmethod
    def create(
        cls,
        site: Component,
        args: StaticSiteArgs,
        *,
        source: GitSource | None,
        env: Mapping[str, pulumi.Input[str]],
    ) -> CloudflarePages:
        account = account_id(args.account_id)
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
                    env_vars=_env_vars(
                        env, cloudflare.PagesProjectDeploymentConfigsPreviewEnvVarsArgs
                    )
                ),
            ),
            source=_source(source, args.branch),
            opts=site.child_opts(),
        )
        return cls(project, account)

    @property
    def host(self) -> pulumi.Output[str]:
        """``<project>.pages.dev``: Cloudflare's ``subdomain`` once known (it differs from the
        name when the name was taken), else the name."""
        return pulumi.Output.all(self.project.subdomain, self.project.name).apply(
            lambda parts: parts[0] or f"{parts[1]}.pages.dev"
        )

    def attach(self, hostname: str, resource_name: str, parent: pulumi.Resource) -> None:
        cloudflare.PagesDomain(
            resource_name,
            account_id=self.account,
            project_name=self.project.name,
            name=hostname,
            opts=pulumi.ResourceOptions(parent=parent),
        )


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
