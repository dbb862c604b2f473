"""``python -m sandbox``: serve the four vendor emulators on loopback until interrupted.

It prints each API's base URL and credentials and writes them as ``export`` lines to an env file
(``<state-dir>/env.sh``) that ``source scripts/env.sh sandbox`` reads, so the paas-stacks
providers talk to the sandbox instead of the real vendors.
"""

from __future__ import annotations

import argparse
import shlex
import signal
import threading
from pathlib import Path

from sandbox.core.context import Delays
from sandbox.core.faults import FaultSettings
from sandbox.core.server import VENDORS, Sandbox, SandboxConfig

DEFAULT_PORTS = {"render": 8701, "fly": 8702, "supabase": 8703, "upstash": 8704}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sandbox",
        description="Offline emulators of the Render, Fly Machines, Supabase Management and "
        "Upstash APIs, backed by real PostgreSQL and Redis servers.",
    )
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=Path(".sandbox"),
        help="where objects, databases and the env file live (default .sandbox)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to listen on")
    for vendor, port in DEFAULT_PORTS.items():
        parser.add_argument(
            f"--{vendor}-port",
            type=int,
            default=port,
            help=f"port of the {vendor} API (default {port}; 0 picks a free one)",
        )
    parser.add_argument(
        "--token",
        action="append",
        default=[],
        metavar="VENDOR=CRED:WORKSPACE",
        help="add a credential, e.g. render=my-key:tea-myteam (repeatable); "
        "for upstash CRED is email:apikey",
    )
    defaults = Delays()
    for name in ("deploy", "database", "project", "machine"):
        parser.add_argument(
            f"--{name}-delay",
            type=float,
            default=getattr(defaults, name),
            help=f"seconds until a {name} settles (default {getattr(defaults, name)})",
        )
    parser.add_argument(
        "--key-value-delay",
        type=float,
        default=None,
        help="seconds until a Render Key Value settles (default: the database delay)",
    )
    parser.add_argument(
        "--certificate-delay",
        type=float,
        default=None,
        help="seconds until a Fly certificate is issued (default: the machine delay)",
    )
    parser.add_argument(
        "--no-rate-limits",
        action="store_true",
        help="switch the vendors' documented rate limits off",
    )
    faults = parser.add_argument_group("fault injection (vendor paths only)")
    faults.add_argument(
        "--fault-error-rate", type=float, default=0.0, help="share of requests answered 5xx"
    )
    faults.add_argument(
        "--fault-error-status", type=int, default=503, help="status of injected errors"
    )
    faults.add_argument(
        "--fault-429-burst", type=int, default=0, help="answer the next N requests 429"
    )
    faults.add_argument(
        "--fault-retry-after", type=int, default=1, help="Retry-After of injected 429s"
    )
    faults.add_argument(
        "--fault-latency", type=float, default=0.0, help="seconds added to every request"
    )
    faults.add_argument(
        "--fault-lost-rate",
        type=float,
        default=0.0,
        help="share of writes whose response is dropped after the write committed",
    )
    parser.add_argument(
        "--env-file", type=Path, help="where to write the export lines (default <state-dir>/env.sh)"
    )
    return parser


def _config(args: argparse.Namespace) -> SandboxConfig:
    tokens: dict[str, dict[str, str]] = {}
    for spec in args.token:
        vendor, _, rest = spec.partition("=")
        credential, _, workspace = rest.rpartition(":")
        if vendor not in VENDORS or not credential or not workspace:
            raise SystemExit(
                f"--token {spec!r}: expected VENDOR=CREDENTIAL:WORKSPACE, "
                f"VENDOR one of {', '.join(VENDORS)}"
            )
        tokens.setdefault(vendor, {})[credential] = workspace
    return SandboxConfig(
        state_dir=args.state_dir.resolve(),
        host=args.host,
        ports={vendor: getattr(args, f"{vendor}_port") for vendor in VENDORS},
        tokens=tokens,
        delays=Delays(
            args.deploy_delay,
            args.database_delay,
            args.project_delay,
            args.machine_delay,
            args.key_value_delay,
            args.certificate_delay,
        ),
        rate_limits=not args.no_rate_limits,
        faults=FaultSettings(
            error_rate=args.fault_error_rate,
            error_status=args.fault_error_status,
            burst_429=args.fault_429_burst,
            retry_after=args.fault_retry_after,
            latency=args.fault_latency,
            lost_response_rate=args.fault_lost_rate,
        ),
    )


def main() -> None:
    args = _parser().parse_args()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with Sandbox(_config(args)) as sandbox:
        env_file = args.env_file or sandbox.config.state_dir / "env.sh"
        lines = [f"export {key}={shlex.quote(value)}" for key, value in sandbox.env().items()]
        env_file.write_text("\n".join(lines) + "\n")
        for vendor in VENDORS:
            print(
                f"{vendor:9} {sandbox.base_url(vendor)}  credentials: "
                f"{', '.join(sandbox.tokens(vendor))}"
            )
        print(f"environment for the providers written to {env_file}", flush=True)
        stop.wait()


if __name__ == "__main__":
    main()
