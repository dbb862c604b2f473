#!/usr/bin/env bash
# Build actionlint (the GitHub Actions workflow linter `make lint` runs) at one pinned version
# from the Go module proxy, into the same cache as the Pulumi CLI. Its go.mod has no `replace`
# lines, so a plain `go install mod@version` works here (and stamps the version it reports).
#
# usage: scripts/build-actionlint.sh [version]    prints the directory holding `actionlint`
set -euo pipefail

version="${1:-1.7.12}"
dest="${PAAS_STACKS_CACHE:-$HOME/.cache/paas-stacks}/actionlint-$version"

if [ -x "$dest/actionlint" ] && "$dest/actionlint" -version 2>/dev/null | grep -qx "v$version"; then
  echo "$dest"
  exit 0
fi
command -v go >/dev/null || { echo "build-actionlint: Go is required to build actionlint" >&2; exit 1; }
mkdir -p "$dest"
GOBIN="$dest" GOTOOLCHAIN=local GOFLAGS=-mod=mod \
  go install -trimpath -ldflags "-s -w" \
  "github.com/rhysd/actionlint/cmd/actionlint@v$version" >&2
echo "$dest"
