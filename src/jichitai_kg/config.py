"""Layered settings, one loader for the web service and the CLI.

Order (later wins): the defaults below, a config file (``JICHITAI_KG_CONFIG`` or
``--config``: Python, upper-case names, as Flask's ``from_pyfile``), ``JICHITAI_KG_*``
environment variables (values parsed as JSON when they can be, as Flask's
``from_prefixed_env``: ``JICHITAI_KG_QUERY_TIMEOUT=2.5`` is a float,
``JICHITAI_KG_SERVICE_ALLOWLIST='["https://query.wikidata.org/sparql"]'`` a list), then
the overrides (``create_app``'s test config, or command-line options).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import content
from .errors import BadRequest

#: Reasoning engines: owlrl is the reference, native the fast one; auto = native unless it refuses.
ENGINES = ("owlrl", "native")
ENGINE_CHOICES = ENGINES + ("auto",)

ENV_PREFIX = "JICHITAI_KG"
CONFIG_ENV_VAR = "JICHITAI_KG_CONFIG"

#: Every setting and its default; ``ROOT``/``CACHE_DIR`` ``None`` are resolved by :func:`load_settings`.
DEFAULTS: dict[str, Any] = {
    "ROOT": None,  # content folder (ontology/, data/, queries/); default: installed or checkout
    "CACHE_DIR": None,  # default: <ROOT>/.cache, or the user's cache dir for installed content
    "QUERY_TIMEOUT": 10.0,  # seconds; the worker process is killed after this
    "MAX_RESULT_BYTES": 20 * 1024 * 1024,  # serialized result cap; over it → 422
    "MAX_REQUEST_BYTES": 1024 * 1024,  # request body cap; over it → 413 (URL over it → 414)
    "QUERY_WORKERS": 2,  # worker processes of the quick lane (every query starts there), in all
    "SERVE_PROCESSES": 0,  # `serve` processes sharing the port; 0: one per core, up to 4
    "LONG_QUERY_WORKERS": 1,  # workers of the long lane (queries past QUICK_BUDGET); 0: one lane
    "QUICK_BUDGET": 1.0,  # seconds a query may run in the quick lane before it moves to the long one
    "LONG_QUERIES": 1,  # long-lane queries running at once in all serving processes (query/admission.py)
    "LONG_QUERIES_PER_CLIENT": 2,  # long-lane queries one client address may have running or waiting
    "RESULT_CACHE_BYTES": 64 * 1024 * 1024,  # answers kept in memory (0: none); see query/cache.py
    "RESULT_MAX_AGE": 300,  # Cache-Control max-age (seconds) of /sparql and /cq answers
    "SERVICE_ALLOWLIST": [],  # endpoint IRIs allowed in SERVICE; anything else → 403
    "QUERY_MEMORY_LIMIT": 2 * 1024 ** 3,  # address space per query worker (bytes); 0: no cap
    "QUERY_SANDBOX": None,  # workers open no network socket; None: on unless SERVICE_ALLOWLIST is set
    "EXTRA_GRAPHS": [],  # [(graph IRI, RDF file)] loaded into named graphs
    "INFERENCE": True,  # default for the infer= request parameter
    "PUBLIC_BASE": None,  # e.g. "https://example.org/jichitai" when behind a proxy
    "BASE_URL": None,  # alias of PUBLIC_BASE
    "EAGER_START": True,  # build the store and start workers in create_app
    "REASONING_ENGINE": "auto",  # owlrl | native | auto (native, owlrl when it refuses)
    "STORE_QUERY_ENDPOINT": None,  # a remote SPARQL store to answer from instead of a local one
    "STORE_USER": None,  # its user name (Basic or Digest), with the password in ...
    "STORE_PASSWORD_ENV": "JICHITAI_KG_STORE_PASSWORD",  # ... this environment variable
    "STORE_VERSION_CHECK": True,  # refuse to start when the store holds another dataset version
}


def load_settings(overrides: Mapping[str, Any] | None = None, *,
                  config_file: str | None = None) -> dict[str, Any]:
    """Apply the four layers and normalise the values; raises BadRequest for a bad value."""
    settings = dict(DEFAULTS)
    config_file = config_file or os.environ.get(CONFIG_ENV_VAR)
    if config_file:
        settings.update(_from_pyfile(Path(config_file)))
    settings.update(_from_env(os.environ))
    if overrides:
        settings.update({k: v for k, v in overrides.items() if v is not None or k in ("CACHE_DIR",)})
    return normalise(settings)


def _from_pyfile(path: Path) -> dict[str, Any]:
    try:
        code = compile(path.read_bytes(), str(path), "exec")
    except OSError as exc:
        raise BadRequest(f"cannot read the config file {path}: {exc.strerror}") from None
    namespace: dict[str, Any] = {"__file__": str(path)}
    exec(code, namespace)  # noqa: S102 - a config file is code by design, as in Flask
    return {k: v for k, v in namespace.items() if k.isupper()}


def _from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    prefix = ENV_PREFIX + "_"
    for key, value in environ.items():
        if not key.startswith(prefix) or key == CONFIG_ENV_VAR:
            continue
        try:
            out[key[len(prefix):]] = json.loads(value)
        except ValueError:
            out[key[len(prefix):]] = value
    return out


def parse_bool(value: Any, name: str) -> bool:
    """``true/false/1/0/yes/no/on/off`` (any case) or a bool; anything else is a BadRequest."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise BadRequest(f"{name} must be true or false, got {value!r}.")


