"""Print what the demo stack made and prove its connection strings work.

Reads ``pulumi stack output --json --show-secrets`` (secrets are needed to connect; they are
printed with the password masked), runs a query on DATABASE_URL and a PING on REDIS_URL.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

import psycopg
import redis


def outputs(stack: str) -> dict[str, Any]:
    shown = subprocess.run(
        ["pulumi", "stack", "output", "--json", "--show-secrets", "--stack", stack],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(shown.stdout))


def masked(url: str) -> str:
    return re.sub(r"(://[^:/@]+:)[^@]+@", r"\1****@", url)


def main(stack: str) -> int:
    out = outputs(stack)
    print(f"\n== {stack}: what was made")
    urls = out.get("urls") or {}
    breakdown = out.get("monthlyCostBreakdown") or {}
    width = max(map(len, [*urls, *breakdown]), default=12)
    for name, url in sorted(urls.items()):
        print(f"  {name:<{width}} {url}")
    print(f"\n== monthly cost (USD), total {out.get('monthlyCostUsd')}")
    for name, usd in sorted(breakdown.items()):
        print(f"  {name:<{width}} {usd:>8}")
    database_url, redis_url = out["DATABASE_URL"], out["REDIS_URL"]
    print("\n== connections")
    with psycopg.connect(database_url, connect_timeout=10) as conn:
        row = conn.execute("select current_database(), version()").fetchone()
    print(f"  DATABASE_URL {masked(database_url)}\n    -> connected to {row[0]!r}" if row else "")
    pong = redis.Redis.from_url(redis_url, socket_timeout=10).ping()
    print(f"  REDIS_URL    {masked(redis_url)}\n    -> PING {'PONG' if pong else 'failed'}")
    return 0 if row and pong else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "demo"))
