"""What a web service and a worker declare on either platform, and the rules they share.

The rule that matters here: ``service_problems`` is the one check of a service's arguments,
run by the component before it registers and by the stack loader for every service in a file:
the fields' own constraints, the scaling rules, then the platform's rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi

from paas_stacks.components._args import field_problems
from paas_stacks.components._fields import AdoptId, Autoscaling, Disk, EnvName, Instances
from paas_stacks.components.linking import Link, Linkable
from paas_stacks.components.platforms import Fly, Kind, Render
from paas_stacks.errors import Problem

__all__ = ["Prepared", "ServiceArgs", "own_env", "service_problems"]


@dataclass(frozen=True, kw_only=True)
class ServiceArgs:
    """Fields a web service and a worker share; ``platform`` holds the platform's own."""

    #: The vendor-side name: the Render service's name or the Fly app's (global) name.
    name: pulumi.Input[str]
    #: ``Render(...)`` or ``Fly(...)``.
    platform: Render | Fly
    #: A fixed instance count (Fly: machines in the region); with ``autoscaling`` on Render,
    #: the count it starts at (autoscaling moves it from there).
    instances: Instances | None = None
    #: An instance range instead of a fixed count.
    autoscaling: Autoscaling | None = None
    #: A persistent disk (a Render disk or a Fly volume; the service then runs one instance).
    disk: Disk | None = None
    #: Runs before each deploy goes live (Render pre-deploy command, Fly ``release_command``).
    pre_deploy_command: str | None = None
    #: The service's own env vars (plain on Fly; Render keeps every var secret).
    env: Mapping[EnvName, pulumi.Input[str]] = field(default_factory=dict)
    #: Components whose ``env()`` becomes env vars (on Fly: app secrets).
    links: Sequence[Link | Linkable] = ()
    #: The service's own address as env vars: name -> ``url``, ``host``, ``port`` or
    #: ``hostport`` (a Blueprint service may read its own URL; no link cycle is involved).
    self_properties: Mapping[EnvName, str] = field(default_factory=dict)
    #: Take over this existing Render service id or Fly app name, whatever stack marked it.
    adopt_id: AdoptId | None = None


def service_problems(args: ServiceArgs, kind: Kind, port: int | None = None) -> list[Problem]:
    """Every problem of a service's arguments, locs relative to the args."""
    found = field_problems(args) + _scaling_problems(args, kind)
    found += _self_problems(args, kind)
    declared = args.env.get("PORT")
    if port is not None and isinstance(declared, str) and declared != str(port):
        found.append(
            Problem(("env", "PORT"), f"{declared!r} contradicts port {port}; drop one of them")
        )
    if any(problem.loc[:1] == ("platform",) for problem in found):
        return found  # the platform's rules read its fields: only once they are well formed
    return found + args.platform.problems(args, kind)


def _scaling_problems(args: ServiceArgs, kind: Kind) -> list[Problem]:
    """How many instances: a cron job runs one per schedule; a count beside autoscaling is the
    count Render starts at, so it must lie in the range (Fly creates ``max`` machines instead)."""
    if kind == "cron":
        return [
            Problem((key,), "a cron job runs one instance each time it is due; remove it")
            for key in ("instances", "autoscaling", "disk")
            if getattr(args, key) is not None
        ]
    scaling, count = args.autoscaling, args.instances
    if scaling is not None and scaling.min > scaling.max:
        return [Problem(("autoscaling", "min"), f"{scaling.min} is greater than max {scaling.max}")]
    if scaling is None or count is None:
        return []
    if isinstance(args.platform, Fly):
        return [
            Problem(
                ("instances",),
                "with autoscaling, Fly creates autoscaling.max machines and starts them on "
                "demand; remove instances",
            )
        ]
    if not scaling.min <= count <= scaling.max:
        return [
            Problem(
                ("instances",),
                f"{count} is outside autoscaling {scaling.min}-{scaling.max}: it is the count "
                "Render starts at",
            )
        ]
    return []


#: The properties of its own address each kind of service has.
SELF_PROPERTIES: dict[Kind, tuple[str, ...]] = {
    "web": ("url", "host", "port", "hostport"),
    "private": ("host", "port", "hostport"),
    "worker": (),
    "cron": (),
}


def _self_problems(args: ServiceArgs, kind: Kind) -> list[Problem]:
    allowed = SELF_PROPERTIES[kind]
    found = []
    for name, prop in args.self_properties.items():
        if prop not in allowed:
            what = ", ".join(allowed) if allowed else "none (it has no address)"
            found.append(
                Problem(
                    ("self_properties", name),
                    f"{prop!r} is not a property of a {kind} service's own address; allowed: "
                    f"{what}",
                )
            )
        elif name in args.env:
            found.append(Problem(("self_properties", name), f"{name} is also set in env"))
    return found


def own_env(args: ServiceArgs, port: int | None) -> dict[str, pulumi.Input[str]]:
    """The service's own vars, plus ``PORT`` when a port is declared (Render routes to
    ``PORT``; apps on Fly read it too)."""
    env: dict[str, pulumi.Input[str]] = dict(args.env)
    if port is not None:
        env.setdefault("PORT", str(port))
    return env


@dataclass(frozen=True)
class Prepared:
    """A service's checked args and the env vars it gets (what a platform backend builds)."""

    args: ServiceArgs
    kind: Kind
    #: The service's own vars (plus ``PORT`` when a port is declared).
    own: Mapping[str, pulumi.Input[str]]
    #: What the links inject, after ``only`` and ``rename``.
    linked: Mapping[str, pulumi.Output[str]]
    port: int | None = None
    health_check_path: str | None = None
    #: Cron jobs: when it runs.
    schedule: str | None = None
