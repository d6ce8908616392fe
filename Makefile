# Two commands: `make build` and `make test`. Everything else is a helper.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

DEMO_SEED ?= 42
DEMO_TICKETS ?= 20000
DEMO_DAYS ?= 91
DEMO_DIR := data/demo-seed$(DEMO_SEED)-$(DEMO_TICKETS)
RAW_DIR ?= $(DEMO_DIR)
WAREHOUSE ?= warehouse/switchboard.duckdb

export DBT_PROFILES_DIR := $(CURDIR)/profiles

.PHONY: build test lint pytest install install-spark demo-data clean bench

build: $(STAMP) $(if $(filter $(DEMO_DIR),$(RAW_DIR)),$(DEMO_DIR)/.complete)
	$(BIN)/switchboard build --raw-dir "$(RAW_DIR)" --warehouse "$(WAREHOUSE)"

install: $(STAMP)

# The Spark engine (dbt-spark with a local PySpark session; needs Java 17+) on top of
# the default install: `make install-spark`, then SWITCHBOARD_TARGET=spark.
SPARK_STAMP := $(VENV)/.installed-spark
install-spark: $(SPARK_STAMP)

$(SPARK_STAMP): $(STAMP) requirements-spark.lock
	command -v java >/dev/null || { apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless; }
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -r requirements-spark.lock
	touch $@

# Benchmark tiers (100k, 1m, 10m): full build, incremental day, pandas and floor.
TIER ?= 1m
bench: $(STAMP)
	$(BIN)/python -m switchboard.bench.runner $(foreach tier,$(TIER),--tier $(tier))

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

demo-data: $(DEMO_DIR)/.complete

$(DEMO_DIR)/.complete: $(STAMP)
	$(BIN)/switchboard generate --out $(DEMO_DIR) --seed $(DEMO_SEED) --tickets $(DEMO_TICKETS) --days $(DEMO_DAYS) --format csv
	touch $@

test: $(STAMP) lint pytest

# SQL lint compiles every model with the dbt templater; it needs no warehouse.
LINT_ENV := SWITCHBOARD_DUCKDB_PATH=$(CURDIR)/target/lint/lint.duckdb DBT_TARGET_PATH=$(CURDIR)/target/lint DBT_LOG_PATH=$(CURDIR)/target/lint

lint: $(STAMP)
	$(BIN)/ruff check switchboard tests/python
	$(BIN)/ruff format --check switchboard tests/python
	mkdir -p target/lint
	$(LINT_ENV) $(BIN)/sqlfluff lint models --processes 2

pytest: $(STAMP)
	$(BIN)/pytest

clean:
	rm -rf target logs data warehouse .pytest_cache
