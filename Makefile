# theoremlab: `make verify` and `make test` set up .venv on first use (torch pinned to the CPU
# wheel through constraints.txt), then run. `make verify` needs only the package (RUNTIME);
# the tests, docs and lint need the extras too (STAMP).
PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-stamp
STAMP   := $(VENV)/.installed-stamp
PIP     := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: install checkpoints verify selftest calibrate test test-fast test-slow test-release bench lint format docs browser clean

$(RUNTIME): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -e .
	@touch $(RUNTIME)

$(STAMP): $(RUNTIME)
	$(PIP) -e '.[dev,docs,dask]'
	@touch $(STAMP)

install: $(STAMP)

# The quick profile's pre-trained in-context models (markov.icl_rate_model) ship in
# numerics/checkpoints/; this lists them (or, when the configuration changed, trains and caches
# them in .theoremlab-cache/, with progress). A run finds them itself and trains a missing one on
# first use, so no other target waits for this one. `verify checkpoints --rebuild --ship`
# re-makes the shipped ones.
checkpoints: $(RUNTIME)
	$(BIN)/verify checkpoints --profile quick

verify: $(RUNTIME)
	$(BIN)/verify run --profile quick --strict

# Mutation analysis over the catalogue: every check must reject ≥ 90 % of its mutants (a gate).
selftest: $(RUNTIME)
	$(BIN)/verify selftest --profile quick

# The test tiers are folders (README, "Development"): `make test` runs tests/fast and
# tests/catalogue (the quick profile once per session); `make test-fast` the first alone;
# `make test-slow` tests/slow (calibration at 100 and 1000 seeds, plug-in install, process
# pools and Dask, scale tables, step mutants; CI runs it); `make test-release` tests/release
# (seed sweeps, the checkpoint rebuild, fuzzing the catalogue: longer than CI allows).
test: $(STAMP)
	$(BIN)/python -m pytest -q

# Every Monte-Carlo theorem of the quick profile at seeds 0..19: no true theorem refuted, no
# unexpected verdict, standard errors that match the spread (exit 1 otherwise). About 35 minutes
# here: a maintainer's gate before a release (with `make test-release`), not part of CI's budget.
calibrate: $(RUNTIME)
	$(BIN)/verify calibrate --profile quick --seeds 20

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q tests/fast

test-slow: $(STAMP)
	$(BIN)/python -m pytest -q tests/slow

test-release: $(STAMP)
	$(BIN)/python -m pytest -q tests/release

bench: $(STAMP)
	$(PIP) -e '.[bench]'
	$(BIN)/python -m pytest -q -s -m bench benchmarks --benchmark-json=reports/bench.json

docs: $(STAMP)
	$(BIN)/verify docs

# Debian's Chromium and ChromeDriver for the docs' browser test (needs root; CI runs it).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) reports .pytest_cache .hypothesis .ruff_cache .theoremlab-cache
