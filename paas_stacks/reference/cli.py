"""Write the generated reference and schema, or check that the written ones are current.

The rule that matters here: ``--check`` compares byte for byte and names each stale file with
the command that fixes it, so CI fails on a field added without regenerating.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from paas_stacks.reference import rendered

__all__ = ["main"]

FIX = "python -m paas_stacks.reference (make reference)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m paas_stacks.reference",
        description="Write docs/stack-reference.md and stack.schema.json from the stack-file "
        "models (a project that installs paas-stacks can write them into its own repository).",
    )
    parser.add_argument(
        "--root", type=Path, default=Path("."), help="the repository root (default: .)"
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a file is out of date"
    )
    args = parser.parse_args(argv)
    stale = []
    for relative, content in rendered().items():
        path = args.root / relative
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == content:
            continue
        if args.check:
            stale.append(relative)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        print(f"wrote {relative}")
    for relative in stale:
        what = "is missing" if not (args.root / relative).is_file() else "is out of date"
        print(f"{relative} {what}: the stack-file models changed; run {FIX}", file=sys.stderr)
    return 1 if stale else 0
