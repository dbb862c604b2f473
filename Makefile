# Every target is idempotent and runs `setup` first, so a fresh clone needs only `make demo`
# or `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
ENV := source scripts/env.sh &&

.PHONY: setup demo test lint bench mutants reference
.DEFAULT_GOAL := test

setup:
	@scripts/setup.sh

demo: setup
	@$(ENV) scripts/demo.sh

test: setup
	@$(ENV) python -m pytest

# actionlint must be on PATH (setup builds it); it runs shellcheck on `run:` scripts when present.
# zizmor (from requirements-dev.txt) audits the workflows' security offline, default persona.
lint: setup
	@$(ENV) ruff check . && ruff format --check . && mypy && actionlint -no-color \
		&& zizmor --offline --no-progress --quiet .github/workflows \
		&& python -m paas_stacks.reference --check

# docs/stack-reference.md and stack.schema.json, generated from the stack-file models; `lint`
# fails when a model changed and this was not run.
reference: setup
	@$(ENV) python -m paas_stacks.reference

bench: setup
	@$(ENV) python -m bench

# The curated mutation check: each breakage of bench/mutant_list.py on a scratch copy, its tests
# run, the score written to bench/results/mutants.{json,md}. Unattended, well under 30 minutes.
mutants: setup
	@$(ENV) python -m bench.mutants
