"""Where a web service or worker runs: ``Render(...)`` or ``Fly(...)``, each with its own words.

The rule that matters here: each platform's rules are written once, in its ``problems``, and
they run for a service declared in Python and for one compiled from a stack file alike; a Render
word cannot be given to Fly (the types differ), and a setting the platform cannot honour is a
problem naming the field, never a dropped value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from paas_stacks._messages import choices
from paas_stacks.components._fields import (
    BuildFilter,
    CommitSha,
    MemoryMb,
    RepoUrl,
    disk_problems,
)
from paas_stacks.components._fly_fields import (
    FlyCheck,
    FlyConcurrency,
    FlyDuration,
    FlyProcess,
    FlyStatic,
    KillSignal,
    ProcessName,
)
from paas_stacks.components._fly_rules import fly_setting_problems
from paas_stacks.errors import Problem
from paas_stacks.vendors import fly, render, sizes

if TYPE_CHECKING:
    from paas_stacks.components._service_args import ServiceArgs

__all__ = ["Fly", "Kind", "Render"]

#: A service serves HTTP publicly (``web``), serves on the private network only (``private``),
#: only runs (``worker``), or runs on a schedule and exits (``cron``).
Kind = Literal["web", "worker", "private", "cron"]
#: The parts of a repository build that make no sense for a prebuilt image.
_REPO_SETTINGS = ("repo", "branch", "commit", "build_command", "dockerfile", "docker_context")


@dataclass(frozen=True, kw_only=True)
class Render:
    """A Render web service or background worker, built from a repository (a native runtime or
    a Dockerfile) or run from a prebuilt image."""

    #: The instance type: ``starter``, ``standard``, ``pro``... (``free`` cannot be made by API);
    #: unset: the one ``size`` names, else ``starter``.
    plan: render.Plan | None = None
    #: A size both platforms understand (``small``, ``medium``...), instead of ``plan``.
    size: sizes.Size | None = None
    #: A native runtime (``node``, ``python``...), ``docker`` (build the Dockerfile) or ``image``;
    #: unset: ``image`` when ``image`` is given.
    runtime: render.Runtime | None = None
    region: render.Region = render.DEFAULT_REGION
    #: The git repository (native and docker runtimes).
    repo: RepoUrl | None = None
    #: The branch to deploy; the repository's default branch when unset.
    branch: str | None = None
    #: The commit to run (a release); unset: what Render deploys (the branch's head).
    commit: CommitSha | None = None
    #: Render deploys each push to ``branch`` by itself; default: on unless ``commit`` is
    #: pinned (Render's auto-deploys would replace the pinned release).
    auto_deploy: bool | None = None
    #: The service's directory inside the repository.
    root_dir: str | None = None
    #: Native runtimes: the build command.
    build_command: str | None = None
    #: The start command (docker and image runtimes: the container's command).
    start_command: str | None = None
    #: Docker runtime: the Dockerfile's path and the build context.
    dockerfile: str | None = None
    docker_context: str | None = None
    #: Image runtime: the image to run, e.g. ``ghcr.io/acme/api:1.4`` or ``…@sha256:<digest>``.
    image: str | None = None
    #: Which changed paths trigger an automatic deploy.
    build_filter: BuildFilter | None = None

    @property
    def instance_type(self) -> render.Plan:
        """The instance type, defaults applied."""
        if self.plan is not None:
            return self.plan
        return sizes.render_plan(self.size) if self.size else render.DEFAULT_PLAN

    @property
    def language(self) -> render.Runtime | None:
        """The runtime, defaults applied (``image`` when only an image is given)."""
        if self.runtime is None and self.image is not None:
            return "image"
        return self.runtime

    def auto_deploys(self) -> bool:
        """Whether Render deploys each push by itself, defaults applied."""
        return self.auto_deploy if self.auto_deploy is not None else self.commit is None

    def problems(self, service: ServiceArgs, kind: Kind) -> list[Problem]:
        """What Render cannot run as declared; locs are relative to the service's args."""
        found = self._plan_problems(service) + disk_problems(
            service.disk, service.instances, service.autoscaling, render.DISK_PAGE
        )
        if service.autoscaling is not None and service.autoscaling.min < 1:
            found.append(
                Problem(
                    ("autoscaling", "min"),
                    f"Render keeps at least one instance; must be >= 1; got "
                    f"{service.autoscaling.min}",
                )
            )
        if self.plan is not None and self.size is not None:
            found.append(Problem(("platform", "size"), "set plan or size, not both"))
        del kind  # every kind takes the same settings on Render; the kinds' own rules are shared
        return found + [problem.within("platform") for problem in self._source_problems()]

    def _plan_problems(self, service: ServiceArgs) -> list[Problem]:
        if self.plan != "free":
            return []
        found = [
            Problem(
                ("platform", "plan"),
                choices(
                    "free",
                    render.PAID_PLANS,
                    "cannot be created through the Render API (POST /services takes a "
                    f"paidPlan; free instances are made in the dashboard only: {render.FREE_PAGE})",
                ),
            )
        ]
        if service.pre_deploy_command is not None:
            found.append(
                Problem(("pre_deploy_command",), f"needs a paid plan ({render.FREE_PAGE})")
            )
        return found

    def _source_problems(self) -> list[Problem]:
        """Where the code comes from: a prebuilt image, a Dockerfile, or native commands."""
        found: list[Problem] = []
        runtime = self.language
        if runtime is None:
            return [
                Problem(
                    ("runtime",),
                    "is required to build from a repository; allowed: "
                    f"{', '.join(render.RUNTIMES)} (or give image: to run a prebuilt one)",
                )
            ]
        if runtime == "image":
            if self.image is None:
                found.append(Problem(("image",), "is required for runtime 'image'"))
            return found + [
                Problem((key,), "runtime 'image' runs a prebuilt image; remove it")
                for key in (*_REPO_SETTINGS, "build_filter")
                if getattr(self, key) is not None
            ]
        if self.repo is None:
            found.append(Problem(("repo",), f"is required for runtime {runtime!r}"))
        if self.image is not None:
            found.append(Problem(("image",), "is only used with runtime 'image'"))
        if runtime == "docker":
            if self.build_command is not None:
                found.append(
                    Problem(
                        ("build_command",),
                        "runtime 'docker' builds from its Dockerfile; remove build_command",
                    )
                )
            return found
        found += [
            Problem((key,), "is only used with runtime 'docker'")
            for key in ("dockerfile", "docker_context")
            if getattr(self, key) is not None
        ]
        return found + [
            Problem((key,), f"is required for runtime {runtime!r}")
            for key in ("build_command", "start_command")
            if getattr(self, key) is None
        ]


