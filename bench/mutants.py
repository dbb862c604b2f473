"""``python -m bench.mutants`` (``make mutants``): apply each curated breakage of
``bench/mutant_list.py`` to a scratch copy of the repository, run the tests listed with it, and
write the score to ``bench/results/mutants.{json,md}``.

The rule that matters here: a mutant counts as killed only when its tests pass on the unbroken
copy (the baseline, run first) and fail on the broken one, so a kill is the edit being
noticed, never tests that were failing anyway. The copy holds the repository's files as they
are in the work tree; it is put first on ``PYTHONPATH``, so the engine's provider processes
import the broken copy too, not the installed package.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.mutant_list import MUTANTS, Mutant

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
#: A mutant whose tests run longer than this (a wait that never ends) counts as killed.
TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class Outcome:
    """What one mutant's tests did: ``killed``, ``survived``, ``timeout`` or ``error``."""

    name: str
    item: int | None
    path: str
    tests: tuple[str, ...]
    result: str
    seconds: float
    detail: str = ""


def problems(mutants: tuple[Mutant, ...], root: Path = ROOT) -> list[str]:
    """Why the list cannot be run as written: a missing file or test, an ``old`` text that is
    not in its file exactly once, an edit that changes nothing, a name used twice."""
    found: list[str] = []
    names = [mutant.name for mutant in mutants]
    found += [
        f"{name!r}: the name is used twice" for name in sorted(set(names)) if names.count(name) > 1
    ]
    for mutant in mutants:
        where = root / mutant.path
        if not where.is_file():
            found.append(f"{mutant.name!r}: {mutant.path} does not exist")
            continue
        count = where.read_text(encoding="utf-8").count(mutant.old)
        if count != 1:
            found.append(f"{mutant.name!r}: its text occurs {count} times in {mutant.path}")
        if mutant.old == mutant.new:
            found.append(f"{mutant.name!r}: the edit changes nothing")
        if not mutant.tests:
            found.append(f"{mutant.name!r}: no tests")
        for test in mutant.tests:
            if not (root / test.split("::", 1)[0]).exists():
                found.append(f"{mutant.name!r}: tests {test} do not exist")
    return found


def scratch_copy(root: Path, into: Path) -> Path:
    """The repository's files (tracked or new, not ignored; as in the work tree) under ``into``;
    links stay links."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        check=True,
        capture_output=True,
    ).stdout.decode()
    copy = into / "repo"
    for name in filter(None, listed.split("\0")):
        source, target = root / name, copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        elif source.is_file():  # a file deleted in the work tree but not yet in git is skipped
            shutil.copy2(source, target)
    return copy


def run_tests(copy: Path, tests: tuple[str, ...], temp: Path) -> tuple[int | None, str]:
    """pytest's exit code on ``tests`` inside ``copy`` with its temp dirs under ``temp`` (None:
    it ran past the timeout), and what it reported: the first failing test, else its last
    line."""
    # No .pyc files: a mutant and its restored original can share size and mtime second. Temp
    # dirs under a root of the run's own: a mutant that undoes the per-session base temp
    # (tests/session_temp.py) must reset no shared /tmp/pytest-of-<user> another session uses.
    env = {
        **os.environ,
        "PYTHONPATH": str(copy),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTEST_DEBUG_TEMPROOT": str(temp),
    }
    env.pop("PYTEST_ADDOPTS", None)  # a --basetemp there would bypass what is being checked
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    try:
        done = subprocess.run(
            command,
            cwd=copy,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, f"no result after {TIMEOUT_SECONDS}s"
    lines = (done.stdout + done.stderr).strip().splitlines()
    # A failed assertion names the kill better than the teardown error it can leave behind.
    failed = [line for line in lines if line.startswith("FAILED ")] or [
        line for line in lines if line.startswith("ERROR ")
    ]
    # The summary line names the test and the start of its assertion; the test id is enough.
    first = failed[0].split(" - ", 1)[0] if failed else (lines[-1] if lines else "")
    return done.returncode, first


def stop_left_servers(temp: Path) -> list[int]:
    """Stop the sandbox PostgreSQL servers a run's tests left running under ``temp`` (a mutant
    can break the teardown that stops them, e.g. by locking ``postgres`` out of its data dir);
    their pids. A server's ``postmaster.pid`` is gone once it stopped cleanly."""
    stopped = []
    for lock in temp.glob("**/postgres/data/postmaster.pid"):
        try:
            pid = int(lock.read_text().split()[0])
            # A crashed server's pid may have been reused: only that very server is stopped.
            if str(lock.parent).encode() not in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue
            os.kill(pid, signal.SIGINT)  # PostgreSQL's fast shutdown
        except (OSError, ValueError, IndexError):
            continue
        stopped.append(pid)
    return stopped


def verdict(code: int | None) -> str:
    """pytest exit codes: 1 tests failed, 2 collection or import broke (both noticed)."""
    if code is None:
        return "timeout"
    return {0: "survived", 1: "killed", 2: "killed"}.get(code, "error")


