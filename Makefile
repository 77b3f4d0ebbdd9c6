# Two commands do all setup on a fresh machine:
#   make serve   install into .venv, build the store, serve on http://127.0.0.1:8000/
#   make test    install into .venv (with test extras) and run the test suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

BENCH_VENV ?= .venv-bench

.PHONY: install serve test build validate bench bench-setup clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,register]'
	touch $(STAMP)

serve: install
	$(VENV)/bin/jichitai-kg serve $(ARGS)

test: install
	$(PY) -m pytest $(ARGS)

build: install
	$(VENV)/bin/jichitai-kg build

validate: install
	$(VENV)/bin/jichitai-kg validate

# The peers (rdflib-endpoint, the oxigraph server) get a venv of their own so that their
# dependencies never touch the project's; wrk (Debian) is used as load generator when present.
bench-setup: install
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet rdflib-endpoint oxigraph uvicorn
	command -v wrk >/dev/null || (command -v apt-get >/dev/null && apt-get install -y -qq wrk) || true

bench: bench-setup
	$(PY) -m benchmarks $(ARGS)

clean:
	rm -rf $(VENV) $(BENCH_VENV) .cache build *.egg-info src/*.egg-info