@dataclass(frozen=True, kw_only=True)
class Fly:
    """A Fly.io app: machines run from an image, started and stopped by Fly's proxy."""

    #: A shared size (``small``, ``medium``...) or Fly's guest preset (``shared-cpu-1x``,
    #: ``performance-2x``...); unset: ``shared-cpu-1x``.
    size: sizes.Size | fly.Size | None = None
    #: The image the machines run, e.g. ``registry.fly.io/shop-api:1.4``.
    image: str | None = None
    region: fly.Region = fly.DEFAULT_REGION
    #: Memory per machine; the preset's smallest when unset (256 MB per shared CPU).
    memory_mb: MemoryMb | None = None
    #: Idle machines: ``off``, ``stop`` or ``suspend``; unset: ``stop`` with autoscaling, else off.
    autostop: fly.Autostop | None = None
    #: The organization slug; the token's ``personal`` org when unset.
    org: str | None = None
    #: The container's command (the machines' ``cmd``), e.g. ``bin/rails server``; unset: the
    #: image's CMD.
    start_command: str | None = None
    #: Replaces the image's ENTRYPOINT.
    entrypoint: str | None = None
    #: The name of this service's own process group (fly.toml ``[processes]`` key); unset:
    #: ``app`` (flyctl's default) for a web or private service, ``worker`` for a worker.
    process: ProcessName | None = None
    #: The app's other process groups: same image, env and secrets, their own command, size,
    #: count and checks (fly.toml ``[processes]``).
    processes: Mapping[ProcessName, FlyProcess] = field(default_factory=dict)
    #: Machine checks by name (fly.toml ``[checks]``).
    checks: Mapping[str, FlyCheck] = field(default_factory=dict)
    #: Web services: when the proxy counts a machine busy or full.
    concurrency: FlyConcurrency | None = None
    #: Web services: folders of the image the proxy serves itself.
    statics: Sequence[FlyStatic] = ()
    #: The signal that stops a machine, and how long before it is killed (Fly: SIGINT, 5s).
    kill_signal: KillSignal | None = None
    kill_timeout: FlyDuration | None = None
    #: A machine that fails to start after an update puts every machine the rollout updated
    #: back on its previous config, then ``up`` fails (flyctl's ``auto_rollback``).
    auto_rollback: bool = False

    @property
    def preset(self) -> fly.Size:
        """Fly's guest preset, a shared size mapped."""
        if self.size in sizes.SIZES:
            return sizes.fly_size(self.size)[0]  # type: ignore[arg-type]
        return self.size or fly.DEFAULT_SIZE  # type: ignore[return-value]

    @property
    def memory(self) -> int:
        """Memory per machine (MB): declared, else the shared size's, else the preset's least."""
        if self.memory_mb is not None:
            return self.memory_mb
        if self.size in sizes.SIZES:
            return sizes.fly_size(self.size)[1]  # type: ignore[arg-type]
        return fly.guest(self.preset).min_memory_mb

    def idle(self, service: ServiceArgs) -> fly.Autostop:
        """What Fly does with idle machines, defaults applied."""
        if self.autostop is not None:
            return self.autostop
        return "stop" if service.autoscaling is not None else "off"

    def problems(self, service: ServiceArgs, kind: Kind) -> list[Problem]:
        """What Fly cannot run as declared; locs are relative to the service's args."""
        found: list[Problem] = []
        if self.image is None:
            found.append(
                Problem(
                    ("image",),
                    "is required: Fly machines run an image (push one, e.g. "
                    "registry.fly.io/<app>:<tag>)",
                )
            )
        guest = fly.guest(self.preset)
        if self.memory_mb is not None and not (
            guest.min_memory_mb <= self.memory_mb <= guest.max_memory_mb
        ):
            found.append(
                Problem(
                    ("memory_mb",),
                    f"{self.memory_mb} is outside what {self.preset} allows: "
                    f"{guest.min_memory_mb}-{guest.max_memory_mb} MB ({fly.SIZING_PAGE})",
                )
            )
        found = [problem.within("platform") for problem in found]
        found += fly_setting_problems(self, service, kind)
        if kind == "cron":
            found.append(
                Problem(
                    ("schedule",),
                    "Fly machines run on a schedule of hourly, daily, weekly or monthly only, "
                    "never a cron expression; set platform: render for a cron job, or run a "
                    "worker with its own scheduler",
                )
            )
        if kind in ("worker", "private"):
            found += self._worker_problems(service)
        return found

    def _worker_problems(self, service: ServiceArgs) -> list[Problem]:
        # Fly's autostart/autostop follow proxied requests, and a worker (or an app reached on
        # the private network, not through the proxy) receives none.
        found = []
        if self.autostop is not None:
            found.append(
                Problem(
                    ("platform", "autostop"),
                    "Fly stops idle machines behind its proxy, and a worker has none; remove it",
                )
            )
        if service.autoscaling is not None:
            found.append(
                Problem(
                    ("autoscaling",),
                    "a Fly worker has no requests to scale on; use instances",
                )
            )
        return found
