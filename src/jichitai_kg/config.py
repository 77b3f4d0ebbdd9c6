"""Layered settings, one loader for the web service and the CLI, driven by one table.

:data:`SETTINGS` lists every setting once (name, default, type, bounds, help); the
loader, ``jichitai-kg settings``, ``jichitai-kg --help-settings`` and docs/settings.md
(``make settings-doc``, checked by tests/test_config.py) are all made from it.

Order (later wins): the defaults, a config file (``JICHITAI_KG_CONFIG`` or ``--config``:
Python, upper-case names, as Flask's ``from_pyfile``), ``JICHITAI_KG_*`` environment
variables (values parsed as JSON when they can be, as Flask's ``from_prefixed_env``:
``JICHITAI_KG_QUERY_TIMEOUT=2.5`` is a float,
``JICHITAI_KG_SERVICE_ALLOWLIST='["https://query.wikidata.org/sparql"]'`` a list), then
the overrides (``create_app``'s test config, or command-line options).  A name in any
layer that is neither a setting nor one of Flask's own keys is an error that names the
closest setting ("did you mean QUERY_TIMEOUT?").
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import content
from .errors import BadRequest

#: Reasoning engines: owlrl is the reference, native the fast one; auto = native unless it refuses.
ENGINES = ("owlrl", "native")
ENGINE_CHOICES = ENGINES + ("auto",)

ENV_PREFIX = "JICHITAI_KG"
CONFIG_ENV_VAR = "JICHITAI_KG_CONFIG"
#: Environment variables with the prefix that are not settings (the config file, the store password).
RESERVED_ENV_VARS = (CONFIG_ENV_VAR, "JICHITAI_KG_STORE_PASSWORD")
#: Flask's own configuration names (``Flask.default_config``; tests/test_config.py keeps this
#: list complete), which any layer may set and which pass through untouched.
FLASK_KEYS = frozenset((
    "APPLICATION_ROOT", "DEBUG", "EXPLAIN_TEMPLATE_LOADING", "MAX_CONTENT_LENGTH", "MAX_COOKIE_SIZE",
    "MAX_FORM_MEMORY_SIZE", "MAX_FORM_PARTS", "PERMANENT_SESSION_LIFETIME", "PREFERRED_URL_SCHEME",
    "PROPAGATE_EXCEPTIONS", "PROVIDE_AUTOMATIC_OPTIONS", "SECRET_KEY", "SECRET_KEY_FALLBACKS",
    "SEND_FILE_MAX_AGE_DEFAULT", "SERVER_NAME", "SESSION_COOKIE_DOMAIN", "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_NAME", "SESSION_COOKIE_PARTITIONED", "SESSION_COOKIE_PATH",
    "SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_SECURE", "SESSION_REFRESH_EACH_REQUEST",
    "TEMPLATES_AUTO_RELOAD", "TESTING", "TRAP_BAD_REQUEST_ERRORS", "TRAP_HTTP_EXCEPTIONS",
    "TRUSTED_HOSTS", "USE_X_SENDFILE"))


@dataclass(frozen=True)
class Setting:
    """One setting: its default, how a value is read, its bounds and its one-line help."""

    name: str
    default: Any
    kind: str  # a key of KINDS
    help: str
    minimum: float | None = None  # inclusive lower bound
    positive: bool = False  # must be above 0
    choices: tuple[str, ...] = ()
    shown_default: str = ""  # for the docs, when the default is computed at load time

    @property
    def env(self) -> str:
        return f"{ENV_PREFIX}_{self.name}"


_MIB = 1024 * 1024

#: Every setting; adding one is one line here (docs/settings.md then needs `make settings-doc`).
SETTINGS: tuple[Setting, ...] = (
    Setting("ROOT", None, "path", "folder holding ontology/, data/ and queries/ (--root)",
            shown_default="the installed content, or the checkout"),
    Setting("CACHE_DIR", None, "path", "where built stores are kept",
            shown_default="<ROOT>/.cache, or the user's cache folder for installed content"),
    Setting("QUERY_TIMEOUT", 10.0, "float", "seconds before a query's worker process is killed (503)",
            positive=True),
    Setting("MAX_RESULT_BYTES", 20 * _MIB, "int", "serialized result cap in bytes (422 above it; "
            "results are never truncated)", positive=True),
    Setting("MAX_REQUEST_BYTES", _MIB, "int", "request body cap in bytes (413)", positive=True),
    Setting("MAX_URL_BYTES", 32 * 1024, "int", "URL cap in bytes (414 with a message; send long "
            "queries with POST). The front itself refuses URLs of 65,535 bytes or more with a bare "
            "414, so a larger value has no effect beyond that", minimum=1024),
    Setting("MAX_HEADER_BYTES", 32 * 1024, "int", "cap in bytes on a request's header fields "
            "(431 with a message); the front reads up to 64 KiB + 4 × this before it answers a bare "
            "431 itself (docs/deployment.md)", minimum=1024),
    Setting("QUERY_WORKERS", 2, "int", "worker processes of the quick lane, where every query starts "
            "(serve --workers), in all: shared out among the serving processes, at least one each",
            positive=True),
    Setting("SERVE_PROCESSES", 0, "int", "serving processes sharing the port (serve --processes); "
            "0: one per core, up to 4 (1 where the platform cannot fork)", minimum=0),
    Setting("LONG_QUERY_WORKERS", 1, "int", "worker processes of the long lane: a query still running "
            "after QUICK_BUDGET seconds moves there, so expensive queries wait for each other and not "
            "for ordinary ones; 0 keeps one lane", minimum=0),
    Setting("QUICK_BUDGET", 1.0, "float", "seconds a query may run in the quick lane", positive=True),
    Setting("LONG_QUERIES", 1, "int", "long-lane queries running at once in all serving processes "
            "(query/execution/admission.py)", positive=True),
    Setting("LONG_QUERIES_PER_CLIENT", 2, "int", "long-lane queries one client address may have "
            "running or waiting", positive=True),
    Setting("RESULT_CACHE_BYTES", 64 * _MIB, "int", "memory for answers of /sparql and /cq (the data "
            "changes only on rebuild); 0 turns the cache off", minimum=0),
    Setting("RESULT_MAX_AGE", 300, "int", "Cache-Control max-age (seconds) of /sparql and /cq "
            "answers; each carries an ETag, and If-None-Match gets 304", minimum=0),
    Setting("SERVICE_ALLOWLIST", [], "list", "endpoint IRIs that SERVICE may call (a JSON list, or "
            "IRIs separated by commas or spaces); anything else is 403"),
    Setting("QUERY_MEMORY_LIMIT", 2 * 1024 * _MIB, "int", "address space per query worker in bytes "
            "(503 above it, worker replaced); 0: no cap. A worker needs about 0.4 GB to start",
            minimum=0),
    Setting("QUERY_SANDBOX", None, "bool", "query workers cannot open network sockets (seccomp filter); "
            "allowlisted SERVICE calls leave through the egress (docs/sandbox.md)", shown_default="on"),
    Setting("EXTRA_GRAPHS", [], "graphs", "[(graph IRI, RDF file)] loaded as named graphs "
            "(serve --graph IRI=FILE)"),
    Setting("INFERENCE", True, "bool", "whether the default graph includes the OWL 2 RL inferences "
            "when a request has no infer="),
    Setting("PUBLIC_BASE", None, "text", "public URL prefix when behind a proxy, e.g. "
            "https://example.org/kg; the service description then names <PUBLIC_BASE>/sparql"),
    Setting("BASE_URL", None, "text", "alias of PUBLIC_BASE"),
    Setting("EAGER_START", True, "bool", "build the store and start the workers in create_app "
            "(off: on the first request)"),
    Setting("REASONING_ENGINE", "auto", "choice", "owlrl (the reference), native (many times faster) "
            "or auto (native, owlrl for what it does not cover); both give the same closure",
            choices=ENGINE_CHOICES),
    Setting("STORE_QUERY_ENDPOINT", None, "text", "answer from this remote SPARQL store instead of "
            "the local one (serve --query-endpoint; fill it with jichitai-kg push)"),
    Setting("STORE_USER", None, "text", "user name for the remote store (Basic or Digest)"),
    Setting("STORE_PASSWORD_ENV", "JICHITAI_KG_STORE_PASSWORD", "text", "the environment "
            "variable holding the remote store's password"),
    Setting("STORE_VERSION_CHECK", True, "bool", "refuse to start when the remote store holds "
            "another dataset version than this checkout builds"),
)

BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}
#: Every setting and its default; ``ROOT``/``CACHE_DIR`` ``None`` are resolved by :func:`load_settings`.
DEFAULTS: dict[str, Any] = {s.name: s.default for s in SETTINGS}


def load_settings(overrides: Mapping[str, Any] | None = None, *,
                  config_file: str | None = None) -> dict[str, Any]:
    """Apply the four layers and normalise the values; raises BadRequest for a bad value or name."""
    settings = {k: (list(v) if isinstance(v, list) else v) for k, v in DEFAULTS.items()}
    config_file = config_file or os.environ.get(CONFIG_ENV_VAR)
    if config_file:
        settings.update(check_names(_from_pyfile(Path(config_file)), f"in the config file {config_file}"))
    settings.update(check_names(_from_env(os.environ), "in the environment", env=True))
    if overrides:
        settings.update(check_names({k: v for k, v in overrides.items()
                                     if v is not None or k in ("CACHE_DIR",)}, "in the overrides"))
    return normalise(settings)


def check_names(values: dict[str, Any], where: str, *, env: bool = False) -> dict[str, Any]:
    """``values`` unchanged when every name is a setting (or a Flask key); else a BadRequest."""
    for name in values:
        if name not in BY_NAME and name not in FLASK_KEYS:
            shown = f"{ENV_PREFIX}_{name}" if env else name
            close = difflib.get_close_matches(name, list(BY_NAME), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]}?" if close else "; see `jichitai-kg --help-settings`"
            raise BadRequest(f"unknown setting {shown} {where}{hint}")
    return values


def _from_pyfile(path: Path) -> dict[str, Any]:
    try:
        code = compile(path.read_bytes(), str(path), "exec")
    except OSError as exc:
        raise BadRequest(f"cannot read the config file {path}: {exc.strerror}") from None
    namespace: dict[str, Any] = {"__file__": str(path)}
    exec(code, namespace)  # a config file is code by design, as in Flask
    return {k: v for k, v in namespace.items() if k.isupper()}


def _from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    prefix = ENV_PREFIX + "_"
    for key, value in environ.items():
        if not key.startswith(prefix) or key in RESERVED_ENV_VARS:
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


def _to_list(value: Any, name: str) -> list[str]:
    if isinstance(value, str):
        return [a for a in value.replace(",", " ").split() if a]
    return [str(a) for a in value]


def _to_graphs(value: Any, name: str) -> list[tuple[str, str]]:
    if isinstance(value, str):
        value = [value]
    return [parse_graph_spec(g) if isinstance(g, str) else (str(g[0]), str(g[1])) for g in value]


def _to_number(kind: type) -> Callable[[Any, str], Any]:
    def convert(value: Any, name: str) -> Any:
        try:
            return kind(value if value is not None else 0)
        except (TypeError, ValueError):
            raise BadRequest(f"{name} must be a number, got {value!r}") from None
    return convert


#: How a value of each kind is read from a string, a file or an override (None stays None).
KINDS: dict[str, Callable[[Any, str], Any]] = {
    "int": _to_number(int), "float": _to_number(float), "bool": parse_bool,
    "text": lambda v, n: str(v) or None, "path": lambda v, n: str(v) or None,
    "choice": lambda v, n: str(v), "list": _to_list, "graphs": _to_graphs,
}


def check_value(setting: Setting, value: Any) -> Any:
    """The value converted to the setting's kind and checked against its bounds and choices."""
    if value is None and (setting.default is None or setting.kind in ("text", "path")):
        return None
    if value is None and setting.kind in ("list", "graphs"):
        return []
    value = KINDS[setting.kind](value, setting.name)
    if setting.positive and value <= 0:
        raise BadRequest(f"{setting.name} must be positive, got {value}")
    if setting.minimum is not None and value < setting.minimum:
        raise BadRequest(f"{setting.name} must be {setting.minimum:g} or more, got {value}")
    if setting.choices and value not in setting.choices:
        raise BadRequest(f"{setting.name} must be one of {', '.join(setting.choices)}, got {value!r}")
    return value


