# Two commands do all setup on a fresh machine:
#   make serve   install into .venv, build the store, serve on http://127.0.0.1:8000/
#   make test    install into .venv (with test extras) and run the test suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

BENCH_VENV ?= .venv-bench

.PHONY: install wheel serve test test-virtuoso lint build validate bench bench-setup soak clean chromium apache vendor fonts screenshots reconcile-gold reconcile-eval

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,register]'
	touch $(STAMP)

# A wheel with the graph inside (jichitai_kg/_content), for `pip install` anywhere.
wheel: install
	$(PY) -m build --wheel --outdir dist .

serve: install
	$(VENV)/bin/jichitai-kg serve $(ARGS)

test: install lint chromium apache
	$(PY) -m pytest $(ARGS)

# The remote-store tests against Virtuoso Open Source (installed from Debian if missing),
# started on loopback with a throw-away database and stopped afterwards.
test-virtuoso: install
	PY=$(PY) sh scripts/test-virtuoso.sh $(ARGS)

# The browser tests (tests/browser/) drive Debian's Chromium through Playwright; Playwright's own
# browser download cannot work offline. Installed only when absent and we are root.
chromium:
	@command -v chromium >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
	  echo "chromium could not be installed; the browser tests will be skipped"

# The static-site tests (tests/web/test_publish_apache.py) serve the published site with Debian's
# Apache httpd on loopback; installed when absent and we are root. The tests fail (never skip)
# with a message naming this target when apache2 cannot be found.
apache:
	@command -v apache2 >/dev/null 2>&1 || [ -x /usr/sbin/apache2 ] || [ "$$(id -u)" != 0 ] || \
	  ! command -v apt-get >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	   apache2 >/dev/null) || echo "apache2 could not be installed; the static-site tests will fail"

# A Japanese font for headless Chromium (screenshots and the browser tests' pages read right).
fonts:
	@fc-list | grep -qi ipagothic || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-ipafont-gothic >/dev/null) || \
	  echo "fonts-ipafont-gothic could not be installed; Japanese text will show as boxes"

# The screenshots of docs/workbench.md (starts its own server on a free loopback port).
screenshots: install fonts
	$(PY) tools/screenshots.py

# Refresh the vendored front-end bundle (CodeMirror 6) from the npm registry; needs node and npm.
vendor:
	sh tools/build_vendor.sh

lint: install
	$(VENV)/bin/ruff check src tests benchmarks tools
	$(VENV)/bin/mypy

# docs/settings.md from the settings table in src/jichitai_kg/config.py (tests/test_config.py checks it).
.PHONY: settings-doc
settings-doc: install
	$(VENV)/bin/jichitai-kg settings --markdown > docs/settings.md

build: install
	$(VENV)/bin/jichitai-kg build

validate: install
	$(VENV)/bin/jichitai-kg validate

# The peers (rdflib-endpoint, the oxigraph server) get a venv of their own so that their
# dependencies never touch the project's; wrk (Debian) is used as load generator when present.
bench-setup: install
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet rdflib-endpoint oxigraph uvicorn py-spy
	command -v wrk >/dev/null || (command -v apt-get >/dev/null && apt-get install -y -qq wrk) || true

bench: bench-setup
	$(PY) -m benchmarks $(ARGS)

# Fuzzing (10,000 requests), the runaway load mix (the 19 parameter-free questions, 32 clients,
# 5% runaways) and 2,100 slow clients against a loopback server; writes docs/reliability.md.
# Bounded: about 4 minutes.  Options: make soak ARGS="--fuzz 2000 --slow-clients 0".
soak: install
	$(PY) tools/soak.py $(ARGS)
	JKG_FORGERY_COUNT=10000 $(PY) -m pytest -q -s -k "spellings or workers_alone" tests/web/test_fuzz.py tests/query/execution/test_services.py

# The reconciliation gold set: regenerate it from the register (seeded), then print the figures
# of name reconciliation with and without a type (docs/search.md records them).
reconcile-gold: install
	$(PY) tools/gen_reconcile_gold.py

reconcile-eval: install
	$(PY) -m jichitai_kg.search.evaluate

clean:
	rm -rf $(VENV) $(BENCH_VENV) .cache build dist *.egg-info src/*.egg-info
