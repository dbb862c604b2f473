"""``SecretSet``: named secrets for services, generated (kept in state) or read from stack
config, optionally mirrored into a GitHub repository's Actions secrets.

The rule that matters here: a secret value is never plain anywhere: generated values are secret
outputs of ``providers.generated.GeneratedSecret`` (rotated by bumping ``version``), config values
come from ``require_secret``, and every value this set hands out or mirrors is a secret Output.

The GitHub mirror uses ``pulumi_github`` with an explicit provider for the repository's owner;
its token comes from the provider's own settings (``github:token`` or ``GITHUB_TOKEN``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import pulumi

from paas_stacks.components._args import field_problems, raise_problems
from paas_stacks.components._component import Component
from paas_stacks.components._extras import require_sdk
from paas_stacks.components._fields import ConfigKey, EnvName, Generate, Repository
from paas_stacks.components.linking import Link, Linkable, resolve_links
from paas_stacks.errors import Problem
from paas_stacks.providers.generated import GeneratedSecret

if TYPE_CHECKING:
    import pulumi_github as github

__all__ = ["Generate", "GithubMirror", "SecretSet", "SecretSetArgs"]

CONFIG_NAMESPACE = "paas-stacks"


@dataclass(frozen=True, kw_only=True)
class GithubMirror:
    """Copy the set's secrets (and linked values) into a repository's Actions secrets."""

    #: ``owner/repo``.
    repository: Repository
    #: More values mirrored to GitHub only, e.g. a database URL for a CI migration job.
    links: Sequence[Link | Linkable] = ()


@dataclass(frozen=True, kw_only=True)
class SecretSetArgs:
    #: Env var name -> how to generate it.
    generated: Mapping[EnvName, Generate] = field(default_factory=dict)
    #: Env var name -> key of ``pulumi config set --secret paas-stacks:<key>``.
    from_config: Mapping[EnvName, ConfigKey] = field(default_factory=dict)
    #: Mirror the secrets into a repository's Actions secrets.
    github: GithubMirror | None = None


class SecretSet(Component):
    """Secrets whose ``env()`` gives each one under its env var name (all secret)."""

    type_name: ClassVar[str] = "SecretSet"

    #: Env var name -> secret value.
    values: dict[str, pulumi.Output[str]]

    @staticmethod
    def problems(args: SecretSetArgs) -> list[Problem]:
        """Everything wrong with ``args`` (links aside), locs relative to the args."""
        found = field_problems(args)
        if not args.generated and not args.from_config:
            found.append(Problem((), "declares no secrets; add generated or from_config entries"))
        found += [
            Problem(
                ("from_config", name),
                "is also generated; a secret is either generated or taken from config",
            )
            for name in args.from_config
            if name in args.generated
        ]
        if args.github is not None:
            found += _github_names(("github",), [*args.generated, *args.from_config])
        return found

    @staticmethod
    def provides(args: SecretSetArgs) -> tuple[str, ...]:
        return (*args.generated, *(n for n in args.from_config if n not in args.generated))

    def __init__(
        self, name: str, args: SecretSetArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        problems = self.problems(args)
        mirrored_links: dict[str, pulumi.Output[str]] = {}
        if args.github is not None:
            own = [*args.generated, *args.from_config]
            mirrored_links, link_problems = resolve_links(args.github.links, own)
            problems += [p.within("github", "links") for p in link_problems]
            problems += _github_names(("github", "links"), list(mirrored_links))
        raise_problems(f"SecretSet {name!r}", problems)
        if args.github is not None:
            require_sdk("pulumi_github", f"SecretSet {name!r}", "the GitHub mirror")
        super().__init__(name, opts)
        self.values = {}
        for env_name, how in args.generated.items():
            drawn = GeneratedSecret(
                self.child_name(env_name),
                length_bytes=how.bytes,
                encoding=how.encoding,
                version=how.version,
                opts=self.child_opts(),
            )
            self.values[env_name] = pulumi.Output.secret(drawn.value)
        config = pulumi.Config(CONFIG_NAMESPACE)
        for env_name, key in args.from_config.items():
            self.values[env_name] = config.require_secret(key)
        self.github_secrets: dict[str, github.ActionsSecret] = {}
        if args.github is not None:
            self._mirror(args.github.repository, {**self.values, **mirrored_links})
        self.register_outputs({"names": sorted(self.values)})

    def env(self) -> Mapping[str, pulumi.Output[str]]:
        return dict(self.values)

    def _mirror(self, repository: str, values: Mapping[str, pulumi.Input[str]]) -> None:
        # Imported here: only a mirrored set needs the GitHub SDK.
        import pulumi_github as github  # noqa: PLC0415

        owner, repo = repository.split("/", 1)
        provider = github.Provider(self.child_name("github"), owner=owner, opts=self.child_opts())
        for secret_name, value in values.items():
            self.github_secrets[secret_name] = github.ActionsSecret(
                self.child_name(f"github-{secret_name}"),
                repository=repo,
                secret_name=secret_name,
                value=pulumi.Output.secret(value),
                opts=self.child_opts(provider=provider),
            )


def _github_names(at: tuple[str, ...], names: Sequence[str]) -> list[Problem]:
    # GitHub refuses these names (docs: "Naming your secrets").
    refused = sorted(n for n in names if n.upper().startswith("GITHUB_") or n[:1].isdigit())
    if refused:
        return [
            Problem(at, f"{refused}: GitHub secret names may not start with GITHUB_ or a digit")
        ]
    return []
