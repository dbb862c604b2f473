"""Nothing imports the source folders by their bare names: the only import package is
``paas_stacks`` (``components/`` and ``providers/`` are its subpackages, linked in), so a
consumer's own ``components/`` folder can never shadow ours, nor ours theirs."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BARE = ("components", "providers", "stacks")
SKIPPED = {".venv", ".git", "build", "dist", ".sandbox", ".pulumi-state", "node_modules"}


def sources() -> list[Path]:
    """Every Python file of the repository, the linked folders once (as ``components/``...)."""
    found = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        linked = parts[0] == "paas_stacks" and parts[1:2] in (("components",), ("providers",))
        if not linked and not SKIPPED.intersection(parts):
            found.append(path)
    return found


def bare_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    named: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            named += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            named.append(node.module)
    return [name for name in named if name.split(".")[0] in BARE]


def test_the_scan_reads_the_source_folders_and_the_tests() -> None:
    read = {path.relative_to(ROOT).parts[0] for path in sources()}
    assert {"components", "providers", "paas_stacks", "tests", "sandbox", "bench"} <= read


def test_no_module_imports_a_bare_source_folder() -> None:
    offenders = {str(path.relative_to(ROOT)): bare_imports(path) for path in sources()}
    assert {path: names for path, names in offenders.items() if names} == {}


def test_importing_every_module_of_the_package_loads_no_bare_top_level_package() -> None:
    program = (
        "import importlib, pkgutil, sys\n"
        "import paas_stacks\n"
        "for info in pkgutil.walk_packages(paas_stacks.__path__, 'paas_stacks.'):\n"
        "    if info.name.endswith('__main__'):\n"
        "        continue\n"
        "    importlib.import_module(info.name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {BARE!r}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd="/"
    )
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
