"""``python -m paas_stacks.convert <render.yaml|fly.toml> [--output FILE] [--stack NAME]
[--repo URL] [--allow-partial]``: a Blueprint or a Fly app as ``stacks/Pulumi.<stack>.yaml``.

The rule that matters here: the written file passes the stack-file validator, or the command
says why not and exits 2; a key with no equivalent is a comment in the file and an exit of 1
unless ``--allow-partial``, so a conversion never loses a setting unnoticed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from paas_stacks.components.spec import SpecError, load_stack
from paas_stacks.convert.fly_toml import convert_fly_toml
from paas_stacks.convert.render_yaml import Conversion, convert_blueprint

__all__ = ["main", "stack_text"]

#: Sections in the order a reader expects them.
ORDER = ("services", "postgres", "redis", "env_groups", "secrets", "static_sites", "domains")
INDENT = "    "
#: Where an entry's name starts: one level below its section.
ENTRY = INDENT + "  "


def stack_text(conversion: Conversion, source: str) -> str:
    """The stack file: every component with its notes above it as comments."""
    lines = [
        f"# Converted from {source} by python -m paas_stacks.convert.",
        "# 'dropped:' marks a key with no equivalent, 'partly:' one mapped in part.",
    ]
    lines += [f"# {note}" for note in conversion.notes.get(("environment", ""), [])]
    lines += ["config:", "  paas-stacks:environment:"]
    environment = conversion.environment
    for section in ORDER:
        entries: dict[str, Any] = environment.get(section, {})
        if not entries:
            continue
        lines.append(f"{INDENT}{section}:")
        for name, body in entries.items():
            lines += [f"{ENTRY}# {note}" for note in conversion.notes.get((section, name), [])]
            dumped = yaml.safe_dump({name: body}, sort_keys=False, default_flow_style=False)
            lines += [f"{ENTRY}{line}" if line else line for line in dumped.splitlines()]
    return "\n".join(lines) + "\n"


def _problems(text: str, stack: str) -> list[str]:
    """What the stack-file validator says of ``text`` (config secrets not asked for)."""
    with tempfile.TemporaryDirectory() as directory:
        stacks = Path(directory) / "stacks"
        stacks.mkdir()
        (stacks / f"Pulumi.{stack}.yaml").write_text(text)
        try:
            load_stack(stack, stacks, check_secrets=False)
        except SpecError as error:
            return list(error.lines)
    return []


def _read(source: Path, repo: str | None) -> Conversion | None:
    """The file converted, or ``None`` after one line saying why it cannot be read."""
    if source.name.endswith(".toml"):
        try:
            app = tomllib.loads(source.read_text())
        except (OSError, tomllib.TOMLDecodeError) as error:
            print(f"{source}: cannot read a fly.toml: {error}", file=sys.stderr)
            return None
        return convert_fly_toml(app)
    try:
        blueprint = yaml.safe_load(source.read_text())
    except (OSError, yaml.YAMLError) as error:
        print(f"{source}: cannot read a Blueprint: {error}", file=sys.stderr)
        return None
    if not isinstance(blueprint, dict):
        print(f"{source}: a Blueprint is a mapping with services:, databases:", file=sys.stderr)
        return None
    return convert_blueprint(blueprint, repo)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m paas_stacks.convert", description=__doc__)
    parser.add_argument("source", type=Path, help="a render.yaml or a fly.toml")
    parser.add_argument("--output", type=Path, help="write here instead of stdout")
    parser.add_argument("--stack", default="main", help="the stack name the file is for")
    parser.add_argument("--repo", help="the repository services build from when they name none")
    parser.add_argument(
        "--allow-partial", action="store_true", help="exit 0 although some keys were dropped"
    )
    args = parser.parse_args(argv)
    source: Path = args.source
    conversion = _read(source, args.repo)
    if conversion is None:
        return 2
    text = stack_text(conversion, source.name)
    if args.output is not None:
        args.output.write_text(text)
    else:
        sys.stdout.write(text)
    problems = _problems(text, args.stack)
    for line in problems:
        print(f"invalid: {line}", file=sys.stderr)
    for path in conversion.dropped:
        print(f"dropped: {path}", file=sys.stderr)
    if problems:
        return 2
    return 1 if conversion.dropped and not args.allow_partial else 0
