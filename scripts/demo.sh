#!/usr/bin/env bash
# The main job: start the offline sandbox, `pulumi up` the demo stack against it through the real
# engine, print what it made (URLs, monthly cost) and prove DATABASE_URL and REDIS_URL connect.
# Running it again changes nothing: the sandbox keeps its objects in .sandbox/, Pulumi its state
# in .pulumi-state/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck disable=SC1091
source scripts/env.sh

state=.sandbox
mkdir -p "$state"
rm -f "$state/env.sh"
python -m sandbox --state-dir "$state" --deploy-delay 3 --database-delay 2 --project-delay 4 \
  --machine-delay 1 >"$state/demo-sandbox.log" 2>&1 &
sandbox_pid=$!
trap 'kill "$sandbox_pid" 2>/dev/null; wait "$sandbox_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do
  [ -f "$state/env.sh" ] && break
  kill -0 "$sandbox_pid" 2>/dev/null || { cat "$state/demo-sandbox.log" >&2; exit 1; }
  sleep 0.2
done
[ -f "$state/env.sh" ] || { echo "demo: the sandbox did not start" >&2; exit 1; }
# shellcheck disable=SC1091
source scripts/env.sh sandbox

pulumi stack select --create demo --non-interactive >/dev/null
pulumi up --stack demo --yes --non-interactive --skip-preview
python scripts/demo_report.py demo
