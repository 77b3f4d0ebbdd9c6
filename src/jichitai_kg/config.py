"""Layered configuration for the web service and the CLI.

Order (later wins): the defaults below, a config file (``JICHITAI_KG_CONFIG`` or
``--config``), ``JICHITAI_KG_*`` environment variables (Flask's
``from_prefixed_env`` rules: values are parsed as JSON when they can be, so
``JICHITAI_KG_QUERY_TIMEOUT=2.5`` is a float and
``JICHITAI_KG_SERVICE_ALLOWLIST='["https://query.wikidata.org/sparql"]'`` a
list), then the ``test_config`` mapping given to ``create_app``.
"""

from __future__ import annotations

import os
from pathlib import Path

import jichitai_kg

ENV_PREFIX = "JICHITAI_KG"
CONFIG_ENV_VAR = "JICHITAI_KG_CONFIG"


def default_root() -> Path:
    """The checkout the package runs from: data and queries live there, not in site-packages."""
    return Path(jichitai_kg.__file__).resolve().parents[2]


def defaults() -> dict:
    """Defaults; ``CACHE_DIR`` is left ``None`` so that it follows ``ROOT`` when ROOT is overridden."""
    return {
        "ROOT": str(default_root()),
        "CACHE_DIR": None,  # resolved to <ROOT>/.cache
        "QUERY_TIMEOUT": 10.0,  # seconds; the worker process is killed after this
        "MAX_RESULT_BYTES": 20 * 1024 * 1024,  # serialized result cap; over it → 422
        "MAX_REQUEST_BYTES": 1024 * 1024,  # request body cap; over it → 413 (URL over it → 414)
        "QUERY_WORKERS": 2,  # worker processes running queries
        "SERVICE_ALLOWLIST": [],  # endpoint IRIs allowed in SERVICE; anything else → 403
        "EXTRA_GRAPHS": [],  # [(graph IRI, RDF file)] loaded into named graphs
        "INFERENCE": True,  # default for the infer= request parameter
        "PUBLIC_BASE": None,  # e.g. "https://example.org/jichitai" when behind a proxy
        "BASE_URL": None,  # alias of PUBLIC_BASE
        "EAGER_START": True,  # build the store and start workers in create_app
        "REASONING_ENGINE": "auto",  # owlrl | fast | native | auto (native, owlrl when it refuses)
    }


def load_config(app, test_config: dict | None = None, config_file: str | None = None) -> None:
    """Apply the four layers to ``app.config`` and normalise the values."""
    app.config.from_mapping(defaults())
    config_file = config_file or os.environ.get(CONFIG_ENV_VAR)
    if config_file:
        app.config.from_pyfile(os.path.abspath(config_file))
    app.config.from_prefixed_env(ENV_PREFIX)
    if test_config:
        app.config.update(test_config)
    normalise(app.config)


def normalise(config) -> None:
    """Turn values that may arrive as strings (env, files) into the types the code uses."""
    config["ROOT"] = str(Path(config["ROOT"]).resolve())
    if not config.get("CACHE_DIR"):
        config["CACHE_DIR"] = str(Path(config["ROOT"]) / ".cache")
    config["QUERY_TIMEOUT"] = float(config["QUERY_TIMEOUT"])
    for key in ("MAX_RESULT_BYTES", "MAX_REQUEST_BYTES", "QUERY_WORKERS"):
        config[key] = int(config[key])
        if config[key] <= 0:
            raise ValueError(f"{key} must be positive, got {config[key]}")
    if config["QUERY_TIMEOUT"] <= 0:
        raise ValueError("QUERY_TIMEOUT must be positive")
    allow = config["SERVICE_ALLOWLIST"]
    if isinstance(allow, str):
        allow = [a for a in allow.replace(",", " ").split() if a]
    config["SERVICE_ALLOWLIST"] = [str(a) for a in allow]
    config["EXTRA_GRAPHS"] = [parse_graph_spec(g) if isinstance(g, str) else (str(g[0]), str(g[1]))
                              for g in config["EXTRA_GRAPHS"]]
    if isinstance(config["INFERENCE"], str):
        config["INFERENCE"] = config["INFERENCE"].lower() not in ("0", "false", "no", "off")
    base = config.get("PUBLIC_BASE") or config.get("BASE_URL")
    config["PUBLIC_BASE"] = base.rstrip("/") if base else None
    # Flask itself rejects bodies over this size with 413 before our view runs.
    config["MAX_CONTENT_LENGTH"] = config["MAX_REQUEST_BYTES"]


def parse_graph_spec(spec: str) -> tuple[str, str]:
    """Split ``IRI=FILE`` (the IRI may itself contain '=', so split on the last one that leaves a file)."""
    iri, sep, path = spec.rpartition("=")
    if not sep or not iri or not path:
        raise ValueError(f"expected IRI=FILE, got {spec!r}")
    if not Path(path).is_file():
        raise ValueError(f"graph file not found: {path}")
    return iri, path
