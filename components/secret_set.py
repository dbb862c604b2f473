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
from typing import TYPE_CHECKING, Literal

import pulumi

from paas_stacks.components._component import Component
from paas_stacks.components.linking import Link, linked_env
from paas_stacks.components.spec import EnvironmentSpec, SecretSetSpec
from paas_stacks.providers.generated import GeneratedSecret

if TYPE_CHECKING:
    import pulumi_github as github

__all__ = ["Generate", "SecretSet", "SecretSetArgs", "from_spec"]

ENCODINGS = ("hex", "base64", "urlsafe")
CONFIG_NAMESPACE = "paas-stacks"


@dataclass(frozen=True)
class Generate:
    """How one secret is drawn: ``openssl rand -hex 32`` is ``Generate(32, "hex")``."""

    #: Bytes of randomness.
    length_bytes: int = 32
    #: ``hex``, ``base64`` (padded) or ``urlsafe`` (unpadded URL-safe base64).
    encoding: Literal["hex", "base64", "urlsafe"] = "hex"
    #: Bump to rotate: a new value replaces the old one.
    version: int = 1


@dataclass
class SecretSetArgs:
    #: Env var name -> how to generate it.
    generated: Mapping[str, Generate] = field(default_factory=dict)
    #: Env var name -> key of ``pulumi config set --secret paas-stacks:<key>``.
    from_config: Mapping[str, str] = field(default_factory=dict)
    #: Mirror the secrets into this repository's Actions secrets (``owner/repo``).
    github_repository: str | None = None
    #: More values mirrored to GitHub only (e.g. resolved links), name -> value.
    github_extra: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)


class SecretSet(Component):
    """Secrets whose ``env()`` gives each one under its env var name (all secret)."""

    type_name = "SecretSet"

    #: Env var name -> secret value.
    values: dict[str, pulumi.Output[str]]

    def __init__(
        self, name: str, args: SecretSetArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        _validate(args)
        super().__init__(name, opts)
        self.values = {}
        for env_name, how in args.generated.items():
            drawn = GeneratedSecret(
                self.child_name(env_name),
                length_bytes=how.length_bytes,
                encoding=how.encoding,
                version=how.version,
                opts=self.child_opts(),
            )
            self.values[env_name] = pulumi.Output.secret(drawn.value)
        config = pulumi.Config(CONFIG_NAMESPACE)
        for env_name, key in args.from_config.items():
            self.values[env_name] = config.require_secret(key)
        self.github_secrets: dict[str, github.ActionsSecret] = {}
        if args.github_repository is not None:
            mirrored = {**self.values, **args.github_extra}
            self._mirror(args.github_repository, mirrored)
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


def _validate(args: SecretSetArgs) -> None:
    both = sorted(set(args.generated) & set(args.from_config))
    if both:
        raise ValueError(f"{both} are both generated and from_config; choose one")
    for env_name, how in args.generated.items():
        if how.encoding not in ENCODINGS:
            raise ValueError(
                f"generated.{env_name}.encoding {how.encoding!r} is not one of "
                f"{', '.join(ENCODINGS)}"
            )
        if how.length_bytes < 1 or how.version < 1:
            raise ValueError(f"generated.{env_name}: length_bytes and version must be >= 1")
    repository = args.github_repository
    if repository is not None and (repository.count("/") != 1 or repository.startswith("/")):
        raise ValueError(f"github_repository {repository!r} must be 'owner/repo'")
    if repository is not None:
        _check_github_names([*args.generated, *args.from_config, *args.github_extra])
    elif args.github_extra:
        raise ValueError("github_extra needs github_repository")


def _check_github_names(names: Sequence[str]) -> None:
    # GitHub refuses these names (docs: "Naming your secrets").
    refused = sorted(n for n in names if n.upper().startswith("GITHUB_") or n[:1].isdigit())
    if refused:
        raise ValueError(f"{refused}: GitHub secret names may not start with GITHUB_ or a digit")
    clashes = sorted({n for n in names if names.count(n) > 1})
    if clashes:
        raise ValueError(f"{clashes} would be mirrored to GitHub twice; rename the link")


def from_spec(
    name: str,
    spec: SecretSetSpec,
    environment: EnvironmentSpec,
    *,
    links: Sequence[Link] = (),
    opts: pulumi.ResourceOptions | None = None,
) -> SecretSet:
    """``links`` are the resolved ``github.links`` (values mirrored to GitHub only)."""
    del environment
    generated = {
        env_name: Generate(g.bytes, g.encoding, g.version) for env_name, g in spec.generated.items()
    }
    mirror = spec.github
    args = SecretSetArgs(
        generated=generated,
        from_config=dict(spec.from_config),
        github_repository=mirror.repository if mirror else None,
        github_extra=linked_env(links) if mirror and links else {},
    )
    return SecretSet(name, args, opts)
