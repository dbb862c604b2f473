#!/usr/bin/env bash
# Generate the Supabase Management API Go client the way the Supabase CLI generates its pkg/api
# (oapi-codegen v2.4.1 from the Go module proxy, the CLI's generator options) from our saved spec,
# into tests/clients/supabase_go/api (gitignored), then build its test so `make test` only runs it.
# Idempotent: regenerates only when the spec, the generator config or go.mod changed.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo/tests/clients/supabase_go"
spec="$repo/sandbox/specs/supabase-management-openapi.json"
command -v go >/dev/null || { echo "build-supabase-client: go is not on PATH (Go 1.25+ is required)" >&2; exit 1; }
want="$(cat "$spec" oapi/*.yaml go.mod go.sum | sha256sum | cut -c1-16)"
stamp=api/.generated
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  mkdir -p api
  go tool oapi-codegen -config oapi/types.cfg.yaml "$spec"
  go tool oapi-codegen -config oapi/client.cfg.yaml "$spec"
  echo "$want" >"$stamp"
fi
go test -count=1 -run '^$' ./... >/dev/null
