"""States written by paas-stacks 0.1 name the old top-level modules; for one release they load.

Each case runs a fresh interpreter of this virtualenv, where ``make setup`` wrote
``paas_stacks_legacy.pth`` as the wheel does for a consumer, so what is tested is what a Pulumi
provider process does at start. The pickles below are the exact bytes 0.1 wrote into states
(``serialize_provider(P())`` at commit d38db11).
"""

from __future__ import annotations

import base64
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

from paas_stacks import _legacy
from tests.unit.test_pickle_paths import FROZEN, reference

REPO = Path(__file__).resolve().parents[2]

#: The base64 ``__provider`` values a 0.1 state holds, one per provider class.
OLD_PICKLES: tuple[str, ...] = (
    "gASVNwAAAAAAAACMF3Byb3ZpZGVycy5yZW5kZXIuZG9tYWlulIwUQ3VzdG9tRG9tYWluUHJvdmlkZXKUk5QpgZQu",
    "gASVNQAAAAAAAACMGXByb3ZpZGVycy5yZW5kZXIuZW52Z3JvdXCUjBBFbnZHcm91cFByb3ZpZGVylJOUKYGULg==",
    "gASVNQAAAAAAAACMGXByb3ZpZGVycy5yZW5kZXIua2V5dmFsdWWUjBBLZXlWYWx1ZVByb3ZpZGVylJOUKYGULg==",
    "gASVNQAAAAAAAACMGXByb3ZpZGVycy5yZW5kZXIucG9zdGdyZXOUjBBQb3N0Z3Jlc1Byb3ZpZGVylJOUKYGULg==",
    "gASVMwAAAAAAAACMGHByb3ZpZGVycy5yZW5kZXIuc2VydmljZZSMD1NlcnZpY2VQcm92aWRlcpSTlCmBlC4=",
    "gASVKAAAAAAAAACMEXByb3ZpZGVycy5mbHkuYXBwlIwLQXBwUHJvdmlkZXKUk5QpgZQu",
    "gASVLQAAAAAAAACMEHByb3ZpZGVycy5mbHkuaXCUjBFJcEFkZHJlc3NQcm92aWRlcpSTlCmBlC4=",
    "gASVMgAAAAAAAACMFnByb3ZpZGVycy5mbHkubWFjaGluZXOUjBBNYWNoaW5lc1Byb3ZpZGVylJOUKYGULg==",
    "gASVMAAAAAAAAACMFXByb3ZpZGVycy5mbHkuc2VjcmV0c5SMD1NlY3JldHNQcm92aWRlcpSTlCmBlC4=",
    "gASVLgAAAAAAAACMFHByb3ZpZGVycy5mbHkudm9sdW1llIwOVm9sdW1lUHJvdmlkZXKUk5QpgZQu",
    "gASVPAAAAAAAAACMHnByb3ZpZGVycy5zdXBhYmFzZS5hdXRoX2NvbmZpZ5SMEkF1dGhDb25maWdQcm92aWRlcpSTlCmBlC4=",
    "gASVRAAAAAAAAACMInByb3ZpZGVycy5zdXBhYmFzZS5kYXRhYmFzZV9jb25maWeUjBZEYXRhYmFzZUNvbmZpZ1Byb3ZpZGVylJOUKYGULg==",
    "gASVRgAAAAAAAACMI3Byb3ZpZGVycy5zdXBhYmFzZS5mdW5jdGlvbl9zZWNyZXRzlIwXRnVuY3Rpb25TZWNyZXRzUHJvdmlkZXKUk5QpgZQu",
    "gASVOwAAAAAAAACMHXByb3ZpZGVycy5zdXBhYmFzZS5taWdyYXRpb25zlIwSTWlncmF0aW9uc1Byb3ZpZGVylJOUKYGULg==",
    "gASVTgAAAAAAAACMJ3Byb3ZpZGVycy5zdXBhYmFzZS5uZXR3b3JrX3Jlc3RyaWN0aW9uc5SMG05ldHdvcmtSZXN0cmljdGlvbnNQcm92aWRlcpSTlCmBlC4=",
    "gASVNQAAAAAAAACMGnByb3ZpZGVycy5zdXBhYmFzZS5wcm9qZWN0lIwPUHJvamVjdFByb3ZpZGVylJOUKYGULg==",
    "gASVQQAAAAAAAACMIHByb3ZpZGVycy51cHN0YXNoLnJlZGlzX2RhdGFiYXNllIwVUmVkaXNEYXRhYmFzZVByb3ZpZGVylJOUKYGULg==",
    "gASVNgAAAAAAAACME3Byb3ZpZGVycy5nZW5lcmF0ZWSUjBdHZW5lcmF0ZWRTZWNyZXRQcm92aWRlcpSTlCmBlC4=",
    "gASVKAAAAAAAAACMDnByb3ZpZGVycy5ub29wlIwOUmVjb3JkUHJvdmlkZXKUk5QpgZQu",
    "gASVNwAAAAAAAACMD3Byb3ZpZGVycy5mbG9vcpSMDUZsb29yUHJvdmlkZXKUk5QpgZR9lIwHb3V0cHV0c5Qpc2Iu",
)


