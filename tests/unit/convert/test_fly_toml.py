"""``python -m paas_stacks.convert fly.toml``: the reference fly.toml (every documented key)
and three real public ones become valid stack files with one Fly service whose process groups
are the file's ``[processes]``; every key is mapped, noted as mapped in part, or dropped with a
comment and exit 1 (0 with ``--allow-partial``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from paas_stacks.convert.cli import main

DATA = Path(__file__).resolve().parent / "data"


def convert(tmp_path: Path, source: str, *extra: str) -> tuple[int, dict[str, Any], str]:
    output = tmp_path / "Pulumi.main.yaml"
    code = main([str(DATA / source), "--output", str(output), *extra])
    text = output.read_text()
    raw: dict[str, Any] = yaml.safe_load(text)["config"]["paas-stacks:environment"]
    return code, raw, text


def test_the_reference_fly_toml_maps_processes_checks_sizes_and_says_what_it_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, raw, text = convert(tmp_path, "reference.fly.toml")
    assert code == 1  # keys were dropped
    err = capsys.readouterr().err
    assert "invalid:" not in err
    dropped = sorted(line.removeprefix("dropped: ") for line in err.splitlines())
    assert dropped == sorted(
        [
            "swap_size_mb",
            "console_command",
            "host_dedication_id",
            "files",
            "metrics",
            "restart",
            "build.ignorefile",
            "build.args",
            "experimental.enable_consul",
            "deploy.release_command_timeout",
            "deploy.max_unavailable",
            "deploy.wait_timeout",
            "http_service.tls_options",
            "checks.sidekiq_http.protocol",
        ]
    )
    (shop,) = raw["services"].values()
    assert (shop["platform"], shop["kind"]) == ("fly", "web")
    assert (shop["process"], shop["start_command"]) == (
        "web",
        "bin/rails server -b 0.0.0.0 -p 8080",
    )
    assert shop["entrypoint"] == "/usr/bin/tini --"
    assert (shop["region"], shop["kill_signal"], shop["kill_timeout"]) == ("fra", "SIGTERM", "30s")
    assert shop["pre_deploy_command"] == "bin/rails db:migrate"
    assert (shop["port"], shop["health_check_path"], shop["autostop"]) == (8080, "/up", "stop")
    assert shop["concurrency"] == {"type": "requests", "soft_limit": 20, "hard_limit": 25}
    assert (shop["size"], shop["memory_mb"]) == ("shared-cpu-2x", 1024)
    assert shop["checks"]["web_alive"]["type"] == "tcp"
    assert shop["statics"] == [{"guest_path": "/rails/public/assets", "url_prefix": "/assets"}]
    assert shop["auto_rollback"] is True
    worker = shop["processes"]["worker"]
    assert worker["start_command"] == "bundle exec sidekiq -C config/sidekiq.yml"
    assert (worker["size"], worker["memory_mb"]) == ("performance-1x", 2048)
    assert worker["checks"]["sidekiq_http"]["method"] == "GET"
    assert "# dropped: metrics: Fly's metrics scraping is not managed" in text
    assert "# partly: http_service.checks[0]: the path gates deploys" in text
    assert convert(tmp_path, "reference.fly.toml", "--allow-partial")[0] == 0


def test_spokanetechs_web_and_celery_worker_become_one_service_with_a_worker_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, raw, text = convert(tmp_path, "spokanetech.fly.toml")
    assert code == 1
    assert "invalid:" not in capsys.readouterr().err
    service = raw["services"]["spokanetech-py"]
    assert service["process"] == "app"
    assert service["processes"]["worker"]["start_command"].startswith("python -m celery")
    # A [[vm]] naming no process sizes every process.
    assert service["processes"]["worker"]["memory_mb"] == 1024
    assert service["statics"] == [{"guest_path": "/code/static", "url_prefix": "/static/"}]
    assert "region" not in service
    assert "# dropped: primary_region: 'sea' is not a current Fly region" in text


def test_rainfalls_mount_becomes_a_volume_on_one_machine(tmp_path: Path) -> None:
    code, raw, text = convert(tmp_path, "rainfall.fly.toml")
    assert code == 0  # mapped whole or in part
    service = raw["services"]["rainfall"]
    assert service["disk"] == {"name": "rainfall_data", "mount_path": "/data"}
    assert "autoscaling" not in service
    assert "partly: http_service.min_machines_running: a service with a volume" in text


def test_sshxs_older_services_form_keeps_its_command_concurrency_and_tcp_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, raw, _ = convert(tmp_path, "sshx.fly.toml")
    assert code == 1
    assert capsys.readouterr().err.strip() == "dropped: services[0].tcp_checks[0].restart_limit"
    service = raw["services"]["sshx"]
    assert service["start_command"].startswith("sh -c ")
    assert (service["kill_timeout"], service["port"]) == ("5s", 8051)
    assert service["concurrency"] == {
        "type": "connections",
        "soft_limit": 1024,
        "hard_limit": 65536,
    }
    assert service["checks"] == {
        "tcp-0": {
            "type": "tcp",
            "port": 8051,
            "interval": "15s",
            "timeout": "2s",
            "grace_period": "1s",
        }
    }
