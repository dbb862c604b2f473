"""The few Pulumi CLI calls the preview command makes, each failing as one line.

The rule that matters here: this is the CLI a user or the workflow would run (same backend, same
passphrase or access token from the environment), so nothing here holds a credential; and it is
never run in a mode that writes secrets in plain text (README, "Output modes that print
secrets"): no ``--debug`` or ``-v`` here, and a ``PULUMI_DEBUG_GRPC`` in the environment is
refused rather than passed on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paas_stacks.errors import PreviewError

#: Environment variables with which the CLI writes every secret, decrypted, somewhere.
LEAKING_ENV = ("PULUMI_DEBUG_GRPC",)


@dataclass(frozen=True)
class Pulumi:
    """The ``pulumi`` CLI run in the project directory ``cwd``."""

    cwd: Path
    binary: str = "pulumi"

    def run(self, *args: str, stdin: str | None = None, show: bool = False) -> str:
        """Run ``pulumi <args>``; ``show`` streams its output (long operations) to stderr."""
        for name in LEAKING_ENV:
            if os.environ.get(name):
                raise PreviewError(
                    f"{name} is set: the Pulumi CLI would write every secret of the preview, "
                    "decrypted, to the file it names; unset it"
                )
        done = subprocess.run(  # noqa: S603 - a fixed binary with our own arguments
            [self.binary, *args, "--non-interactive"],
            cwd=self.cwd,
            env={**os.environ, "PULUMI_SKIP_UPDATE_CHECK": "true"},
            input=stdin,
            stdout=sys.stderr if show else subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise PreviewError(f"pulumi {' '.join(args[:2])} failed: {_last_line(done.stderr)}")
        return done.stdout or ""

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json") or "null")

    def stacks(self) -> list[str]:
        return [str(entry["name"]) for entry in self.json("stack", "ls") or []]

    def exists(self, stack: str) -> bool:
        return stack in self.stacks()

    def tags(self, stack: str) -> dict[str, str]:
        found = self.json("stack", "tag", "ls", "--stack", stack) or {}
        return {str(k): str(v) for k, v in found.items()}

    def set_tag(self, stack: str, name: str, value: str) -> None:
        self.run("stack", "tag", "set", name, value, "--stack", stack)

    def outputs(self, stack: str) -> dict[str, Any]:
        return dict(self.json("stack", "output", "--stack", stack) or {})

    def history(self, stack: str) -> list[dict[str, Any]]:
        return list(self.json("stack", "history", "--stack", stack) or [])

    def export(self, stack: str) -> dict[str, Any]:
        return dict(json.loads(self.run("stack", "export", "--stack", stack)))

    def set_secret(self, stack: str, key: str, value: str) -> None:
        # The value goes through stdin, so it never shows in a process listing.
        self.run("config", "set", "--secret", key, "--stack", stack, stdin=value)


def _last_line(stderr: str | None) -> str:
    lines = [line.strip() for line in (stderr or "").splitlines() if line.strip()]
    return lines[-1] if lines else "no error output"
