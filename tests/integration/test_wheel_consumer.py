"""A Pulumi project elsewhere, with paas-stacks installed from a wheel, runs our dynamic resources.

The state records the provider as a pickled reference to ``providers.upstash...``; this proves the
reference resolves in a consumer's virtualenv, where the repository is nowhere on the path.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest
from pulumi import automation as auto

from sandbox import Sandbox
from tests.conftest import EngineFactory

pytestmark = pytest.mark.engine

REPO = Path(__file__).resolve().parents[2]

PROGRAM = """\
import pulumi
import providers
from providers.upstash import RedisDatabase

database = RedisDatabase("cache", name="from-a-wheel", primary_region="us-east-1")
pulumi.export("provider_module", providers.__file__)
pulumi.export("database_id", database.database_id)
"""


def build_wheel(tmp: Path) -> Path:
    """Build from a copy, so the build leaves nothing in the working tree."""
    source = tmp / "source"
    source.mkdir()
    for item in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / item, source / item)
    for package in ("components", "providers"):
        shutil.copytree(
            REPO / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    dist = tmp / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation",
         "-w", str(dist), "-q"],
        check=True,
    )  # fmt: skip
    [wheel] = dist.glob("paas_stacks-*.whl")
    return wheel


def consumer_venv(tmp: Path, wheel: Path) -> Path:
    """A fresh venv with the wheel; dependencies borrowed from ours so no download is needed."""
    venv = tmp / "consumer-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    # A plain path entry: our editable install's finder (.pth inside that dir) is not run by it.
    (Path(site) / "borrowed-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
        check=True,
    )
    return venv


def test_a_consumer_project_uses_the_providers_from_an_installed_wheel(
    tmp_path: Path, engine: type[EngineFactory], engine_sandbox: Sandbox
) -> None:
    before = engine_sandbox.objects()
    venv = consumer_venv(tmp_path, build_wheel(tmp_path))
    project = tmp_path / "consumer"
    project.mkdir()
    (project / "Pulumi.yaml").write_text(
        textwrap.dedent(
            f"""\
            name: wheel-consumer
            runtime:
              name: python
              options:
                virtualenv: {venv}
            """
        )
    )
    (project / "__main__.py").write_text(PROGRAM)
    stack = auto.create_stack("consumer", work_dir=str(project))
    try:
        result = stack.up(on_output=lambda _line: None)
        module = result.outputs["provider_module"].value
        assert module.startswith(str(venv)), f"providers came from {module}, not the wheel"
        assert result.outputs["database_id"].value
        assert stack.preview(on_output=lambda _line: None).change_summary == {"same": 2}
    finally:
        stack.destroy(on_output=lambda _line: None)
        stack.workspace.remove_stack("consumer")
    assert engine_sandbox.objects() == before