def imported_from(copy: Path) -> str:
    """Where the copy's interpreter finds ``paas_stacks`` (it must be the copy)."""
    probe = "import paas_stacks, sys; sys.stdout.write(paas_stacks.__file__)"
    env = {**os.environ, "PYTHONPATH": str(copy)}
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=copy, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def run(mutants: tuple[Mutant, ...], say: Any = print) -> dict[str, Any]:
    """Baseline, then every mutant in turn; the results document."""
    broken = problems(mutants)
    if broken:
        raise SystemExit("bench.mutants: the list is not well-formed:\n  " + "\n  ".join(broken))
    started = time.monotonic()
    # The tests' temp root is the run's own, apart from the copy (see run_tests).
    with (
        tempfile.TemporaryDirectory(prefix="paas-stacks-mutants-") as scratch,
        tempfile.TemporaryDirectory(prefix="pmt-", dir="/tmp") as temp,
    ):
        copy = scratch_copy(ROOT, Path(scratch))
        if not imported_from(copy).startswith(str(copy)):
            raise SystemExit(
                "bench.mutants: the scratch copy's paas_stacks is not the one imported"
            )
        every_test = tuple(dict.fromkeys(test for mutant in mutants for test in mutant.tests))
        say(f"baseline: {len(every_test)} test paths on the unbroken copy")
        code, tail = run_tests(copy, every_test, Path(temp))
        if code != 0:
            raise SystemExit(f"bench.mutants: the baseline fails ({tail}); fix that first")
        baseline = round(time.monotonic() - started, 1)
        outcomes = [_one(copy, mutant, Path(temp), say) for mutant in mutants]
    return _document(outcomes, baseline, round(time.monotonic() - started, 1))


def _one(copy: Path, mutant: Mutant, temp: Path, say: Any) -> Outcome:
    target = copy / mutant.path
    original = target.read_text(encoding="utf-8")
    target.write_text(original.replace(mutant.old, mutant.new, 1), encoding="utf-8")
    began = time.monotonic()
    try:
        code, tail = run_tests(copy, mutant.tests, temp)
    finally:
        target.write_text(original, encoding="utf-8")
        stop_left_servers(temp)
    outcome = Outcome(
        mutant.name,
        mutant.item,
        mutant.path,
        mutant.tests,
        verdict(code),
        round(time.monotonic() - began, 1),
        "" if code == 0 else tail,
    )
    label = f"item {mutant.item}" if mutant.item else "other"
    say(f"{outcome.result:>8}  {outcome.seconds:6.1f}s  [{label}] {mutant.name}")
    if outcome.detail:
        say(f"{'':>18}{outcome.detail}")
    return outcome


def _document(outcomes: list[Outcome], baseline: float, total: float) -> dict[str, Any]:
    killed = sum(o.result in ("killed", "timeout") for o in outcomes)
    items = [o for o in outcomes if o.item is not None]
    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
        "load": " ".join(f"{value:.2f}" for value in os.getloadavg()),
        "score": f"{killed}/{len(outcomes)}",
        "items_killed": f"{sum(o.result in ('killed', 'timeout') for o in items)}/{len(items)}",
        "baseline_seconds": baseline,
        "total_seconds": total,
        "mutants": [asdict(outcome) for outcome in outcomes],
    }


def write(document: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "mutants.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    lines = [
        "# Mutation check (`make mutants`)",
        "",
        f"Score: **{document['score']}** killed; issue 18 items 1-10: "
        f"**{document['items_killed']}** killed. {document['machine']}, load "
        f"{document['load']}; {document['total_seconds']:.0f} s in all (baseline "
        f"{document['baseline_seconds']:.0f} s).",
        "",
        "| result | item | mutant | file | tests run | killed by | s |",
        "|---|---|---|---|---|---|---|",
    ]
    for mutant in document["mutants"]:
        tests = ", ".join(f"`{test}`" for test in mutant["tests"])
        item = mutant["item"] or ""
        lines.append(
            f"| {mutant['result']} | {item} | {mutant['name']} | `{mutant['path']}` | {tests} "
            f"| {mutant['detail'].replace('|', '/')} | {mutant['seconds']:.0f} |"
        )
    (out / "mutants.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.mutants", description=__doc__)
    parser.add_argument("--out", type=Path, default=RESULTS, help="results directory")
    parser.add_argument("--only", nargs="*", help="run only mutants whose name contains one")
    args = parser.parse_args(argv)
    chosen = MUTANTS
    if args.only:
        chosen = tuple(m for m in MUTANTS if any(word in m.name for word in args.only))
    document = run(chosen, say=lambda line: print(line, flush=True))
    write(document, args.out)
    print(
        f"score {document['score']} (items 1-10: {document['items_killed']}) "
        f"in {document['total_seconds']:.0f}s; written to {args.out}"
    )
    survived = [m for m in document["mutants"] if m["result"] in ("survived", "error")]
    return 1 if survived else 0


if __name__ == "__main__":
    raise SystemExit(main())
