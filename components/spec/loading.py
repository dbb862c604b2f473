"""Read a stack's environment from ``stacks/Pulumi.<stack>.yaml`` (key
``paas-stacks:environment``), resolve ``extends:``, and validate it all at once.

The rule that matters here: nothing registers until the whole environment is valid, and every
problem names the file that set the offending value (a base stack or the stack itself).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pulumi
import yaml
from pydantic import ValidationError

from paas_stacks._messages import choices, show
from paas_stacks.components.spec.build import SECTIONS
from paas_stacks.components.spec.environment import EnvironmentSpec
from paas_stacks.components.spec.errors import Loc, Problem, SpecError, line, problems_from
from paas_stacks.components.spec.release import (
    RELEASE_KEY,
    apply_release,
    parse_release,
    pinned_here_problems,
)
from paas_stacks.components.spec.rules import RuleContext, check

PROJECT = "paas-stacks"
ENV_KEY = f"{PROJECT}:environment"
Origins = dict[Loc, str]
#: Deeper than any stack file needs (the deepest real path is about 8 levels).
MAX_DEPTH = 32
#: Pulumi's language host hands the program the stack's whole config in ONE environment variable
#: (``PULUMI_CONFIG=<json>``), and Linux caps one at 32 pages (``MAX_ARG_STRLEN``, 131072 bytes
#: with the name and the final NUL): past it the program cannot even start ("argument list too
#: long"). Refused here, with the size, before any command runs it.
MAX_CONFIG_BYTES = 131072 - len("PULUMI_CONFIG=") - 1


def stack_file(stacks_dir: Path, stack: str) -> str:
    """The stack file as the user knows it (relative to the project root)."""
    return f"{stacks_dir.name}/Pulumi.{stack}.yaml"


def load_stack(stack: str, stacks_dir: Path, *, check_secrets: bool = True) -> EnvironmentSpec:
    """The validated environment of ``stack``; raises ``SpecError`` listing every problem.

    ``check_secrets`` requires each ``from_config`` key in the stack file's ``config:`` (set
    with ``pulumi config set --secret``); base stacks' keys do not count, as in Pulumi.
    """
    config = _config(stacks_dir, stack)
    _fits_in_the_environment(config, stack_file(stacks_dir, stack))
    raw = _environment(config, stack_file(stacks_dir, stack))
    present = (lambda key: f"{PROJECT}:{key}" in config) if check_secrets else None
    return build(stack, raw, stacks_dir, present, release=config.get(RELEASE_KEY))


def from_pulumi_config(stacks_dir: Path = Path("stacks")) -> EnvironmentSpec:
    """The environment of the running Pulumi stack (``__main__.py`` calls this first)."""
    config = pulumi.Config(PROJECT)
    stack = pulumi.get_stack()
    try:
        raw = config.require_object("environment")
    except RecursionError:
        raise SpecError(
            [f"{stack_file(stacks_dir, stack)}: environment: nested too deeply to read"]
        ) from None
    if not isinstance(raw, dict):
        raise SpecError(
            [f"{stack_file(stacks_dir, stack)}: environment: must be a mapping; got {show(raw)}"]
        )
    release = config.get_object("release")
    present = lambda key: config.get_secret(key) is not None  # noqa: E731
    return build(stack, raw, stacks_dir, present, release=release)


def build(
    stack: str,
    raw: Mapping[str, Any],
    stacks_dir: Path,
    secret_present: Callable[[str], bool] | None = None,
    *,
    release: Any = None,
) -> EnvironmentSpec:
    """Resolve ``extends`` in ``raw`` (the stack's own environment object), validate, and apply
    the stack's ``release`` (config ``paas-stacks:release``) to what follows this repository."""
    deep = _too_deep(raw)
    if deep is not None:
        raise SpecError([line(stack_file(stacks_dir, stack), deep)])
    merged, origins = _resolve(stack, dict(raw), stacks_dir, (stack,))
    if "name" not in raw:
        merged["name"] = stack  # never inherited: a derived stack must not reuse vendor names
    ctx = RuleContext(
        names=_names(merged),
        root=stacks_dir.parent,
        secret_present=secret_present,
        stack=stack,
    )
    spec, problems = _validate(merged, ctx)
    home = stack_file(stacks_dir, stack)
    if spec is not None:
        problems += pinned_here_problems(spec)
    if problems:
        raise SpecError([line(_origin(origins, p.loc, home), p) for p in problems])
    assert spec is not None  # noqa: S101 - no problems means the model was built
    return apply_release(spec, parse_release(release, home), home)


def _validate(
    merged: dict[str, Any], ctx: RuleContext
) -> tuple[EnvironmentSpec | None, list[Problem]]:
    problems: list[Problem] = []
    try:
        spec: EnvironmentSpec | None = EnvironmentSpec.model_validate(
            merged, context={"rules": False}
        )
    except ValidationError as exc:
        problems = problems_from(exc, EnvironmentSpec)
        spec = _partial(merged, problems)
    problems += _duplicates(merged)
    if spec is not None:
        problems += check(spec, ctx)
    return (None if problems else spec), problems


def _partial(merged: dict[str, Any], problems: list[Problem]) -> EnvironmentSpec | None:
    """The spec without the components (and top-level fields) that have their own errors, so
    the rules still check everything else in the same run."""
    broken = {p.loc[:2] for p in problems}
    pruned: dict[str, Any] = {}
    for key, value in merged.items():
        if (key,) in broken:
            continue
        if isinstance(value, dict) and key in (*SECTIONS, "domains"):
            pruned[key] = {name: item for name, item in value.items() if (key, name) not in broken}
        else:
            pruned[key] = value
    pruned.setdefault("name", "unnamed")  # a bad name has its own error; rules never read it
    try:
        return EnvironmentSpec.model_validate(pruned, context={"rules": False})
    except ValidationError:
        return None


def _names(merged: Mapping[str, Any]) -> dict[str, str]:
    names: dict[str, str] = {}
    for section in SECTIONS:
        items = merged.get(section)
        if isinstance(items, dict):
            for name in items:
                names.setdefault(str(name), section)
    return names


def _duplicates(merged: Mapping[str, Any]) -> list[Problem]:
    first: dict[str, str] = {}
    problems = []
    for section in SECTIONS:
        items = merged.get(section)
        for name in items if isinstance(items, dict) else ():
            if name in first:
                problems.append(
                    Problem(
                        (section, name),
                        f"{name!r} is already the name of "
                        f"environment.{first[name]}.{name}; links refer to components "
                        "by name, so names are unique across sections",
                    )
                )
            first.setdefault(name, section)
    return problems


def _too_deep(raw: Mapping[str, Any]) -> Problem | None:
    """The first value nested deeper than any stack file needs (merging and validation walk
    the object recursively, so it is refused before either runs)."""
    pending: list[tuple[Loc, Any]] = [((), raw)]
    while pending:
        loc, value = pending.pop()
        if len(loc) > MAX_DEPTH:
            return Problem(loc[:MAX_DEPTH], f"is nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, Mapping):
            pending += [((*loc, str(key)), item) for key, item in value.items()]
        elif isinstance(value, list | tuple):
            pending += [((*loc, index), item) for index, item in enumerate(value)]
    return None


def _deepest(text: str) -> Loc:
    """The first path in a YAML document deeper than ``MAX_DEPTH``, from the parser's events."""
    path: list[str | int] = []
    #: Per open container: a mapping expecting a key (True) or a value, or a list's next index.
    open_: list[tuple[str, Any]] = []

    def start_value() -> None:
        if open_ and open_[-1][0] == "list":
            path.append(open_[-1][1])
            open_[-1] = ("list", open_[-1][1] + 1)

    def end_value() -> None:
        if open_:
            path.pop()
            if open_[-1][0] == "map":
                open_[-1] = ("map", True)

    for event in yaml.parse(text):
        if isinstance(event, yaml.ScalarEvent):
            if open_ and open_[-1] == ("map", True):
                path.append(str(event.value))
                open_[-1] = ("map", False)
            else:
                start_value()
                end_value()
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            start_value()
            if len(path) >= MAX_DEPTH:
                return tuple(path)
            mapping = isinstance(event, yaml.MappingStartEvent)
            open_.append(("map", True) if mapping else ("list", 0))
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            open_.pop()
            end_value()
    return tuple(path)


def _origin(origins: Origins, loc: Loc, default: str) -> str:
    for end in range(len(loc), 0, -1):
        if loc[:end] in origins:
            return origins[loc[:end]]
    return default


def _resolve(
    stack: str, own: dict[str, Any], stacks_dir: Path, chain: tuple[str, ...]
) -> tuple[dict[str, Any], Origins]:
    """Deep-merge the ``extends`` chain: mappings merge, lists and scalars replace, ``null``
    removes; returns the merged object and, per path, the file that set it."""
    file = stack_file(stacks_dir, stack)
    base = own.pop("extends", None)
    if base is None:
        origins: Origins = {}
        _record(origins, own, file, ())
        return own, origins
    if not isinstance(base, str):
        raise SpecError([f"{file}: environment.extends: must be a stack name; got {show(base)}"])
    if base in chain:
        cycle = " -> ".join(repr(s) for s in (*chain, base))
        raise SpecError([f"{file}: environment.extends: {cycle} is a cycle"])
    if not (stacks_dir / f"Pulumi.{base}.yaml").is_file():
        known = sorted(
            p.name[len("Pulumi.") : -len(".yaml")] for p in stacks_dir.glob("Pulumi.*.yaml")
        )
        raise SpecError([f"{file}: environment.extends: {choices(base, known, 'is not a stack')}"])
    parent_raw = _environment(_config(stacks_dir, base), stack_file(stacks_dir, base))
    merged, origins = _resolve(base, parent_raw, stacks_dir, (*chain, base))
    merged.pop("name", None)
    return _merge(merged, own, origins, file, ()), origins


def _merge(
    base: dict[str, Any], own: dict[str, Any], origins: Origins, file: str, at: Loc
) -> dict[str, Any]:
    out = dict(base)
    for key, value in own.items():
        here = (*at, key)
        if value is None:
            out.pop(key, None)
            _drop(origins, here)
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            origins[here] = file
            out[key] = _merge(base[key], value, origins, file, here)
        else:
            _drop(origins, here)
            _record(origins, value, file, here)
            out[key] = value
    return out


def _record(origins: Origins, value: Any, file: str, at: Loc) -> None:
    if at:
        origins[at] = file
    if isinstance(value, dict):
        for key, item in value.items():
            _record(origins, item, file, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _record(origins, item, file, (*at, index))


def _drop(origins: Origins, at: Loc) -> None:
    for loc in [loc for loc in origins if loc[: len(at)] == at]:
        del origins[loc]


def _config(stacks_dir: Path, stack: str) -> dict[str, Any]:
    file = stack_file(stacks_dir, stack)
    path = stacks_dir / f"Pulumi.{stack}.yaml"
    if not path.is_file():
        raise SpecError([f"{file}: no such stack file"])
    text = path.read_text(encoding="utf-8")
    try:
        document = yaml.safe_load(text) or {}
    except RecursionError:
        # PyYAML composes nested nodes recursively; its event stream is flat, so the path is
        # found from the events.
        where = ".".join(str(part) for part in _deepest(text))
        raise SpecError([f"{file}: {where}: is nested more than {MAX_DEPTH} levels deep"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SpecError([f"{file}: not valid YAML{where}: {problem}"]) from exc
    config = document.get("config") if isinstance(document, dict) else None
    return config if isinstance(config, dict) else {}


def config_bytes(config: Mapping[str, Any]) -> int:
    """The size of ``PULUMI_CONFIG`` for this config: each value a string, objects as JSON (a
    secret counts as its ciphertext, a little more than the value the program gets)."""
    passed = {
        key: value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
        for key, value in config.items()
    }
    return len(json.dumps(passed, separators=(",", ":")).encode())


def _fits_in_the_environment(config: Mapping[str, Any], file: str) -> None:
    size = config_bytes(config)
    if size > MAX_CONFIG_BYTES:
        raise SpecError(
            [
                f"{file}: config: is {size} bytes as Pulumi hands it to the program; the limit is "
                f"{MAX_CONFIG_BYTES} bytes (Linux's cap on one environment variable, "
                "PULUMI_CONFIG); move part of the environment into a stack it extends"
            ]
        )


def _environment(config: Mapping[str, Any], file: str) -> dict[str, Any]:
    raw = config.get(ENV_KEY)
    if raw is None:
        raise SpecError([f"{file}: config.{ENV_KEY}: is required (the stack's environment object)"])
    if not isinstance(raw, dict):
        raise SpecError([f"{file}: config.{ENV_KEY}: must be a mapping; got {show(raw)}"])
    return dict(raw)
