#!/usr/bin/env bash
# One-command set-up for a fresh machine: the virtualenv and its requirements, the Pulumi CLI and
# Python language host at the version of the installed `pulumi` SDK, the PostgreSQL and Redis
# server packages the sandbox runs, actionlint (+ shellcheck) for the workflows, and the generated
# Supabase Go client the client tests drive; zizmor (the workflows' security audit) and moto (a
# local S3 server for the release rehearsal's state backend) come with requirements-dev.txt.
# Idempotent: a warm run only checks stamps.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

say() { printf 'setup: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_python_requirements() {
  [ -x .venv/bin/python ] || python3 -m venv .venv
  local stamp=.venv/.paas-stacks-requirements want
  want="$(cat requirements.txt requirements-dev.txt pyproject.toml setup.py | sha256sum | cut -c1-16)"
  [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && return 0
  say "installing Python requirements into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
  echo "$want" >"$stamp"
}

# The wheel puts paas_stacks_legacy.pth into site-packages so that states written by 0.1 (their
# pickled providers name the old top-level modules) keep working; an editable install does not
# get that file, so it is written here, the same way (paas_stacks/_legacy.py). Idempotent.
install_legacy_aliases() {
  local site
  site="$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  .venv/bin/python -c 'import sys; from paas_stacks._legacy import write_pth; write_pth(sys.argv[1])' "$site"
}

provide_pulumi() {
  local version on_path
  version="$(.venv/bin/python -c 'from importlib.metadata import version; print(version("pulumi"))')"
  on_path="$(command -v pulumi || true)"
  if [ -n "$on_path" ] && [ "$("$on_path" version 2>/dev/null)" = "v$version" ] \
    && command -v pulumi-language-python >/dev/null; then
    say "using $on_path (v$version, matches the SDK)"
    return 0
  fi
  local started=$SECONDS dest
  dest="$(scripts/build-pulumi.sh "$version")"
  say "Pulumi CLI v$version in $dest/bin ($((SECONDS - started))s)"
}

install_servers() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]} from Debian packages"
  as_root apt-get update -q >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# actionlint checks .github/workflows in `make lint`; shellcheck (a Debian package) lets it check
# the workflows' `run:` scripts too.
provide_actionlint() {
  local dest
  dest="$(scripts/build-actionlint.sh)"
  command -v shellcheck >/dev/null && return 0
  say "installing shellcheck from Debian packages (actionlint checks run: scripts with it)"
  as_root apt-get update -q >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends shellcheck >/dev/null \
    || say "shellcheck is not installable here; actionlint runs without it ($dest)"
}

# The Supabase CLI's generated Management API client, regenerated from our spec (tests/clients).
provide_supabase_client() {
  local started=$SECONDS
  scripts/build-supabase-client.sh
  [ $((SECONDS - started)) -lt 5 ] || say "Supabase Go client generated and built ($((SECONDS - started))s)"
}

install_python_requirements
install_legacy_aliases
provide_pulumi
install_servers
provide_actionlint
provide_supabase_client