def normalise(settings: dict[str, Any]) -> dict[str, Any]:
    """Turn values that may arrive as strings (env, files) into the types the code uses."""
    for setting in SETTINGS:
        settings[setting.name] = check_value(setting, settings.get(setting.name, setting.default))
    root = Path(settings["ROOT"]) if settings["ROOT"] else content.default_root()
    settings["ROOT"] = str(root.resolve())
    if not settings["CACHE_DIR"]:
        settings["CACHE_DIR"] = str(content.default_cache_dir(Path(settings["ROOT"])))
    # Sandboxed workers cannot call even allowed endpoints, so an allowlist turns it off by default.
    if settings["QUERY_SANDBOX"] is None:  # on in every mode: SERVICE leaves through query/execution/egress.py
        settings["QUERY_SANDBOX"] = True
    base = settings["PUBLIC_BASE"] or settings["BASE_URL"]
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


def shown_default(setting: Setting) -> str:
    """The default as a reader would write it (JSON for values, words when computed at load)."""
    if setting.shown_default:
        return setting.shown_default
    return "unset" if setting.default is None else json.dumps(setting.default)


def help_text() -> str:
    """``--help-settings``: each setting, its default, environment variable and help."""
    lines = []
    for s in SETTINGS:
        lines.append(f"{s.name} (default: {shown_default(s)}; env {s.env})")
        lines.append(f"    {s.help}")
    return "\n".join(lines) + "\n"