def normalise(settings: dict[str, Any]) -> dict[str, Any]:
    """Turn values that may arrive as strings (env, files) into the types the code uses."""
    root = Path(settings["ROOT"]) if settings.get("ROOT") else content.default_root()
    settings["ROOT"] = str(root.resolve())
    if not settings.get("CACHE_DIR"):
        settings["CACHE_DIR"] = str(content.default_cache_dir(Path(settings["ROOT"])))
    try:
        settings["QUERY_TIMEOUT"] = float(settings["QUERY_TIMEOUT"])
        settings["QUICK_BUDGET"] = float(settings["QUICK_BUDGET"])
        for key in ("MAX_RESULT_BYTES", "MAX_REQUEST_BYTES", "QUERY_WORKERS", "RESULT_CACHE_BYTES",
                    "RESULT_MAX_AGE", "LONG_QUERY_WORKERS", "SERVE_PROCESSES", "LONG_QUERIES",
                    "LONG_QUERIES_PER_CLIENT"):
            settings[key] = int(settings[key])
        settings["QUERY_MEMORY_LIMIT"] = int(settings["QUERY_MEMORY_LIMIT"] or 0)
    except (TypeError, ValueError) as exc:
        raise BadRequest(f"bad setting: {exc}") from None
    for key in ("QUERY_TIMEOUT", "MAX_RESULT_BYTES", "MAX_REQUEST_BYTES", "QUERY_WORKERS", "QUICK_BUDGET",
                "LONG_QUERIES", "LONG_QUERIES_PER_CLIENT"):
        if settings[key] <= 0:
            raise BadRequest(f"{key} must be positive, got {settings[key]}")
    for key in ("RESULT_CACHE_BYTES", "RESULT_MAX_AGE", "LONG_QUERY_WORKERS", "QUERY_MEMORY_LIMIT",
                "SERVE_PROCESSES"):
        if settings[key] < 0:
            raise BadRequest(f"{key} must be 0 or more, got {settings[key]}")
    allow = settings["SERVICE_ALLOWLIST"]
    if isinstance(allow, str):
        allow = [a for a in allow.replace(",", " ").split() if a]
    settings["SERVICE_ALLOWLIST"] = [str(a) for a in allow]
    settings["EXTRA_GRAPHS"] = [parse_graph_spec(g) if isinstance(g, str) else (str(g[0]), str(g[1]))
                                for g in settings["EXTRA_GRAPHS"]]
    for key in ("INFERENCE", "STORE_VERSION_CHECK"):
        settings[key] = parse_bool(settings[key], key)
    settings["STORE_QUERY_ENDPOINT"] = settings.get("STORE_QUERY_ENDPOINT") or None
    # Sandboxed workers cannot call even allowed endpoints, so an allowlist turns it off by default.
    sandbox = settings["QUERY_SANDBOX"]
    settings["QUERY_SANDBOX"] = (not settings["SERVICE_ALLOWLIST"] if sandbox is None
                                 else parse_bool(sandbox, "QUERY_SANDBOX"))
    base = settings.get("PUBLIC_BASE") or settings.get("BASE_URL")
    settings["PUBLIC_BASE"] = base.rstrip("/") if base else None
    return settings


def parse_graph_spec(spec: str) -> tuple[str, str]:
    """Split ``IRI=FILE`` (the IRI may itself contain '=', so split on the last one)."""
    iri, sep, path = spec.rpartition("=")
    if not sep or not iri or not path:
        raise BadRequest(f"expected IRI=FILE, got {spec!r}")
    if not Path(path).is_file():
        raise BadRequest(f"graph file not found: {path}")
    return iri, path
