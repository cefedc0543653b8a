# Two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
export PATH := $(HOME)/.local/bin:$(PATH)
export UV_PYTHON_PREFERENCE := only-system
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
EXTRAS ?=
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run dev test test-fast lint format setup bench worker demo wheel clean

run: setup
	$(UV) run --no-sync mitra serve --host $(HOST) --port $(PORT)

dev: setup
	DEBUG=1 $(UV) run --no-sync mitra serve --dev --host $(HOST) --port $(PORT)

worker: setup
	$(UV) run --no-sync mitra worker

demo: setup
	$(UV) run --no-sync mitra demo

test: setup
	$(UV) run --no-sync pytest -n 2 $(PYTEST_ARGS)

lint: setup
	$(UV) run --no-sync ruff check .
	$(UV) run --no-sync ruff format --check .
	$(UV) run --no-sync python manage.py makemigrations --check --dry-run

format:
	$(UV) run --no-sync ruff format .
	$(UV) run --no-sync ruff check --fix .

bench: setup
	$(UV) run --no-sync python -m bench.run

wheel: setup
	$(UV) build --wheel

# Installs uv into the user's Python when missing, the Python packages, the front-end
# packages, then copies assets into mitra/static/vendor and compiles translations.
setup: .venv/.synced$(EXTRAS) node_modules/.package-lock.json mitra/static/vendor/.ready

$(UV):
	python3 -m pip install --user --quiet uv || python3 -m pip install --user --quiet --break-system-packages uv

.venv/.synced$(EXTRAS): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen $(foreach e,$(EXTRAS),--extra $(e))
	@rm -f .venv/.synced*; touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

mitra/static/vendor/.ready: node_modules/.package-lock.json .venv/.synced$(EXTRAS) $(wildcard mitra/locale/*/LC_MESSAGES/*.po mitra/*/locale/*/LC_MESSAGES/*.po)
	$(UV) run --no-sync python -m mitra.assets
	@touch $@

clean:
	rm -rf .venv node_modules mitra/static/vendor