def markdown_table() -> str:
    """docs/settings.md, made from :data:`SETTINGS` (``make settings-doc``)."""
    head = ["# Settings", "",
            "Generated from `src/jichitai_kg/config.py` by `make settings-doc`; do not edit by hand.",
            "", "Settings are applied in layers, a later layer overriding an earlier one:", "",
            "1. the defaults below;",
            "2. a config file, `JICHITAI_KG_CONFIG=/path/settings.py` or `jichitai-kg --config "
            "settings.py`: Python, Flask style (`QUERY_TIMEOUT = 30`);",
            "3. `JICHITAI_KG_<NAME>` environment variables: a value that parses as JSON is used as "
            "that JSON value (`JICHITAI_KG_QUERY_TIMEOUT=2.5` is a number, "
            "`JICHITAI_KG_SERVICE_ALLOWLIST='[\"https://query.wikidata.org/sparql\"]'` a list);",
            "4. command-line options, and `create_app(test_config)` in tests.", "",
            "A name that is not a setting (nor one of Flask's own keys) is an error naming the "
            "closest setting: `JICHITAI_KG_QUERY_TIMOUT=1` stops with \"did you mean QUERY_TIMEOUT?\". "
            "`jichitai-kg settings` prints the values in effect, `jichitai-kg --help-settings` "
            "this table.", "",
            "| setting | type | default | meaning |", "|---|---|---|---|"]
    rows = []
    for s in SETTINGS:
        kind = f"one of {', '.join(s.choices)}" if s.choices else s.kind
        bound = " (> 0)" if s.positive else (f" (≥ {s.minimum:g})" if s.minimum is not None else "")
        rows.append(f"| `{s.name}` | {kind}{bound} | {_cell(shown_default(s))} | {_cell(s.help)} |")
    return "\n".join(head + rows) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;")
