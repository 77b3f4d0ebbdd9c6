# Two commands do all setup on a fresh machine:
#   make serve   install into .venv, build the store, serve on http://127.0.0.1:8000/
#   make test    install into .venv (with test extras) and run the test suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install serve test build validate bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: install
	$(VENV)/bin/jichitai-kg serve $(ARGS)

test: install
	$(PY) -m pytest $(ARGS)

build: install
	$(VENV)/bin/jichitai-kg build

validate: install
	$(VENV)/bin/jichitai-kg validate

clean:
	rm -rf $(VENV) .cache build *.egg-info src/*.egg-info
