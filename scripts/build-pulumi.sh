#!/usr/bin/env bash
# Build the Pulumi CLI and a Python language host at one exact version from the Go module proxy,
# into a cache outside the repository, and install the shell shims the Python runtime needs.
# The modules' own go.mod files carry `replace` lines, so `go install mod@version` refuses them:
# we build from a throw-away module that requires the matching versions instead.
#
# usage: scripts/build-pulumi.sh <version>      e.g. 3.259.0
# prints the directory whose bin/ holds `pulumi`, `pulumi-language-python` and the shims.
set -euo pipefail

version="${1:?usage: build-pulumi.sh <version>}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${PAAS_STACKS_CACHE:-$HOME/.cache/paas-stacks}/pulumi-$version"
upstream_host="github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3"
local_host_src="$repo/tools/pulumi-language-python/main.go"
local_host_stamp="local-$(sha256sum "$local_host_src" | cut -c1-16)"

cli_ok() { [ -x "$dest/bin/pulumi" ] && [ "$("$dest/bin/pulumi" version 2>/dev/null)" = "v$version" ]; }
host_ok() {
  [ -x "$dest/bin/pulumi-language-python" ] || return 1
  case "$(cat "$dest/host.stamp" 2>/dev/null)" in
    upstream | "$local_host_stamp") return 0 ;;
    *) return 1 ;;
  esac
}
if cli_ok && host_ok; then
  echo "$dest"
  exit 0
fi

command -v go >/dev/null || { echo "build-pulumi: Go is required to build the Pulumi CLI" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tools" "$dest/bin"
export GOFLAGS="-mod=mod" GOTOOLCHAIN=local
cd "$work"

# The throw-away module requires the matching pkg/v3 and sdk/v3 and repeats the one `replace`
# of theirs that changes what gets built (a fork of a clipboard package).
cat >go.mod <<MOD
module paas-stacks.local/pulumi-build

go 1.25

require (
	github.com/pulumi/pulumi/pkg/v3 v$version
	github.com/pulumi/pulumi/sdk/v3 v$version
)

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
MOD
imports='_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"'

# Pulumi's own Python host where the proxy serves it; otherwise our minimal host (see its doc).
if go mod download "$upstream_host@v$version" >/dev/null 2>&1; then
  host_pkg="$upstream_host"
  host_stamp="upstream"
  go mod edit -require="$upstream_host@v$version"
  imports="$imports
	_ \"$upstream_host\""
else
  echo "build-pulumi: $upstream_host@v$version is not served by the module proxy;" \
    "building the minimal host from tools/pulumi-language-python" >&2
  mkdir -p langhost
  cp "$local_host_src" langhost/main.go
  host_pkg="./langhost"
  host_stamp="$local_host_stamp"
fi
cat >tools/tools.go <<GO
//go:build tools

// Package tools pins the main packages we build so \`go mod tidy\` resolves their dependencies.
package tools

import (
	$imports
)
GO

go mod tidy >&2
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version"
if ! cli_ok; then
  go build -trimpath -ldflags "$ldflags" -o "$dest/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
fi
go build -trimpath -ldflags "$ldflags" -o "$dest/bin/pulumi-language-python" "$host_pkg" >&2
echo "$host_stamp" >"$dest/host.stamp"

# The shell shims the Python runtime needs ship inside the sdk/v3 module.
sdk_dir="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
for shim in "$sdk_dir"/python/dist/pulumi-* "$sdk_dir"/python/cmd/pulumi-language-python-exec; do
  case "$shim" in *.cmd) continue ;; esac
  [ -f "$shim" ] && install -m 0755 "$shim" "$dest/bin/"
done
echo "$dest"
