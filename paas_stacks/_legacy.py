"""For one release: the module names paas-stacks 0.1 pickled into states still resolve.

A state written by 0.1 holds each dynamic provider as a pickled reference to the module that
defined it (``providers.render.service.ServiceProvider``), and the engine unpickles that stored
reference for ``refresh`` and ``destroy``. ``install()`` puts a finder first on ``sys.meta_path``
that answers exactly those old names (and the packages above them) with small alias modules
whose attributes are those of the public module the class now lives in
(``paas_stacks.providers.render``).

The rule that matters here: the finder only ever answers the listed names, and a real
top-level ``providers`` package that is not this library's own source folder (a consumer
project's, another distribution's) always wins, exactly as it would have shadowed 0.1. Nothing
is imported, and nothing is printed, until an old name is imported; then a DeprecationWarning
says so once.

``install`` runs at interpreter start from ``paas_stacks_legacy.pth`` (``PTH_LINE``), which the
wheel puts into site-packages (``setup.py``) and ``scripts/setup.sh`` writes beside the editable
install; both write it with ``write_pth``. This module imports the standard library only, so
``setup.py`` can load it from its file before anything is installed.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import os
import sys
import types
import warnings

# Not ``typing.TYPE_CHECKING``: every interpreter of the venv imports this module at start, and
# typing alone would double what it costs.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

__all__ = ["ALIASES", "PTH_LINE", "PTH_NAME", "LegacyFinder", "install", "write_pth"]

ROOT = "providers"
_RENDER = ("domain", "envgroup", "keyvalue", "postgres", "service")
_FLY = ("app", "ip", "machines", "secrets", "volume")
_SUPABASE = (
    "auth_config",
    "database_config",
    "function_secrets",
    "migrations",
    "network_restrictions",
    "project",
)
_UPSTASH = ("redis_database",)


def _vendor(vendor: str, modules: Sequence[str]) -> dict[str, str]:
    public = f"paas_stacks.providers.{vendor}"
    return {f"{ROOT}.{vendor}": public, **{f"{ROOT}.{vendor}.{m}": public for m in modules}}


#: Every 0.1 module that defined a dynamic provider, and the packages above them -> the public
#: module that exports the same class names now (``git show d38db11:providers/...``).
ALIASES: dict[str, str] = {
    ROOT: "paas_stacks.providers",
    f"{ROOT}.generated": "paas_stacks.providers",
    f"{ROOT}.floor": "paas_stacks.providers.floor",
    f"{ROOT}.noop": "paas_stacks.providers.noop",
    **_vendor("render", _RENDER),
    **_vendor("fly", _FLY),
    **_vendor("supabase", _SUPABASE),
    **_vendor("upstash", _UPSTASH),
}
_PACKAGES = frozenset(name.rpartition(".")[0] for name in ALIASES if "." in name)

PTH_NAME = "paas_stacks_legacy.pth"
#: One line, as ``site`` wants it; a venv whose paas_stacks is gone starts silently all the same.
PTH_LINE = (
    'import sys; exec("try:\\n import paas_stacks._legacy as m\\nexcept ImportError:\\n pass'
    '\\nelse:\\n m.install()")'
)

# The source folder ``paas_stacks.providers`` is made of (a link to it in a checkout), so the
# repository's own top-level ``providers/`` folder is not mistaken for a consumer's package.
_OURS = os.path.realpath(os.path.join(os.path.dirname(__file__), "providers"))


class _AliasLoader:
    """Makes the alias module: empty but for a module ``__getattr__`` that forwards."""

    def __init__(self, public: str) -> None:
        self.public = public

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = types.ModuleType(spec.name, f"Deprecated: an alias of {self.public}.")
        public = self.public

        def forward(name: str) -> Any:
            if name.startswith("__"):  # the import system's own questions stay the alias's
                raise AttributeError(name)
            return getattr(importlib.import_module(public), name)

        module.__getattr__ = forward  # type: ignore[method-assign]
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        if module.__name__ == ROOT:
            warnings.warn(
                "a paas-stacks 0.1 module name was imported (a state written by 0.1, or an old "
                "import): it resolves to paas_stacks.providers for this release only",
                DeprecationWarning,
                stacklevel=2,
            )


class LegacyFinder:
    """Answers the names in ``ALIASES``, and only while no foreign ``providers`` is importable."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        public = ALIASES.get(fullname)
        if public is None or not self._answers(fullname):
            return None
        loader = _AliasLoader(public)
        return importlib.machinery.ModuleSpec(
            fullname,
            loader,  # type: ignore[arg-type]
            is_package=fullname in _PACKAGES,
        )

    @staticmethod
    def _answers(fullname: str) -> bool:
        if fullname != ROOT:
            # Below the root: only inside our alias, never inside somebody's real package.
            root = sys.modules.get(ROOT)
            return isinstance(
                getattr(getattr(root, "__spec__", None), "loader", None), _AliasLoader
            )
        real = importlib.machinery.PathFinder.find_spec(ROOT)
        if real is None or real.loader is None:
            # Nothing, or a bare folder of that name (a namespace portion, which a regular
            # package always won over): the alias stands where 0.1's package stood.
            return True
        return all(os.path.realpath(p) == _OURS for p in real.submodule_search_locations or ["?"])


def install() -> None:
    """Put the finder first on ``sys.meta_path``; calling it again changes nothing."""
    if not any(isinstance(finder, LegacyFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, LegacyFinder())


def write_pth(directory: str) -> str:
    """Write ``PTH_NAME`` into ``directory`` (a site-packages, or a wheel's build folder);
    writing it again changes nothing. Returns its path."""
    path = os.path.join(directory, PTH_NAME)
    with open(path, "w", encoding="utf-8") as out:
        out.write(PTH_LINE + "\n")
    return path
