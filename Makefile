# appstack: the project's interface. `make up` brings up the local stack, `make test` runs
# everything CI runs. Each target is a thin wrapper around a script or playbook.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg

# The emulator `make up` uses, and a separate one for `make test`, so tests never touch the
# local stack you are working with.
EMULATOR_PORT ?= 4566
TEST_EMULATOR_PORT ?= 4599
EMULATOR = env APPSTACK_EMULATOR_PORT=$(1) APPSTACK_EMULATOR_STATE_DIR=$(CURDIR)/.emulator/$(1) $(BIN)/appstack-emulator
STAGE := tools/stage.sh

.PHONY: help setup up down emulator emulator-stop docker host-image lint test unit \
        test-emulator test-hosts molecule integration e2e awx bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# The stamp changes only when a pinned requirement does, so a second `make setup` is a no-op.
$(VENV)/.stamp: requirements.txt tools/emulator/pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e tools/emulator
	@touch $@

setup: $(VENV)/.stamp ## Create .venv with the pinned packages (no-op when nothing changed)

emulator: setup ## Start the local AWS emulator (127.0.0.1:$(EMULATOR_PORT))
	@$(call EMULATOR,$(EMULATOR_PORT)) start

emulator-stop: ## Stop the local AWS emulator
	@$(call EMULATOR,$(EMULATOR_PORT)) stop

docker: ## Use the running Docker engine, or install and start one (root on Debian/Ubuntu)
	@tools/hosts/ensure-docker.sh

host-image: docker ## Build the local Debian 12 host image once (cached by tag)
	@tools/hosts/build-host-image.sh

up: setup ## Bring up the whole local stack in the emulator (the main job)
	@$(STAGE) emulator $(call EMULATOR,$(EMULATOR_PORT)) start
	@APPSTACK_EMULATOR_URL=http://127.0.0.1:$(EMULATOR_PORT) \
	  $(STAGE) site $(BIN)/ansible-playbook site.yml -i inventories/local
	@$(STAGE) --summary

down: setup ## Destroy the local stack and stop the emulator
	@if $(call EMULATOR,$(EMULATOR_PORT)) status >/dev/null; then \
	  APPSTACK_EMULATOR_URL=http://127.0.0.1:$(EMULATOR_PORT) \
	    $(BIN)/ansible-playbook playbooks/destroy.yml -i inventories/local; \
	fi
	@$(call EMULATOR,$(EMULATOR_PORT)) stop

lint: setup ## yamllint, ansible-lint (production), ruff, syntax check
	$(BIN)/yamllint --strict .
	$(BIN)/ansible-lint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/ansible-playbook site.yml playbooks/destroy.yml playbooks/drift.yml --syntax-check -i inventories/local

unit: setup ## Unit tests of plugins and filters
	$(BIN)/pytest -q tests/unit

test-emulator: setup ## Emulator tests (shims, faults, latency, CLI)
	$(BIN)/pytest -q tests/emulator

test-hosts: host-image ## Local host image tests (Docker)
	$(BIN)/pytest -q tests/hosts

molecule: setup ## Every Molecule scenario (MOLECULE_JOBS at a time), against the test emulator
	@$(call EMULATOR,$(TEST_EMULATOR_PORT)) start
	APPSTACK_EMULATOR_URL=http://127.0.0.1:$(TEST_EMULATOR_PORT) tools/molecule-all.sh

integration: setup ## End-to-end playbook tests against the test emulator
	@$(call EMULATOR,$(TEST_EMULATOR_PORT)) start
	APPSTACK_EMULATOR_URL=http://127.0.0.1:$(TEST_EMULATOR_PORT) $(BIN)/pytest -q tests/integration

# Each test module starts its own emulator, fleet of host containers and load balancer.
e2e: setup host-image ## Local fleet end to end: user-data, rolling deploys under load, rollback, lock
	$(BIN)/pytest -q tests/e2e

awx: setup ## AWX as code, job templates through ansible-runner, the execution environment (own emulator)
	$(BIN)/pytest -q tests/awx

test: setup ## Everything CI runs, each stage timed
	@rm -f .cache/stages.txt
	@status=0; \
	for stage in lint unit test-emulator test-hosts molecule integration e2e awx; do \
	  $(STAGE) $$stage $(MAKE) --no-print-directory $$stage || { status=1; break; }; \
	done; \
	$(call EMULATOR,$(TEST_EMULATOR_PORT)) stop >/dev/null; \
	$(STAGE) --summary; exit $$status

bench: setup ## Benchmarks: numbers, not pass/fail (each on its own emulator)
	$(BIN)/python tools/bench.py

clean: ## Stop emulators and remove caches (keeps .venv)
	-@for d in .emulator/*/; do [ -d "$$d" ] && $(BIN)/appstack-emulator stop --state-dir "$$d"; done
	rm -rf .cache .emulator .pytest_cache .ruff_cache
