"""How many requests per second the sandbox serves on loopback, so it never dominates stack timings.

The sandbox runs in its own process. Two loads, each from 8 client threads over keep-alive
connections: a simple authenticated GET (Fly ``GET /v1/apps/{app}``) and a create (Fly
``POST /v1/apps``, a store write). Rate limits are off: this measures the emulator, not the
vendor's limits. Goal: at least 500 GET/s on 2 cores.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from sandbox import fly
from sandbox.core.postgres import free_port

RESULTS = Path(__file__).parent / "results"
THREADS = 8
REQUESTS = 4000


def _rate(
    work: Callable[[httpx.Client, int], httpx.Response], client_factory: Callable[[], httpx.Client]
) -> float:
    clients = [client_factory() for _ in range(THREADS)]
    per_thread = REQUESTS // THREADS

    def run(index: int) -> None:
        client = clients[index]
        for n in range(per_thread):
            response = work(client, index * per_thread + n)
            response.raise_for_status()

    started = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(run, range(THREADS)))
    elapsed = time.perf_counter() - started
    for client in clients:
        client.close()
    return REQUESTS / elapsed


def _serve(state: Path) -> tuple[subprocess.Popen[bytes], str, str]:
    """The sandbox in its own process, as users run it: the load must not share its GIL."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sandbox",
            "--state-dir",
            str(state),
            "--no-rate-limits",
            "--fly-port",
            str(port),
            "--render-port",
            "0",
            "--supabase-port",
            "0",
            "--upstash-port",
            "0",
        ],
        stdout=subprocess.DEVNULL,
    )
    env_file = state / "env.sh"
    deadline = time.monotonic() + 60
    while not env_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the sandbox did not start")
        time.sleep(0.1)
    token = next(iter(fly.DEFAULT_TOKENS))
    return process, f"http://127.0.0.1:{port}/v1", token


def main() -> None:
    with tempfile.TemporaryDirectory() as state:
        process, base_url, token = _serve(Path(state))
        try:
            headers = {"Authorization": f"Bearer {token}"}

            def client() -> httpx.Client:
                return httpx.Client(base_url=base_url, headers=headers, timeout=30)

            with client() as setup:
                app = {"name": "bench-get", "org_slug": "personal"}
                setup.post("/apps", json=app).raise_for_status()
            get_rate = _rate(lambda c, _n: c.get("/apps/bench-get"), client)
            create_rate = _rate(
                lambda c, n: c.post("/apps", json={"name": f"bench-{n}", "org_slug": "personal"}),
                client,
            )
        finally:
            process.terminate()
            process.wait(timeout=30)
    result = {
        "benchmark": "sandbox loopback throughput",
        "machine": f"{platform.machine()} {platform.python_version()}",
        "threads": THREADS,
        "requests_per_load": REQUESTS,
        "get_per_second": round(get_rate),
        "create_per_second": round(create_rate),
        "goal_get_per_second": 500,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "sandbox.json").write_text(json.dumps(result, indent=2) + "\n")
    table = (
        "| load | requests/s |\n|---|---:|\n"
        f"| GET /v1/apps/{{app}} (Fly) | {result['get_per_second']} |\n"
        f"| POST /v1/apps (Fly, create) | {result['create_per_second']} |\n"
    )
    (RESULTS / "sandbox.md").write_text(
        f"# Sandbox throughput\n\n{THREADS} client threads, {REQUESTS} requests per load, "
        f"rate limits off, loopback.\n\n{table}"
    )
    print(table)


if __name__ == "__main__":
    main()
