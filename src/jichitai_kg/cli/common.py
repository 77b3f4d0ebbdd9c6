"""What every sub-command shares: the server's layered configuration, and a query executor
on the prepared store.

The CLI must answer exactly as the server would (same root, cache, reasoning
engine, time limit and result cap), so it reads the same layers without
creating a Flask app.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from pathlib import Path


def add_store_arguments(parser: argparse.ArgumentParser) -> None:
    """``--cache-dir`` and ``--graph``, for the commands that build or read the store."""
    parser.add_argument("--cache-dir", help="where stores are kept (default: CACHE_DIR, <root>/.cache)")
    parser.add_argument("--graph", action="append", default=[], metavar="IRI=FILE",
                        help="load an extra RDF file into the named graph IRI (repeatable)")


def settings(args: argparse.Namespace) -> dict:
    """Defaults, config file, ``JICHITAI_KG_*`` environment, then command-line overrides."""
    from flask import Config

    from .. import config as config_mod
    from ..config import parse_graph_spec

    cfg = Config(os.getcwd())
    cfg.from_mapping(config_mod.defaults())
    config_file = getattr(args, "config", None) or os.environ.get(config_mod.CONFIG_ENV_VAR)
    if config_file:
        cfg.from_pyfile(os.path.abspath(config_file))
    cfg.from_prefixed_env(config_mod.ENV_PREFIX)
    if getattr(args, "root", None):
        cfg["ROOT"] = args.root
        cfg["CACHE_DIR"] = None
    if getattr(args, "cache_dir", None):
        cfg["CACHE_DIR"] = args.cache_dir
    if getattr(args, "timeout", None) is not None:
        cfg["QUERY_TIMEOUT"] = args.timeout
    if getattr(args, "graph", None):
        cfg["EXTRA_GRAPHS"] = [parse_graph_spec(g) if isinstance(g, str) else tuple(g) for g in args.graph]
    config_mod.normalise(cfg)
    return dict(cfg)


def inputs(cfg: dict):
    from ..store import Inputs

    return Inputs.from_root(Path(cfg["ROOT"]), extra_graphs=cfg["EXTRA_GRAPHS"])


def prepared_store(cfg: dict, **kwargs) -> Path:
    """The store for these settings, built with the configured reasoning engine if needed."""
    from ..store import prepare

    kwargs.setdefault("engine", cfg.get("REASONING_ENGINE") or "auto")
    return prepare(inputs(cfg), Path(cfg["CACHE_DIR"]), **kwargs)


@contextlib.contextmanager
def executor(cfg: dict, *, no_inference: bool = False):
    """A one-worker executor on the prepared store, and the dataset keywords for ``run``."""
    from ..app import asserted_graphs, graph_counts
    from ..executor import QueryExecutor

    with QueryExecutor(prepared_store(cfg), workers=1, timeout=cfg["QUERY_TIMEOUT"],
                       max_result_bytes=cfg["MAX_RESULT_BYTES"],
                       service_allowlist=cfg["SERVICE_ALLOWLIST"]) as ex:
        dataset = {}
        if no_inference:
            graphs = asserted_graphs(graph_counts(ex, cfg["ROOT"]))
            dataset = {"default_graph": graphs, "named_graphs": graphs}
        yield ex, dataset


def query_failure(exc: Exception) -> tuple[int, str]:
    """Exit status and message for an executor error (documented in the README)."""
    from ..executor import ForbiddenOperation, QuerySyntaxError, QueryTimeout

    if isinstance(exc, QuerySyntaxError):
        return 2, f"Query syntax error: {exc}"
    if isinstance(exc, ForbiddenOperation):
        return 3, f"Refused: {exc}"
    if isinstance(exc, QueryTimeout):
        return 4, f"Timeout: {exc}"
    return 1, f"Query failed: {exc}"
