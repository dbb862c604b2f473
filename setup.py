"""Build hook only (``pyproject.toml`` holds the metadata): the wheel also carries
``paas_stacks_legacy.pth`` into site-packages, so states written by paas-stacks 0.1 keep
resolving their pickled providers (see ``paas_stacks/_legacy.py``).

The rule that matters here: the line is written by ``paas_stacks._legacy.write_pth``, loaded from
its file because nothing is installed yet, so the wheel and ``scripts/setup.sh`` write the same.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from setuptools import setup
from setuptools.command.build_py import build_py

LEGACY = Path(__file__).resolve().parent / "paas_stacks" / "_legacy.py"


def _legacy() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_paas_stacks_legacy_build", LEGACY)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(LEGACY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildPyWithLegacyPth(build_py):
    """``build_py`` plus the ``.pth`` at the top of ``build_lib``, listed among its outputs."""

    def run(self) -> None:
        super().run()
        if not self.editable_mode:  # an editable install gets it from scripts/setup.sh
            _legacy().write_pth(self.build_lib)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        if not self.editable_mode:
            outputs.append(str(Path(self.build_lib) / _legacy().PTH_NAME))
        return outputs


setup(cmdclass={"build_py": BuildPyWithLegacyPth})
