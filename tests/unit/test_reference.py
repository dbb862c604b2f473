"""The generated field reference and JSON Schema: current in the repository (CI fails otherwise),
complete (every field of every stack-file model), picking up a field added later by itself, and
a real JSON Schema validator accepts every stack file the repository ships and rejects bad ones."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

import paas_stacks.reference.schema as schema_module
from paas_stacks.components import spec
from paas_stacks.components.spec import EnvironmentSpec
from paas_stacks.components.spec.common import Spec
from paas_stacks.convert.cli import main as convert
from paas_stacks.reference import DOCS_FILE, SCHEMA_FILE, markdown, rendered, stack_file_schema
from paas_stacks.reference.cli import main
from paas_stacks.reference.markdown import fields_of, models, reference
from paas_stacks.reference.sources import ARGUMENTS

ROOT = Path(__file__).resolve().parents[2]
BLUEPRINTS = ROOT / "tests" / "unit" / "convert" / "data"


def validator() -> Draft202012Validator:
    schema = stack_file_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def problems(document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator().iter_errors(document)
    ]


def shipped_stack_files() -> Iterator[Path]:
    yield from sorted((ROOT / "stacks").glob("Pulumi.*.yaml"))
    yield from sorted((ROOT / "tests" / "integration" / "release_stacks").glob("Pulumi.*.yaml"))


# -- current -------------------------------------------------------------------------------------
def test_the_committed_reference_and_schema_are_what_the_models_generate() -> None:
    for relative, content in rendered().items():
        written = (ROOT / relative).read_text(encoding="utf-8")
        assert written == content, f"{relative} is stale: run `make reference`"
    assert main(["--check", "--root", str(ROOT)]) == 0


def test_check_names_each_missing_or_stale_file_and_writing_makes_them_current(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--check", "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"{DOCS_FILE} is missing" in err
    assert f"{SCHEMA_FILE} is missing" in err
    assert main(["--root", str(tmp_path)]) == 0
    assert main(["--check", "--root", str(tmp_path)]) == 0
    (tmp_path / SCHEMA_FILE).write_text("{}\n", encoding="utf-8")
    assert main(["--check", "--root", str(tmp_path)]) == 1
    assert "stack.schema.json is out of date" in capsys.readouterr().err


def _grown_environment() -> type[EnvironmentSpec]:
    class EnvironmentSpec(spec.EnvironmentSpec):  # the name the files know it by
        #: When the vendors may restart things.
        maintenance_window: str | None = None

    return EnvironmentSpec


def test_a_field_added_later_is_in_both_files_and_makes_the_committed_ones_stale(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    grown = _grown_environment()
    monkeypatch.setattr(markdown, "EnvironmentSpec", grown)
    monkeypatch.setattr(schema_module, "EnvironmentSpec", grown)
    assert (
        "| `maintenance_window` | string | unset |  | When the vendors may restart things. |"
        in reference()
    )
    properties = stack_file_schema()["$defs"]["EnvironmentSpec"]["properties"]
    assert properties["maintenance_window"]["description"] == "When the vendors may restart things."
    assert main(["--check", "--root", str(ROOT)]) == 1


# -- complete ------------------------------------------------------------------------------------
def _sections(text: str) -> dict[str, str]:
    parts = re.split(r'<a id="([a-z-]+)"></a>', text)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def test_the_reference_names_every_field_of_every_model_with_type_default_and_description() -> None:
    sections = _sections(reference())
    found = models()
    assert len(found) >= 20
    for name, entry in found.items():
        section = sections[markdown._anchor(name)]
        for key in fields_of(entry.cls):
            row = next(
                (line for line in section.splitlines() if line.startswith(f"| `{key}` |")), ""
            )
            assert row, f"{name}.{key} is not in the reference"
            cells = [cell.strip() for cell in row.strip("|").split(" | ")]
            assert cells[1], f"{name}.{key} has no type"
            assert cells[2], f"{name}.{key} has no default"
            assert cells[4], f"{name}.{key} has no description: write a #: comment above it"


def _leaves(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        if sub.__module__.startswith("paas_stacks.components.spec"):
            children = list(_leaves(sub))
            yield from children or [sub]


def test_every_stack_file_model_is_reached_from_the_environment() -> None:
    reached = set(models())
    assert {leaf.__name__ for leaf in _leaves(Spec)} - reached == set()


def test_every_argument_source_names_a_stack_file_model() -> None:
    assert set(ARGUMENTS) - set(models()) == set()


def test_the_reference_says_which_platform_or_provider_each_entry_is_for() -> None:
    text = reference()
    for heading in (
        "## `environment.services.<name>` (platform: render)",
        "## `environment.services.<name>` (platform: fly)",
        "## `environment.postgres.<name>` (provider: supabase)",
        "## `environment.redis.<name>` (provider: upstash)",
    ):
        assert heading in text
    assert '| `region` | string | `"oregon"` | `oregon`, `ohio`' in text


def test_field_comments_become_schema_descriptions() -> None:
    defs = stack_file_schema()["$defs"]
    region = defs["EnvironmentSpec"]["properties"]["region"]
    assert region["description"].startswith("Where every component runs")
    assert defs["Disk"]["properties"]["mount_path"]["description"].startswith("Where the disk")


# -- the schema validates --------------------------------------------------------------------------
@pytest.mark.parametrize("path", list(shipped_stack_files()), ids=lambda p: p.name)
def test_every_shipped_stack_file_validates(path: Path) -> None:
    assert problems(yaml.safe_load(path.read_text())) == []


def test_the_modeline_the_readme_documents_finds_the_schema_from_stacks() -> None:
    line = next(
        row
        for row in (ROOT / "README.md").read_text().splitlines()
        if row.startswith("# yaml-language-server: $schema=")
    )
    assert (ROOT / "stacks" / line.partition("$schema=")[2]).resolve() == ROOT / SCHEMA_FILE


def test_the_readme_stack_file_validates() -> None:
    text = (ROOT / "README.md").read_text()
    after = text[text.index("A complete stack file:") :]
    start = after.index("```yaml\n") + len("```yaml\n")
    block = after[start : after.index("\n```", start)]
    document = yaml.safe_load(block)
    assert "paas-stacks:environment" in document["config"]
    assert problems(document) == []


@pytest.mark.parametrize(
    "blueprint",
    sorted([*BLUEPRINTS.glob("*.render.yaml"), *BLUEPRINTS.glob("*.fly.toml")]),
    ids=lambda p: p.name,
)
def test_converted_blueprints_and_fly_tomls_validate(
    blueprint: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "Pulumi.conv.yaml"
    convert([str(blueprint), "--output", str(output), "--stack", "conv", "--allow-partial"])
    capsys.readouterr()
    assert problems(yaml.safe_load(output.read_text())) == []


def _demo() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "stacks" / "Pulumi.demo.yaml").read_text())
    return loaded


def _bad(change: str) -> dict[str, Any]:
    document = copy.deepcopy(_demo())
    environment = document["config"]["paas-stacks:environment"]
    api = environment["services"]["api"]
    if change == "unknown key":
        api["plann"] = "starter"
    elif change == "plan not allowed":
        api["plan"] = "starer"
    elif change == "a fly key on render":
        api["autostop"] = "stop"
    elif change == "no platform":
        del api["platform"]
    elif change == "lowercase env name":
        api["env"]["node_env"] = "production"
    elif change == "link to a bad name":
        api["links"].append("Not A Name")
    elif change == "environment not a mapping":
        document["config"]["paas-stacks:environment"] = "prod"
    elif change == "environment at the top level":
        document["paas-stacks:environment"] = document.pop("config")["paas-stacks:environment"]
    elif change == "bad region":
        environment["region"] = "mars"
    return document


BAD = [
    "unknown key",
    "plan not allowed",
    "a fly key on render",
    "no platform",
    "lowercase env name",
    "link to a bad name",
    "environment not a mapping",
    "environment at the top level",
    "bad region",
]


@pytest.mark.parametrize("change", BAD)
def test_bad_stack_files_are_rejected(change: str) -> None:
    assert problems(_bad(change)), f"{change}: accepted"


def test_a_file_that_extends_may_leave_out_and_null_out_but_not_misspell() -> None:
    child: dict[str, Any] = {
        "config": {
            "paas-stacks:environment": {
                "extends": "staging",
                "services": {"api": {"plan": "standard"}, "worker": None},
                "production": True,
            },
            "paas-stacks:stripeSecretKey": {"secure": "v1:abc"},
        }
    }
    assert problems(child) == []
    child["config"]["paas-stacks:environment"]["services"]["api"]["plann"] = "standard"
    assert problems(child)
    # Without extends, the same partial entry is incomplete.
    del child["config"]["paas-stacks:environment"]["extends"]
    del child["config"]["paas-stacks:environment"]["services"]["api"]["plann"]
    assert problems(child)
