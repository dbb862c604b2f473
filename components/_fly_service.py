"""A web service or worker on Fly.io: its own ``App``, one ``Machines`` group per process (its
own and each of ``processes``), ``Secrets`` for linked values, a ``Volume`` for a disk and, for a
web service, the public IPs that make ``<app>.fly.dev`` resolve.

The rule that matters here: values that come from links go into the app's ``Secrets`` (secret in
state, injected by Fly into every machine), and only the service's own plain vars go into the
machine config, which is plain in state and readable with ``fly machine status``.

Autoscaling on Fly is the proxy starting and stopping machines, so ``min``/``max`` map to Fly's
model as: ``count`` = ``max`` machines created in the region, ``min_machines_running`` = ``min``,
and ``autostop`` = ``stop`` unless declared otherwise (``off`` would keep all ``max`` running).
Each component is a separate Fly app named after it; its ``processes`` are groups of that app
(fly.toml's ``[processes]``): the same image, env and secrets, their own command, size, count
and checks, rolled out after the service's own group (whose release command runs once).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import pulumi

from paas_stacks.components._component import Component
from paas_stacks.components._fly_fields import FlyCheck, FlyProcess
from paas_stacks.components._fly_rules import sized, words
from paas_stacks.components._service_args import Prepared, ServiceArgs
from paas_stacks.components.domain import DnsRecord, DnsTarget
from paas_stacks.components.platforms import Fly, Kind
from paas_stacks.providers.fly import App, Certificate, IpAddress, Machines, Secrets, Volume
from paas_stacks.vendors import fly

__all__ = ["DEFAULT_PORT", "FlyBackend", "fly_service"]

#: The port Fly's templates (``fly launch``) route to when none is declared.
DEFAULT_PORT = 8080
#: flyctl's default process group name is ``app``; a worker app gets its own name for clarity.
GROUPS: dict[Kind, str] = {"web": "app", "worker": "worker", "private": "app", "cron": "cron"}
#: Public ports: HTTP redirected to HTTPS, and TLS terminated by Fly's proxy.
PUBLIC_PORTS = [
    {"port": 80, "handlers": ["http"], "force_https": True},
    {"port": 443, "handlers": ["tls", "http"]},
]
#: An app made through the Machines API has no public address until one is allocated (flyctl
#: does it on the first ``fly deploy``): a shared IPv4 (free) and a dedicated IPv6.
PUBLIC_IPS = (("ipv4", "shared_v4"), ("ipv6", "v6"))


@dataclass(frozen=True)
class FlyBackend:
    """What a component keeps of its Fly app."""

    app: App
    machines: Machines
    secrets: Secrets | None
    #: The port its machines listen on (its declared one, else 8080).
    port: int = DEFAULT_PORT
    #: Its other process groups' machines, by process name.
    processes: dict[str, Machines] = field(default_factory=dict)

    @property
    def host(self) -> pulumi.Output[str]:
        """The private-network (6PN) name every machine of the app answers on."""
        return self.app.name.apply(lambda name: f"{name}.internal")

    @property
    def service_id(self) -> pulumi.Output[str]:
        return self.app.name

    @property
    def app_name(self) -> pulumi.Output[str]:
        return self.app.name

    @property
    def url(self) -> pulumi.Output[str]:
        return self.app.hostname.apply(lambda host: f"https://{host}")

    @property
    def release(self) -> pulumi.Output[dict[str, str | None]]:
        """What the machines run: ``{commit: None, image, digest}``."""
        return pulumi.Output.all(self.machines.image, self.machines.image_digest).apply(
            lambda parts: {"commit": None, "image": parts[0], "digest": parts[1]}
        )

    def attach_domain(self, hostname: str, parent: pulumi.Resource) -> DnsTarget:
        """A Fly ``Certificate`` (``<parent>-certificate``, a child of ``parent``) and the
        records it needs: the CNAME to ``<app>.fly.dev``, the ``_acme-challenge`` CNAME and
        the ``_fly-ownership`` TXT record.

        Fly issues the certificate by itself once the records resolve; the two validation
        records let it do so behind Cloudflare's proxy too, where the TLS-ALPN challenge cannot
        reach Fly (fly.io/docs/networking/custom-domain/). Until it is issued, the manual step
        says how to check on it.
        """
        certificate = Certificate(
            f"{parent.pulumi_resource_name}-certificate",
            app=self.app.name,
            hostname=hostname,
            opts=pulumi.ResourceOptions(parent=parent),
        )
        step = pulumi.Output.all(certificate.issued, self.app.name).apply(
            lambda done: (
                ""
                if done[0]
                else f"Fly issues the certificate for {hostname} once its DNS records resolve: "
                f"fly certs check {hostname} -a {done[1]}"
            )
        )
        extra = (
            DnsRecord(
                "acme-challenge",
                "CNAME",
                certificate.acme_challenge_name,
                certificate.acme_challenge_target,
            ),
            DnsRecord("ownership", "TXT", certificate.ownership_name, certificate.ownership_value),
        )
        return DnsTarget(type="CNAME", content=self.app.hostname, manual_step=step, extra=extra)


def fly_service(owner: Component, args: ServiceArgs, platform: Fly, ready: Prepared) -> FlyBackend:
    """Declare the Fly app of ``owner``."""
    if platform.image is None:
        raise AssertionError("image is required on Fly")  # service_problems refuses it first
    app = App(
        owner.child_name("app"),
        name=args.name,
        org=platform.org,
        adopt_id=args.adopt_id,
        opts=owner.child_opts(),
    )
    secrets = None
    if ready.linked:
        secrets = Secrets(
            owner.child_name("secrets"),
            app=app.name,
            values=dict(ready.linked),
            opts=owner.child_opts(),
        )
    if ready.kind == "web":
        for suffix, ip_type in PUBLIC_IPS:
            IpAddress(owner.child_name(suffix), app=app.name, type=ip_type, opts=owner.child_opts())
    scaling = args.autoscaling
    port = ready.port or DEFAULT_PORT
    env: dict[str, pulumi.Input[str]] = dict(ready.own)
    # The app's own address is known before its machines exist (its name), so no cycle.
    address: dict[str, pulumi.Input[str]] = {
        "url": app.hostname.apply(lambda host: f"https://{host}"),
        "host": app.name.apply(lambda name: f"{name}.internal"),
        "port": str(port),
        "hostport": app.name.apply(lambda name: f"{name}.internal:{port}"),
    }
    env.update({name: address[prop] for name, prop in args.self_properties.items()})
    web = _web_settings(args, platform, ready) if ready.kind == "web" else {}
    mounts = _volume(owner, args, platform, app)
    machines = Machines(
        owner.child_name("machines"),
        app=app.name,
        group=platform.process or GROUPS[ready.kind],
        image=platform.image,
        regions=[platform.region],
        count=scaling.max if scaling is not None else args.instances or 1,
        env=env,
        release_command=args.pre_deploy_command,
        statics=[dataclasses.asdict(s) for s in platform.statics],
        auto_rollback=platform.auto_rollback,
        mounts=mounts,
        # Machines read the app's secrets at boot: write them before the first machine starts.
        opts=owner.child_opts(depends_on=[secrets] if secrets else None),
        **_process_settings(platform, platform.start_command, platform.entrypoint, port),
        **web,
    )
    processes = {
        name: Machines(
            owner.child_name(f"process-{name}"),
            app=app.name,
            group=name,
            image=platform.image,
            regions=[platform.region],
            count=process.instances or 1,
            env=env,
            auto_rollback=platform.auto_rollback,
            # After the service's own group: its release command runs first, once.
            opts=owner.child_opts(depends_on=[machines]),
            **_process_settings(
                sized(platform, process), process.start_command, process.entrypoint, None, process
            ),
        )
        for name, process in platform.processes.items()
    }
    return FlyBackend(app, machines, secrets, port, processes)


def _web_settings(args: ServiceArgs, platform: Fly, ready: Prepared) -> dict[str, Any]:
    """The proxy side of a web service: ports, health check, start/stop on demand."""
    service: dict[str, Any] = {"internal_port": ready.port or DEFAULT_PORT, "ports": PUBLIC_PORTS}
    if ready.health_check_path is not None:
        service["http_checks"] = [{"path": ready.health_check_path}]
    if platform.concurrency is not None:
        service["concurrency"] = dataclasses.asdict(platform.concurrency)
    scaling = args.autoscaling
    return {
        "services": [service],
        "autostop": platform.idle(args),
        "autostart": True,
        "min_machines_running": scaling.min if scaling is not None else 0,
    }


def _process_settings(
    platform: Fly,
    command: str | None,
    entrypoint: str | None,
    port: int | None,
    process: FlyProcess | None = None,
) -> dict[str, Any]:
    """What one process group's machines run: guest, command, checks and how they stop."""
    guest = fly.guest(platform.preset)
    checks = process.checks if process is not None else platform.checks
    return {
        "cpu_kind": guest.cpu_kind,
        "cpus": guest.cpus,
        "memory_mb": platform.memory,
        "cmd": words(command),
        "entrypoint": words(entrypoint),
        "checks": {name: _check(check, port) for name, check in checks.items()},
        "kill_signal": (process.kill_signal if process else None) or platform.kill_signal,
        "kill_timeout": (process.kill_timeout if process else None) or platform.kill_timeout,
    }


def _check(check: FlyCheck, port: int | None) -> dict[str, Any]:
    return {**dataclasses.asdict(check), "port": check.port or port}


def _volume(owner: Component, args: ServiceArgs, platform: Fly, app: App) -> list[Any]:
    """A disk is a Fly volume in the app's region, mounted by the service's one machine."""
    if args.disk is None:
        return []
    volume = Volume(
        owner.child_name("volume"),
        app=app.name,
        # Fly volume names: lowercase letters, digits and underscores, at most 30.
        name=args.disk.name.lower().replace("-", "_")[:30],
        region=platform.region,
        size_gb=args.disk.size_gb,
        opts=owner.child_opts(),
    )
    return [{"volume": volume.volume_id, "path": args.disk.mount_path}]
