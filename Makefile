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

.PHONY: build test lint pytest install demo-data clean bench test-engines install-engines

build: $(STAMP) $(if $(filter $(DEMO_DIR),$(RAW_DIR)),$(DEMO_DIR)/.complete)
	$(BIN)/switchboard build --raw-dir "$(RAW_DIR)" --warehouse "$(WAREHOUSE)"

install: $(STAMP)

# Benchmark tiers (100k, 1m, 10m): full build, incremental day, pandas and floor.
TIER ?= 1m
bench: $(STAMP)
	$(BIN)/python -m switchboard.bench.runner $(foreach tier,$(TIER),--tier $(tier))

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# Other engines (switchboard/engines/, README "Other engines"): each has an optional
# extra pinned in requirements-<engine>.lock, installed into the same venv by its own
# stamp (`make install-postgres`); the default install stays DuckDB only.
ENGINES ?= postgres spark
ENGINE_STAMPS := $(foreach engine,$(ENGINES),$(VENV)/.installed-$(engine))
# The parity check builds a landing directory on DuckDB and on each engine: the demo
# data, except on Spark, where every model and test is a JVM job (about half a second each
# however small the data), so a small generated set keeps the check inside CI's budget.
ENGINES_RAW_DIR ?= $(DEMO_DIR)
SPARK_RAW_DIR ?= data/spark-check
engine_raw_dir = $(if $(filter spark,$(1)),$(SPARK_RAW_DIR),$(ENGINES_RAW_DIR))

.PRECIOUS: $(VENV)/.installed-%

# Spark (dbt-spark with a local PySpark session) also needs a Java runtime (17+).
$(VENV)/.installed-spark: requirements-spark.lock requirements.lock $(STAMP)
	command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless; }
	$(BIN)/pip install --quiet --disable-pip-version-check -r $< -c requirements.lock
	touch $@

install-engines: $(ENGINE_STAMPS)

install-%: $(VENV)/.installed-% ;

$(VENV)/.installed-%: requirements-%.lock requirements.lock $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -r $< -c requirements.lock
	touch $@

# Same keys and values (1e-9 relative) in marts.kpi_values, same quarantine, every
# dbt test passing on each engine; names the engine, KPI or failing model otherwise.
test-engines: $(STAMP) $(ENGINE_STAMPS) $(if $(filter $(DEMO_DIR),$(ENGINES_RAW_DIR)),$(DEMO_DIR)/.complete) $(if $(filter spark,$(ENGINES)),$(if $(filter data/spark-check,$(SPARK_RAW_DIR)),data/spark-check/.complete))
	$(foreach engine,$(ENGINES),$(BIN)/switchboard engines parity --engine $(engine) --raw-dir "$(call engine_raw_dir,$(engine))" &&) true

data/spark-check/.complete: $(STAMP)
	$(BIN)/switchboard generate --out data/spark-check --seed 5 --tickets 300 --days 10 --format csv
	touch $@

demo-data: $(DEMO_DIR)/.complete

$(DEMO_DIR)/.complete: $(STAMP)
	$(BIN)/switchboard generate --out $(DEMO_DIR) --seed $(DEMO_SEED) --tickets $(DEMO_TICKETS) --days $(DEMO_DAYS) --format csv
	touch $@

test: $(STAMP) lint pytest test-engines

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
