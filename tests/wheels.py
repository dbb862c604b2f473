"""This library as a user gets it: a wheel built from a source tree, installed into a fresh
virtualenv, and a Pulumi project elsewhere that runs in it (the repository nowhere on its path).

The venv borrows our site-packages for the dependencies (a plain path entry), so nothing is
downloaded; its own site-packages holds only the wheel, and the wheel's ``.pth`` files.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: What a wheel is built from: the metadata, the build hook and the package.
SOURCE = ("pyproject.toml", "README.md", "setup.py", "paas_stacks")


def current_source(tmp: Path) -> Path:
    """A copy of the working tree's source, so a build leaves nothing in the checkout.

    ``paas_stacks/components`` and ``paas_stacks/providers`` are links to the source folders;
    copytree follows them, as the wheel build does.
    """
    source = tmp / "source"
    source.mkdir()
    for item in SOURCE:
        if (REPO / item).is_dir():
            ignore = shutil.ignore_patterns("__pycache__")
            shutil.copytree(REPO / item, source / item, ignore=ignore)
        else:
            shutil.copy(REPO / item, source / item)
    return source


def build_wheel(source: Path, dist: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(source),
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(dist),
            "-q",
        ],
        check=True,
    )
    [wheel] = dist.glob("paas_stacks-*.whl")
    return wheel


def site_packages(venv: Path) -> Path:
    done = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(done.stdout.strip())


def consumer_venv(tmp: Path, wheel: Path) -> Path:
    """A fresh venv with the wheel; dependencies borrowed from ours so no download is needed."""
    venv = tmp / "consumer-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # A plain path entry: the .pth files in our site-packages (our editable install's finder,
    # its legacy aliases) are not run through it.
    (site_packages(venv) / "borrowed-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install(venv, wheel)
    return venv


def install(venv: Path, wheel: Path) -> None:
    """Install ``wheel``, replacing whatever paas-stacks the venv has (same version or not)."""
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "--no-deps", "--no-index", "--force-reinstall", str(wheel)], check=True)


def consumer_project(directory: Path, venv: Path, program: str) -> Path:
    directory.mkdir()
    (directory / "Pulumi.yaml").write_text(
        textwrap.dedent(
            f"""\
            name: {directory.name}
            runtime:
              name: python
              options:
                virtualenv: {venv}
            """
        )
    )
    (directory / "__main__.py").write_text(program)
    return directory
