"""The pull-request comment of a preview environment: per component its URL, what the last
update did to it, and its monthly cost beside the base stack's, as GitHub markdown.

The rule that matters here: the comment is rendered from data only (stack outputs, the last
update, the state's timestamps, the base's estimate), so its exact text is tested offline.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

#: The first line of every preview comment: the workflow edits the comment that carries it.
MARKER = "<!-- paas-stacks-preview -->"
ENVIRONMENT_TYPE = "paas:components:Environment"


@dataclass(frozen=True)
class CommentData:
    stack: str
    base: str
    urls: Mapping[str, str]
    #: Component -> "created" / "updated" / "no change" (from :func:`changes_by_component`).
    changes: Mapping[str, str]
    preview_cost: Mapping[str, float]
    base_cost: Mapping[str, float]
    #: The last update's ``resourceChanges`` and its number in the stack's history.
    summary: Mapping[str, int]
    update: int
    expires: datetime | None = None
    ttl_days: int | None = None
    left_out: tuple[str, ...] = field(default_factory=tuple)
    #: Where the prices come from, the budget verdict, and the estimate's assumptions.
    prices: str = ""
    budget: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: Component -> what it runs (the stack's ``releases`` output: commit, image, digest).
    runs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    #: The pull request's head: (branch, commit) the preview was asked to run.
    head: tuple[str, str] | None = None
    #: One line per Supabase database: a branch of the base's project or a new project, why,
    #: and a branch's price by the hour.
    databases: tuple[str, ...] = field(default_factory=tuple)


def _table(data: CommentData) -> list[str]:
    # Services with URLs first, then everything costed or changed, each once.
    names = dict.fromkeys([*data.urls, *data.preview_cost, *data.changes, *data.base_cost])
    rows = [
        f"| {name} | {_url(data.urls.get(name))}{_runs(data.runs.get(name))} | "
        f"{data.changes.get(name, '—')} | "
        f"{_usd(data.preview_cost.get(name))} | {_usd(data.base_cost.get(name))} |"
        for name in names
    ]
    total = (
        f"| **total** | | | **{_usd(sum(data.preview_cost.values()))}** | "
        f"**{_usd(sum(data.base_cost.values()))}** |"
    )
    return [
        f"| component | URL | what changed | preview $/month | `{data.base}` $/month |",
        "|---|---|---|---:|---:|",
        *rows,
        total,
        "",
    ]


def _costing(data: CommentData) -> list[str]:
    lines = [f"Prices: {data.prices}."] if data.prices else []
    lines += [data.budget] if data.budget else []
    return lines + [f"Assumed: {note}." for note in data.notes]


def render_refused(data: CommentData, refusal: str) -> str:
    """The comment when the preview budget gate refused: the breakdown, and nothing deployed."""
    return (
        "\n".join(
            [
                MARKER,
                f"### Preview environment `{data.stack}` (from `{data.base}`): not deployed",
                "",
                *_table(data),
                f"**Over budget**: {refusal}.",
                *_costing(data),
            ]
        )
        + "\n"
    )


def render(data: CommentData) -> str:
    lines = [
        MARKER,
        f"### Preview environment `{data.stack}` (from `{data.base}`)",
        "",
        *_table(data),
        f"Update #{data.update}: {_summary(data.summary)}.",
    ]
    if data.head is not None:
        lines.append(f"Runs `{data.head[0]}` at `{data.head[1][:7]}` (the pull request's head).")
    lines += [f"Database: {line}." for line in data.databases]
    if data.left_out:
        lines.append(f"Left out (bridged providers, offline): {', '.join(data.left_out)}.")
    if data.expires is not None:
        lines.append(
            f"Destroyed when the PR closes, or after {data.expires:%Y-%m-%d %H:%M} UTC "
            f"(TTL {data.ttl_days} days)."
        )
    lines += _costing(data)
    return "\n".join(lines) + "\n"


def _url(url: str | None) -> str:
    return f"<{url}>" if url else "—"


def _runs(release: Mapping[str, Any] | None) -> str:
    """`` runs `3f2a9c1` `` (a commit) or `` runs `pr-4-3f2a9c1@sha256:1a2b3c4d5e6f` `` (an
    image by tag and digest); nothing when the service reports neither."""
    if not release:
        return ""
    if release.get("commit"):
        return f" runs `{str(release['commit'])[:7]}`"
    image, digest = str(release.get("image") or ""), str(release.get("digest") or "")
    if not image and not digest:
        return ""
    name = image.partition("@")[0]
    tag = name.rpartition(":")[2] if name.rfind(":") > name.rfind("/") else ""
    digest = digest or image.partition("@")[2]
    short = f"{digest[:19]}" if digest else ""
    return f" runs `{'@'.join(part for part in (tag, short) if part) or image}`"


def _usd(value: float | None) -> str:
    if value is None:
        return "—"
    return f"${value:.0f}" if float(value).is_integer() else f"${value:.2f}"


def _summary(changes: Mapping[str, int]) -> str:
    words = {
        "create": "created",
        "update": "updated",
        "replace": "replaced",
        "delete": "deleted",
        "same": "unchanged",
    }
    parts = [f"{changes[op]} {word}" for op, word in words.items() if changes.get(op)]
    return ", ".join(parts) if parts else "no changes"


def changes_by_component(deployment: Mapping[str, Any], since: datetime) -> dict[str, str]:
    """What the update that started at ``since`` did to each component of the environment,
    from the state's ``created``/``modified`` timestamps of the component and its children."""
    resources = deployment.get("deployment", {}).get("resources", []) or []
    parents = {r["urn"]: r.get("parent") for r in resources}
    envs = {r["urn"] for r in resources if r.get("type") == ENVIRONMENT_TYPE}
    verdict: dict[str, str] = {}
    rank = {"no change": 0, "updated": 1, "created": 2}
    for resource in resources:
        top = _component_of(resource["urn"], parents, envs)
        if top is None:
            continue
        name = top.rsplit("::", 1)[-1]
        here = _verdict(resource, since)
        if rank[here] >= rank[verdict.get(name, "no change")]:
            verdict[name] = here
    return verdict


def _component_of(urn: str, parents: Mapping[str, str | None], envs: set[str]) -> str | None:
    """The environment's direct child that ``urn`` is (or descends from)."""
    current: str | None = urn
    while current is not None:
        parent = parents.get(current)
        if parent in envs:
            return current
        current = parent
    return None


def _verdict(resource: Mapping[str, Any], since: datetime) -> str:
    created = _time(resource.get("created"))
    modified = _time(resource.get("modified"))
    if created is not None and created >= since:
        return "created"
    if modified is not None and modified >= since:
        return "updated"
    return "no change"


def _time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    # Pulumi writes nanoseconds; Python parses up to microseconds.
    return datetime.fromisoformat(re.sub(r"(\.\d{6})\d+", r"\1", value))