def named(pickle: str) -> tuple[str, str]:
    """The (old module, class) a 0.1 pickle names."""
    return reference(base64.b64decode(pickle))


OLD = {named(pickle): pickle for pickle in OLD_PICKLES}
#: Providers that 0.1 did not have, so no 0.1 state names them.
NEW_SINCE_0_1 = {"BranchProvider", "CertificateProvider", "StackOwnerProvider"}

LOAD_ALL = """\
import base64, sys, dill
for line in sys.stdin.read().split():
    provider = dill.loads(base64.b64decode(line))
    print(type(provider).__module__, type(provider).__qualname__)
"""


def python(code: str, cwd: Path, stdin: str = "", *flags: str) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter of this venv, started in ``cwd`` (first on its path)."""
    return subprocess.run(
        [sys.executable, *flags, "-c", textwrap.dedent(code)],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_venv_starts_with_the_finder_first_and_nothing_else_imported(tmp_path: Path) -> None:
    pth = Path(sysconfig.get_paths()["purelib"]) / _legacy.PTH_NAME
    assert pth.is_file(), f"{pth} is missing: run `make setup` (scripts/setup.sh writes it)"
    assert pth.read_text() == _legacy.PTH_LINE + "\n"
    done = python(
        """\
        import sys
        print(type(sys.meta_path[0]).__name__)
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("paas_stacks", "pulumi",
              "providers", "pydantic", "httpx")))
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["LegacyFinder", "['paas_stacks', 'paas_stacks._legacy']"]
    assert done.stderr == ""


def test_every_0_1_provider_pickle_loads_as_the_class_it_became(tmp_path: Path) -> None:
    assert sorted(name for _module, name in OLD) == sorted(set(FROZEN) - NEW_SINCE_0_1)
    assert all(module.startswith("providers") for module, _name in OLD)
    done = python(LOAD_ALL, tmp_path, "\n".join(OLD_PICKLES))
    assert done.returncode == 0, done.stderr
    loaded = [tuple(line.split()) for line in done.stdout.splitlines()]
    assert loaded == [(FROZEN[name], name) for _module, name in OLD]


