# shellcheck shell=bash
# Source me after `make setup`: puts the virtualenv and the Pulumi CLI on PATH, keeps Pulumi state
# in a local file backend inside the repository (gitignored) and sets a passphrase for secrets.
# Values already set in the environment win, so a real backend or passphrase is never overridden.
_paas_repo="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
_paas_sdk="$(find "$_paas_repo/.venv/lib" -maxdepth 3 -name 'pulumi-*.dist-info' 2>/dev/null | head -n 1)"
_paas_version="${_paas_sdk##*/pulumi-}"
_paas_version="${_paas_version%.dist-info}"
_paas_cli="${PAAS_STACKS_CACHE:-$HOME/.cache/paas-stacks}/pulumi-$_paas_version/bin"
if [ -n "$_paas_version" ] && [ -x "$_paas_cli/pulumi" ]; then
  export PATH="$_paas_cli:$PATH"
fi
# actionlint at the version scripts/build-actionlint.sh pins (its default argument).
_paas_lint="$(sed -n 's/^version="\${1:-\(.*\)}"$/\1/p' "$_paas_repo/scripts/build-actionlint.sh")"
_paas_lint="${PAAS_STACKS_CACHE:-$HOME/.cache/paas-stacks}/actionlint-$_paas_lint"
if [ -x "$_paas_lint/actionlint" ]; then
  export PATH="$_paas_lint:$PATH"
fi
export PATH="$_paas_repo/.venv/bin:$PATH"
export VIRTUAL_ENV="$_paas_repo/.venv"

if [ -z "${PULUMI_BACKEND_URL:-}" ]; then
  mkdir -p "$_paas_repo/.pulumi-state"
  export PULUMI_BACKEND_URL="file://$_paas_repo/.pulumi-state"
fi
if [ -z "${PULUMI_CONFIG_PASSPHRASE+x}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  # Local state only: use a real passphrase (or a KMS secrets provider) for shared stacks.
  export PULUMI_CONFIG_PASSPHRASE="paas-stacks-local"
fi
export PULUMI_SKIP_UPDATE_CHECK=true

# `source scripts/env.sh sandbox` also points the providers at a running `python -m sandbox`
# (it writes the base URLs and credentials to .sandbox/env.sh).
if [ "${1:-}" = "sandbox" ]; then
  if [ -f "$_paas_repo/.sandbox/env.sh" ]; then
    # shellcheck disable=SC1091
    . "$_paas_repo/.sandbox/env.sh"
  else
    echo "env.sh: no .sandbox/env.sh yet: start the sandbox with 'python -m sandbox'" >&2
  fi
fi
unset _paas_repo _paas_sdk _paas_version _paas_cli _paas_lint
