"""What the sub-commands share: the settings (the server's layers plus command-line options),
and the dataset they open, so the CLI answers exactly as the server would."""

from __future__ import annotations

import argparse
from typing import Any


def add_store_arguments(parser: argparse.ArgumentParser) -> None:
    """``--cache-dir`` and ``--graph``, for the commands that build or read the store."""
    parser.add_argument("--cache-dir", help="where stores are kept (default: CACHE_DIR, <root>/.cache)")
    parser.add_argument("--graph", action="append", default=[], metavar="IRI=FILE",
                        help="load an extra RDF file into the named graph IRI (repeatable)")


def add_query_arguments(parser: argparse.ArgumentParser) -> None:
    """``--no-inference`` and ``--timeout``, for the commands that run a query."""
    parser.add_argument("--no-inference", action="store_true",
                        help="query asserted triples only (leave the inferred graph out)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="time limit in seconds (default: QUERY_TIMEOUT, 10)")
    parser.add_argument("--release", metavar="VERSION",
                        help="ask a release of the dataset (1.2.0, latest) instead of the working data")


def settings(args: argparse.Namespace, **extra: Any) -> dict[str, Any]:
    """Defaults, config file, ``JICHITAI_KG_*`` environment, then the command-line options."""
    from ..config import load_settings

    overrides: dict[str, Any] = dict(extra)
    if getattr(args, "root", None):
        overrides["ROOT"] = args.root
        overrides["CACHE_DIR"] = None
    if getattr(args, "cache_dir", None):
        overrides["CACHE_DIR"] = args.cache_dir
    if getattr(args, "timeout", None) is not None:
        overrides["QUERY_TIMEOUT"] = args.timeout
    if getattr(args, "graph", None):
        overrides["EXTRA_GRAPHS"] = args.graph
    return load_settings(overrides, config_file=getattr(args, "config", None))


def open_dataset(args: argparse.Namespace, **extra: Any):
    """A :class:`~jichitai_kg.dataset.Dataset` answering in this process (a context manager)."""
    from ..dataset import Dataset

    return Dataset(settings(args, **extra), inline=True, release=getattr(args, "release", None))
