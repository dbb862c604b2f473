"""Replay Render's own recorded API traffic against the sandbox and compare the answers' shapes.

Render's Terraform provider (``render-oss/terraform-provider-render``) keeps go-vcr cassettes of
its acceptance tests, recorded against the real API. This reads them from a local copy of that
repository (a git directory or a checkout; nothing of it is copied here), sends every recorded
request for a resource kind we use to a fresh Render sandbox (recorded ids and owners rewritten
to the sandbox's), and checks that the sandbox answers with the same status and the same shape:
every recorded field present with the same JSON type, recursively. Extra sandbox fields are
listed, not counted against it. Known differences are in ``DELIBERATE`` with the reason; any
other difference makes the run fail. ``--write`` puts the table into sandbox/render/README.md.

    python tools/render_cassettes.py /path/to/terraform-provider-render [--write]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sandbox import Sandbox, SandboxConfig  # noqa: E402
from sandbox.core.context import Delays  # noqa: E402

README = ROOT / "sandbox" / "render" / "README.md"
BEGIN, END = "<!-- cassette-table:begin -->", "<!-- cassette-table:end -->"
RECORDED_BASE = re.compile(r"^https://api\.[a-z.]*render\.com/v1")
ID = re.compile(r"\b(?:srv|crn|dpg|red|evg|dep|dsk|cdm)-[a-z0-9]{20}(?:-[a-z])?\b")
OWNER = re.compile(r"\b(?:tea-[a-z0-9]{20}|some-owner-id)\b")
#: Route templates of the resource kinds paas-stacks uses; everything else is out of scope.
IN_SCOPE = (
    "/services",
    "/env-groups",
    "/postgres",
    "/key-value",
    "/disks",
    "/notification-settings/overrides/services/",
    "/logs/streams/resource/",
)
#: (route, difference) -> why the sandbox deliberately answers otherwise. ``*`` ends a prefix.
DELIBERATE: dict[tuple[str, str], str] = {
    ("POST /services/{id}/deploys", "status 202 != 201"): (
        "queued behind a running deploy on Render; the replay runs without provisioning delays, "
        "so no deploy is running and the sandbox starts it at once (it answers 202 too when one "
        "is running)"
    ),
    ("*", "ipAllowList: null != array"): (
        "Render answers null for an empty allow list; the spec and the official Python SDK "
        "(which iterates it) want an array, so the sandbox sends []"
    ),
    ("POST /services/{id}/deploys", "finishedAt: null != string"): (
        "still running when recorded; without provisioning delays the sandbox's deploy is "
        "already live (it answers null while one runs)"
    ),
    ("*", "environmentId: missing"): (
        "put into an environment by POST /environments/{id}/resources, which the sandbox does "
        "not emulate (projects and environments are out of scope)"
    ),
    ("GET /logs/streams/resource/{id}", "status 404 != 200"): (
        "set by a PUT of an earlier recorded run whose resource the replay had not created"
    ),
    ("GET /logs/streams/resource/{id}", "status 200 != 404"): (
        "the recording predates an override its own test set; state, not shape"
    ),
}


@dataclass
class Pair:
    """One recorded request/answer, rewritten for the sandbox."""

    cassette: str
    method: str
    path: str
    query: str
    body: str
    status: int
    answer: Any


@dataclass
class Result:
    route: str
    where: str = ""
    differences: list[str] = field(default_factory=list)
    extras: set[str] = field(default_factory=set)


def route_of(method: str, path: str) -> str:
    template = ID.sub("{id}", path)
    template = re.sub(r"/(env-vars|secret-files|custom-domains)/[^/{]+$", r"/\1/{name}", template)
    return f"{method} {template}"


def cassettes(source: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(name, parsed cassette) from a git directory (read with ``git show``) or a checkout."""
    if (source / "HEAD").exists() and not (source / "internal").exists():
        listing = subprocess.run(
            ["git", "-C", str(source), "ls-tree", "-r", "--name-only", "HEAD"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for name in sorted(n for n in listing.splitlines() if n.endswith("_cassette.yaml")):
            text = subprocess.run(
                ["git", "-C", str(source), "show", f"HEAD:{name}"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            yield name, yaml.safe_load(text)
    else:
        for path in sorted(source.glob("internal/**/*_cassette.yaml")):
            yield str(path.relative_to(source)), yaml.safe_load(path.read_text())


def pairs(name: str, cassette: dict[str, Any]) -> Iterator[Pair]:
    for item in cassette["interactions"]:
        request, response = item["request"], item["response"]
        url = httpx.URL(RECORDED_BASE.sub("", request["url"]))
        text = response.get("body") or ""
        answer = json.loads(text) if text.strip() else None
        yield Pair(
            name,
            request["method"],
            url.path,
            url.query.decode(),
            request.get("body") or "",
            int(response["code"]),
            answer,
        )


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "boolean",
        int: "number",
        float: "number",
        str: "string",
        list: "array",
        dict: "object",
    }[type(value)]


def compare(recorded: Any, actual: Any, where: str, result: Result) -> None:
    """Every recorded field present in ``actual`` with the same JSON type, recursively."""
    kinds = json_type(recorded), json_type(actual)
    if kinds[0] != kinds[1]:
        result.differences.append(f"{where or 'body'}: {kinds[0]} != {kinds[1]}")
        return
    if isinstance(recorded, dict):
        for key, value in recorded.items():
            inner = f"{where}.{key}" if where else key
            if key not in actual:
                result.differences.append(f"{inner}: missing")
            else:
                compare(value, actual[key], inner, result)
        result.extras |= {
            f"{where}.{key}" if where else key for key in actual if key not in recorded
        }
    elif isinstance(recorded, list) and recorded and actual:
        compare(recorded[0], actual[0], f"{where}[]", result)


def learn_ids(recorded: Any, actual: Any, ids: dict[str, str]) -> None:
    """Map recorded ids to the sandbox's, walking both answers side by side."""
    if isinstance(recorded, dict) and isinstance(actual, dict):
        for key, value in recorded.items():
            if isinstance(value, str) and ID.fullmatch(value) and isinstance(actual.get(key), str):
                ids.setdefault(value, actual[key])
            else:
                learn_ids(value, actual.get(key), ids)
    elif isinstance(recorded, list) and isinstance(actual, list):
        for left, right in zip(recorded, actual, strict=False):
            learn_ids(left, right, ids)


def rewrite(text: str, ids: dict[str, str], owner: str) -> tuple[str, bool]:
    """Recorded ids and owners replaced; False when an id is not known to the sandbox."""
    known = True

    def swap(match: re.Match[str]) -> str:
        nonlocal known
        if match.group(0) not in ids:
            known = False
        return ids.get(match.group(0), match.group(0))

    return OWNER.sub(owner, ID.sub(swap, text)), known


def replay(source: Path) -> tuple[list[Result], Counter[str]]:
    results: list[Result] = []
    skipped: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as state:
        no_delays = Delays(deploy=0, database=0, project=0, machine=0)
        config = SandboxConfig(
            state_dir=Path(state), vendors=("render",), rate_limits=False, delays=no_delays
        )
        with (
            Sandbox(config) as sandbox,
            httpx.Client(
                base_url=sandbox.base_url("render"),
                timeout=60,
                headers={"Authorization": f"Bearer {sandbox.token('render')}"},
            ) as http,
        ):
            owner = sandbox.tokens("render")[sandbox.token("render")]
            for name, cassette in cassettes(source):
                ids: dict[str, str] = {}
                for pair in pairs(name, cassette):
                    route = route_of(pair.method, pair.path)
                    if not pair.path.startswith(IN_SCOPE):
                        skipped["out of scope: " + route.split(" ", 1)[1].split("/")[1]] += 1
                        continue
                    path, known_path = rewrite(pair.path, ids, owner)
                    body, known_body = rewrite(pair.body, ids, owner)
                    query, _ = rewrite(pair.query, ids, owner)
                    if not (known_path and known_body):
                        skipped["refers to an object made out of scope"] += 1
                        continue
                    answer = http.request(
                        pair.method,
                        path,
                        params=httpx.QueryParams(query),
                        content=body.encode() or None,
                        headers={"content-type": "application/json"},
                    )
                    results.append(check(pair, route, answer, ids))
    return results, skipped


def check(pair: Pair, route: str, answer: httpx.Response, ids: dict[str, str]) -> Result:
    result = Result(route, f"{pair.cassette}: {pair.method} {pair.path}")
    if answer.status_code != pair.status:
        result.differences.append(f"status {pair.status} != {answer.status_code}")
        return result
    actual = answer.json() if answer.content.strip() else None
    if pair.status < 300:
        learn_ids(pair.answer, actual, ids)
        compare(pair.answer, actual, "", result)
    return result


def reason(route: str, difference: str) -> str | None:
    for (where, what), why in DELIBERATE.items():
        if (where in ("*", route)) and (difference == what or difference.endswith(what)):
            return why
    return None


def table(results: list[Result], skipped: Counter[str]) -> tuple[str, list[str]]:
    by_route: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        by_route[result.route].append(result)
    rows, unexplained = [], []
    agree_total = differ_total = 0
    for route in sorted(by_route):
        group = by_route[route]
        agree = sum(1 for r in group if not r.differences)
        whys: dict[str, str] = {}
        for r in group:
            for difference in r.differences:
                why = reason(route, difference)
                if why is None:
                    unexplained.append(f"{route}: {difference}")
                else:
                    whys[difference.split(": ")[0] if ": " in difference else difference] = why
        extras = sorted({e for r in group for e in r.extras})
        note = "; ".join(f"`{d}`: {w}" for d, w in whys.items()) or "—"
        if extras:
            note += f" (sandbox also sends {', '.join(f'`{e}`' for e in extras[:6])})"
        rows.append(f"| `{route}` | {len(group)} | {agree} | {len(group) - agree} | {note} |")
        agree_total += agree
        differ_total += len(group) - agree
    head = (
        f"Pairs checked: **{len(results)}** — sandbox agrees: **{agree_total}**, deliberately "
        f"differs: **{differ_total}**. Not replayed: "
        + ", ".join(f"{n} {why}" for why, n in sorted(skipped.items()))
        + ".\n\n"
        "| recorded pair (method, route) | pairs | agree | differ | why it differs |\n"
        "|---|---|---|---|---|\n"
    )
    return head + "\n".join(rows) + "\n", unexplained


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="terraform-provider-render (git dir or checkout)")
    parser.add_argument("--write", action="store_true", help="update sandbox/render/README.md")
    parser.add_argument("--show", help="print where each difference containing this text is")
    args = parser.parse_args()
    results, skipped = replay(args.source)
    text, unexplained = table(results, skipped)
    print(text)
    for result in results:
        if args.show and any(args.show in d for d in result.differences):
            print("  ", result.where, result.differences)
    if unexplained:
        print("UNEXPLAINED differences:", *sorted(Counter(unexplained)), sep="\n  ")
        raise SystemExit(1)
    if args.write:
        readme = README.read_text()
        start, stop = readme.index(BEGIN) + len(BEGIN), readme.index(END)
        README.write_text(readme[:start] + "\n" + text + readme[stop:])


if __name__ == "__main__":
    main()
