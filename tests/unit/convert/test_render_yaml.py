"""``python -m paas_stacks.convert``: Blueprints (one with every documented key, three cut down
from public repositories: data/README.md) become stack files the validator accepts, with a
comment on every key that has no equivalent and an exit code that says whether one was dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from paas_stacks.components.spec import build
from paas_stacks.convert.cli import main

DATA = Path(__file__).parent / "data"
REPO = "https://github.com/acme/app"


def convert(
    tmp_path: Path, name: str, *extra: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    output = tmp_path / "Pulumi.conv.yaml"
    code = main([str(DATA / name), "--output", str(output), "--stack", "conv", *extra])
    return code, output.read_text(), capsys.readouterr().err


def environment(text: str, tmp_path: Path) -> dict[str, object]:
    """The written file read back, and checked by the loader (it raises on any problem)."""
    raw = yaml.safe_load(text)["config"]["paas-stacks:environment"]
    build("conv", raw, tmp_path / "stacks")
    found: dict[str, object] = raw
    return found


REFERENCE_DROPPED = [
    "version",
    "previews",
    "projects",
    "databases[0].readReplicas",
    "databases[0].previewPlan",
    "envVarGroups[0].envVars[0].previewValue",
    "services[0].maxShutdownDelaySeconds",
    "services[0].pullRequestPreviewsEnabled",
    "services[1].image.creds",
    "services[2].registryCredential",
    "services[4].headers",
    "services[4].routes",
]


def test_every_documented_key_is_mapped_or_commented(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text, err = convert(tmp_path, "reference.render.yaml", capsys=capsys)
    assert code == 1  # something was dropped and --allow-partial was not given
    assert "invalid:" not in err
    assert [line.removeprefix("dropped: ") for line in err.splitlines()] == REFERENCE_DROPPED
    for path in REFERENCE_DROPPED:
        assert f"# dropped: {path}: " in text
    for partly in ("services[0].plan: free", "services[0].autoDeployTrigger: checksPass"):
        assert f"# partly: {partly}" in text
    env = environment(text, tmp_path)
    services = env["services"]
    assert isinstance(services, dict)
    api = services["shop-api"]
    assert api["kind"] == "web"
    assert api["build_filter"] == {"paths": ["api/**"], "ignored_paths": ["api/docs/**"]}
    assert {
        "to": "search",
        "properties": {"SEARCH_ADDR": "hostport", "SEARCH_KEY": "env.MEILI_MASTER_KEY"},
    } in api["links"]
    assert {"to": "shop-api", "properties": {"SELF_HOST": "host"}} in api["links"]
    assert services["search"]["disk"] == {
        "name": "meili",
        "mount_path": "/meili_data",
        "size_gb": 10,
    }
    assert (services["nightly"]["kind"], services["nightly"]["schedule"]) == ("cron", "0 3 * * *")
    assert env["postgres"] == {
        "shop-db": {
            "provider": "render",
            "plan": "basic_1gb",
            "database_name": "shop",
            "database_user": "shop_app",
            "region": "frankfurt",
            "version": 16,
            "disk_gb": 20,
            "ip_allow_list": [],
        }
    }
    assert env["redis"] == {
        "cache": {
            "provider": "render",
            "plan": "standard",
            "region": "frankfurt",
            "maxmemory_policy": "allkeys_lru",
            "ip_allow_list": [{"cidr": "203.0.113.0/24", "description": "office"}],
        }
    }
    assert env["env_groups"] == {
        "shared": {
            "env": {"LOG_LEVEL": "info"},
            "generated": {"SIGNING_KEY": {"bytes": 32, "encoding": "base64"}},
            "links": ["shared-config"],
        }
    }

    code, _text, _err = convert(tmp_path, "reference.render.yaml", "--allow-partial", capsys=capsys)
    assert code == 0


def test_sec_insights_keeps_its_cron_job_groups_and_legacy_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text, err = convert(tmp_path, "sec-insights.render.yaml", capsys=capsys)
    assert (code, "invalid:" in err) == (1, False)
    env = environment(text, tmp_path)
    assert env["postgres"]["llama-app-db"]["plan"] == "pro_4gb"  # type: ignore[index]
    assert "# partly: databases[0].plan: legacy 'pro' cannot be created any more" in text
    cron = env["services"]["llama-app-cron"]  # type: ignore[index]
    assert cron["start_command"] == "make seed_db_based_on_env"
    assert cron["schedule"] == "0 5 31 2 ?"
    assert env["secrets"]["prod-web-secrets-config"] == {  # type: ignore[index]
        "from_config": {"OPENAI_API_KEY": "openaiApiKey", "AWS_SECRET": "awsSecret"}
    }
    assert env["env_groups"]["general-settings"]["env"]["IS_PREVIEW_ENV"] == "false"  # type: ignore[index]


def test_label_sync_drops_the_group_it_never_declares(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text, err = convert(tmp_path, "label-sync.render.yaml", capsys=capsys)
    # Without --repo the services build from an unknown repository: the file is not valid.
    assert code == 2
    assert "environment.services.labelsync-api.repo: is required for runtime 'node'" in err
    code, text, err = convert(tmp_path, "label-sync.render.yaml", "--repo", REPO, capsys=capsys)
    assert code == 1
    assert err.splitlines() == ["dropped: labelsync-api: link to 'labelsync-secrets'"]
    env = environment(text, tmp_path)
    api = env["services"]["labelsync-api"]  # type: ignore[index]
    assert api["repo"] == REPO
    assert api["links"] == [
        {"to": "labelsync-db", "properties": {"DATABASE_URL": "connection_string"}},
        {"to": "labelsync-redis", "properties": {"REDIS_URL": "connection_string"}},
    ]


def test_render_examples_convert_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text, err = convert(tmp_path, "render-examples.render.yaml", capsys=capsys)
    assert (code, err) == (0, "")
    env = environment(text, tmp_path)
    services = env["services"]
    assert services["redis"]["kind"] == "private"  # type: ignore[index]
    assert services["webdis"]["links"][0] == {  # type: ignore[index]
        "to": "redis",
        "properties": {"REDIS_HOST": "host", "REDIS_PORT": "port"},
    }
    assert env["domains"] == {
        "sinatra": {"hostname": "test0.render.com", "target": "sinatra", "dns": "none"}
    }


def test_what_it_cannot_read_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fly = tmp_path / "fly.toml"
    fly.write_text('app = "shop\n')
    assert main([str(fly)]) == 2
    assert capsys.readouterr().err.startswith(f"{fly}: cannot read a fly.toml: ")
    bad = tmp_path / "render.yaml"
    bad.write_text("- just a list\n")
    assert main([str(bad)]) == 2
    assert "a Blueprint is a mapping" in capsys.readouterr().err
