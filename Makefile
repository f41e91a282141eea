# Two commands on a fresh Debian machine: `make run` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
APT_PACKAGES := python3-venv mosquitto fonts-noto-cjk libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 nats-server
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint bench fuzz system-deps feeds clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

# Debian packages the tests and the screen need; installed only where missing.
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

run: system-deps $(STAMP)
	$(BIN)/ivi run

test: system-deps $(STAMP) lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# The habits that keep the house in order: lint, format and types (configured in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	for b in cache canbus planner occupancy occupancy_trips occupancy_sync ota_sync ui; do $(BIN)/python -m bench.$$b || exit 1; done

# Coverage-guided fuzzing of every parser (atheris), FUZZ_SECONDS each; prints the table (docs/fuzzing.md).
FUZZ_SECONDS ?= 180
FUZZ_HARNESSES ?=
fuzz: $(STAMP)
	$(BIN)/pip install -q -e '.[fuzz]'
	$(BIN)/python -m fuzz.runner --seconds $(FUZZ_SECONDS) $(FUZZ_HARNESSES)

# Regenerate the bundled scale-1 partner feeds (deterministic: same seed, same bytes).
feeds: $(STAMP)
	$(BIN)/ivi-sync feeds --out chargers/data/feeds --scale 1 --seed 7

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
