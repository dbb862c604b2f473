"""SecretSet: generated secrets (one GeneratedSecret each), secrets from stack config, all secret
and named exactly as ``provided_env`` says, and the optional GitHub Actions mirror."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from paas_stacks.components.linking import Link
from paas_stacks.components.secret_set import Generate, GithubMirror, SecretSet, SecretSetArgs
from paas_stacks.components.spec import Entry, EnvironmentSpec, compile_entry, provided_env
from paas_stacks.errors import ArgsError
from tests.mocks import RecordingMocks, build

SIG, SECRET = "4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"
GENERATED = "generated:GeneratedSecret"
ACTIONS = "github:index/actionsSecret:ActionsSecret"
CONFIG = {
    "paas-stacks:stripeSecretKey": "stripe-test-value-1",
    "paas-stacks:flyApiToken": "fly-test-value-1",
}


def drawn_mocks() -> RecordingMocks:
    return RecordingMocks(
        extra_outputs={
            f"pulumi-python:dynamic/{GENERATED}": lambda name, _i: {"value": f"v-{name}"}
        }
    )


def environment(**sets: Any) -> EnvironmentSpec:
    return EnvironmentSpec.model_validate(
        {"name": "mais", "secrets": sets}, context={"rules": False}
    )


def build_spec(env: EnvironmentSpec, links: list[Link] | None = None) -> Any:
    def program() -> dict[str, Any]:
        compiled = compile_entry(Entry("secrets", "app", env.secrets["app"]), env, links or [])
        secrets = compiled.component("app", compiled.args)
        return {
            "env": dict(secrets.env()),
            "secret": {k: v.is_secret() for k, v in secrets.env().items()},
        }

    return build(program, config=CONFIG, mocks=drawn_mocks())


def mais() -> EnvironmentSpec:
    """Seed 002: ``openssl rand -hex 32`` secrets plus production keys from config."""
    return environment(
        app={
            "generated": {
                "JWT_SECRET": {"bytes": 32, "encoding": "hex"},
                "BOOKING_TOKEN_SECRET": {"bytes": 32, "encoding": "hex", "version": 3},
            },
            "from_config": {"STRIPE_SECRET_KEY": "stripeSecretKey"},
        }
    )


def test_each_generated_secret_is_one_generated_secret_resource_with_its_inputs() -> None:
    built = build_spec(mais())
    jwt = built.mocks.one(GENERATED, "app-JWT_SECRET").inputs
    assert (jwt["length_bytes"], jwt["encoding"], jwt["version"]) == (32, "hex", 1)
    booking = built.mocks.one(GENERATED, "app-BOOKING_TOKEN_SECRET").inputs
    assert booking["version"] == 3
    assert built.mocks.types() == [
        "paas:components:SecretSet",
        f"pulumi-python:dynamic/{GENERATED}",
        f"pulumi-python:dynamic/{GENERATED}",
    ]


def test_env_is_exactly_provided_env_with_every_value_secret() -> None:
    env = mais()
    built = build_spec(env)
    assert tuple(built.value["env"]) == provided_env(env, "app")
    assert built.value["env"] == {
        "JWT_SECRET": "v-app-JWT_SECRET",
        "BOOKING_TOKEN_SECRET": "v-app-BOOKING_TOKEN_SECRET",
        "STRIPE_SECRET_KEY": "stripe-test-value-1",
    }
    assert all(built.value["secret"].values())


def test_a_missing_config_key_fails_naming_it() -> None:
    env = environment(app={"from_config": {"X": "notSet"}})
    with pytest.raises(Exception, match="notSet"):
        build_spec(env)


def mvp(links: tuple[str, ...] = ()) -> EnvironmentSpec:
    """Seed 001: the deploy tokens GitHub Actions needs, mirrored to the repository."""
    return environment(
        app={
            "generated": {"SECRET_KEY": {"bytes": 32, "encoding": "urlsafe"}},
            "from_config": {"FLY_API_TOKEN": "flyApiToken"},
            "github": {"repository": "your-org/mvp", "links": list(links)},
        },
    )


def test_github_mirror_makes_one_actions_secret_per_value_on_an_owner_provider() -> None:
    built = build_spec(mvp())
    provider = built.mocks.one("pulumi:providers:github", "app-github")
    assert provider.inputs["owner"] == "your-org"
    mirrored = {r.inputs["secretName"]: r for r in built.mocks.of_type(ACTIONS)}
    assert set(mirrored) == {"SECRET_KEY", "FLY_API_TOKEN"}
    token = mirrored["FLY_API_TOKEN"]
    assert token.name == "app-github-FLY_API_TOKEN"
    assert token.inputs["repository"] == "mvp"
    assert token.inputs["value"] == {SIG: SECRET, "value": "fly-test-value-1"}
    assert token.provider is not None
    assert "app-github" in token.provider


class FakeApi:
    pulumi_resource_name = "api"

    def env(self) -> dict[str, pulumi.Output[str]]:
        return {"URL": pulumi.Output.from_input("https://api.fly.dev")}


def test_linked_values_are_mirrored_too_under_their_renamed_names_and_secret() -> None:
    env = mvp(links=("api",))
    built = build_spec(env, links=[Link(FakeApi(), rename={"URL": "VITE_API_BASE_URL"})])
    mirrored = {r.inputs["secretName"]: r.inputs for r in built.mocks.of_type(ACTIONS)}
    assert mirrored["VITE_API_BASE_URL"]["value"] == {SIG: SECRET, "value": "https://api.fly.dev"}
    assert "VITE_API_BASE_URL" not in built.value["env"]


def test_without_github_nothing_is_mirrored() -> None:
    built = build_spec(mais())
    assert not built.mocks.of_type(ACTIONS)
    assert not built.mocks.of_type("pulumi:providers:github")


def mirror(**extra: Any) -> GithubMirror:
    return GithubMirror(repository="o/r", **extra)


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            SecretSetArgs(generated={"A": Generate()}, from_config={"A": "a"}),
            "from_config.A: is also generated; a secret is either generated or taken from config",
        ),
        (
            SecretSetArgs(generated={"A": Generate(encoding="base32")}),  # type: ignore[arg-type]
            "generated.A.encoding: 'base32' is not allowed; allowed: hex, base64, urlsafe",
        ),
        (
            SecretSetArgs(generated={"A": Generate(version=0)}),
            "generated.A.version: must be greater than or equal to 1; got 0",
        ),
        (
            SecretSetArgs(generated={"A": Generate(bytes=8)}),
            "generated.A.bytes: must be greater than or equal to 16; got 8",
        ),
        (
            SecretSetArgs(from_config={"A": "a"}, github=GithubMirror(repository="mvp")),
            "github.repository: 'mvp' is not 'owner/repo'",
        ),
        (
            SecretSetArgs(from_config={"GITHUB_TOKEN": "a"}, github=mirror()),
            "github: ['GITHUB_TOKEN']: GitHub secret names may not start with GITHUB_ or a digit",
        ),
        (
            SecretSetArgs(from_config={"URL": "a"}, github=mirror(links=[FakeApi()])),
            "github.links[0]: injects URL, which env.URL also sets; rename one with rename:",
        ),
        (SecretSetArgs(), ": declares no secrets; add generated or from_config entries"),
    ],
)
def test_invalid_args_fail_as_one_line_before_any_resource(args: SecretSetArgs, line: str) -> None:
    with pytest.raises(ArgsError) as caught:
        SecretSet("app", args)
    assert str(caught.value).startswith(f"SecretSet 'app': {line}"), str(caught.value)