def test_old_names_resolve_to_the_public_classes_and_say_they_are_deprecated(
    tmp_path: Path,
) -> None:
    done = python(
        """\
        import importlib, warnings
        # The 0.1 names by string, as the engine's unpickling asks for them.
        warnings.simplefilter("error", DeprecationWarning)
        try:
            importlib.import_module("providers.render.service")
        except DeprecationWarning as warning:
            print("warned:", warning)
        warnings.simplefilter("ignore", DeprecationWarning)
        old_service = importlib.import_module("providers.render.service")
        old_upstash = importlib.import_module("providers.upstash")
        import paas_stacks.providers.render as render, paas_stacks.providers.upstash as upstash
        print(old_service.ServiceProvider is render.ServiceProvider,
              old_service.Service is render.Service,
              old_upstash.RedisDatabase is upstash.RedisDatabase)
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    warned, same = done.stdout.splitlines()
    assert warned.startswith("warned: a paas-stacks 0.1 module name was imported")
    assert same == "True True True"


def test_only_the_listed_old_names_exist(tmp_path: Path) -> None:
    done = python(
        """\
        import importlib, warnings
        warnings.simplefilter("ignore", DeprecationWarning)
        for name in ("providers.render.client", "providers._http", "components",
                     "components.postgres"):
            try:
                importlib.import_module(name)
            except ModuleNotFoundError:
                print("missing", name)
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:-1] == [
        "missing providers.render.client",
        "missing providers._http",
        "missing components",
        "missing components.postgres",
    ]


def test_a_consumers_own_providers_package_wins_and_is_never_shadowed(tmp_path: Path) -> None:
    (tmp_path / "providers").mkdir()
    (tmp_path / "providers" / "__init__.py").write_text('OWNER = "the consumer"\n')
    done = python(
        """\
        import importlib
        # The consumer's own top-level package, imported by its name as their program would.
        print(importlib.import_module("providers").OWNER)
        try:
            importlib.import_module("providers.render")
        except ModuleNotFoundError as missing:
            print(missing)
        """,
        tmp_path,
        "",
        "-W",
        "error",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "the consumer",
        "No module named 'providers.render'",
    ]


def test_a_bare_folder_named_providers_does_not_stop_the_old_names(tmp_path: Path) -> None:
    (tmp_path / "providers").mkdir()  # no __init__.py: a namespace portion, as 0.1 never minded
    done = python(LOAD_ALL, tmp_path, OLD[("providers.render.service", "ServiceProvider")])
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["paas_stacks.providers.render", "ServiceProvider"]


def test_in_a_checkout_the_source_folder_is_ours_and_aliased_not_loaded_twice() -> None:
    # Started in the repository root, ``providers/`` (the source paas_stacks.providers links to)
    # is first on the path: it must give the very same classes, not a second copy.
    done = python(LOAD_ALL, REPO, OLD[("providers.render.service", "ServiceProvider")])
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["paas_stacks.providers.render", "ServiceProvider"]


def test_normal_imports_and_interpreter_start_emit_nothing(tmp_path: Path) -> None:
    done = python("import json, paas_stacks.providers.render", tmp_path, "", "-W", "error")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_install_is_idempotent_and_the_pth_line_installs_it(tmp_path: Path) -> None:
    _legacy.install()
    _legacy.install()
    assert sum(isinstance(f, _legacy.LegacyFinder) for f in sys.meta_path) == 1
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    written = Path(_legacy.write_pth(str(site_dir)))
    assert written.read_text() == _legacy.PTH_LINE + "\n"
    assert Path(_legacy.write_pth(str(site_dir))).read_text() == written.read_text()
    # -S: no site-packages .pth at start, so only this directory's line can install the finder.
    done = python(
        f"""\
        import site, sys
        sys.path.extend({sys.path!r})
        before = any(type(f).__name__ == "LegacyFinder" for f in sys.meta_path)
        site.addsitedir({str(site_dir)!r})
        print(before, type(sys.meta_path[0]).__name__)
        """,
        tmp_path,
        "",
        "-S",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "LegacyFinder"]


@pytest.mark.parametrize("name", sorted(_legacy.ALIASES))
def test_every_alias_names_a_public_module_that_exports_its_old_classes(name: str) -> None:
    import importlib  # noqa: PLC0415 - only this test imports the public modules by name

    public = importlib.import_module(_legacy.ALIASES[name])
    for old_module, cls in OLD:
        if old_module == name:
            assert getattr(public, cls).__module__ == public.__name__
