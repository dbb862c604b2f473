#!/usr/bin/env bash
# The main job: preview the demo stack through the real Pulumi engine on the local backend.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
pulumi stack select --create demo --non-interactive >/dev/null
pulumi preview --stack demo --non-interactive --diff
