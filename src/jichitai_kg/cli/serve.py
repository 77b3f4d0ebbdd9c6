"""``jichitai-kg serve``: the SPARQL endpoint and pages behind the HTTP front (granian).

granian parses HTTP in Rust and hands complete requests to the Flask app's threads in
several serving processes, while the query worker processes do the heavy lifting
(``web/front.py``; the choice is measured in docs/deployment.md).
"""

from __future__ import annotations

import argparse
import logging
import sys


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "serve", help="serve the SPARQL endpoint and web pages",
        description="Build (or reuse) the cached store and serve /sparql, / and /healthz with "
                    "the HTTP front (granian). Settings (JICHITAI_KG_* environment variables): "
                    "`jichitai-kg --help-settings` or docs/settings.md.")
    p.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--threads", type=int, default=8,
                   help="threads running the app in each serving process (default 8)")
    p.add_argument("--processes", type=int, default=None,
                   help="serving processes sharing the port (default: SERVE_PROCESSES, "
                        "0 = one per core up to 4; 1 where the platform cannot fork)")
    p.add_argument("--workers", type=int, default=None,
                   help="quick-lane query worker processes in all, shared out among the "
                        "serving processes, at least one each (default: QUERY_WORKERS, 2)")
    p.add_argument("--timeout", type=float, default=None,
                   help="query time limit in seconds (default: QUERY_TIMEOUT, 10)")
    p.add_argument("--graph", action="append", default=[], metavar="IRI=FILE",
                   help="load an extra RDF file into the named graph IRI (repeatable)")
    p.add_argument("--query-endpoint", metavar="URL",
                   help="answer from this remote SPARQL store (filled by `jichitai-kg push`) "
                        "instead of the local one (STORE_QUERY_ENDPOINT)")
    p.add_argument("--grace", type=float, default=None,
                   help="seconds requests in flight get after SIGTERM or SIGINT (default 15); "
                        "a second signal ends the wait at once")
    p.add_argument("--quiet", action="store_true", help="no access log")
    p.set_defaults(func=run)


def overrides(args: argparse.Namespace) -> dict:
    """Command-line options become the last config layer (they win over env and file)."""
    cfg: dict = {}
    if getattr(args, "root", None):
        cfg["ROOT"] = args.root
    if args.workers is not None:
        cfg["QUERY_WORKERS"] = args.workers
    if args.timeout is not None:
        cfg["QUERY_TIMEOUT"] = args.timeout
    if args.query_endpoint:
        cfg["STORE_QUERY_ENDPOINT"] = args.query_endpoint
    if args.graph:
        cfg["EXTRA_GRAPHS"] = list(args.graph)
    return cfg


def run(args: argparse.Namespace) -> int:
    from functools import partial

    from ..config import load_settings
    from ..errors import BadRequest, JKGError
    from ..query.execution import admission
    from ..web import front, prefork
    from ..web.shutdown import DEFAULT_GRACE

    if args.processes is not None and args.processes < 0:
        raise BadRequest(f"--processes must be 0 (one per core) or more, got {args.processes}")

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if args.quiet:
        logging.getLogger("jichitai_kg.access").setLevel(logging.WARNING)
    config_file = getattr(args, "config", None)
    cli_settings = overrides(args)
    settings = load_settings(cli_settings, config_file=config_file)
    processes = args.processes or settings["SERVE_PROCESSES"] or prefork.default_processes()
    try:  # the front binds the port itself; a clear message now rather than its traceback later
        prefork.listen(args.host, args.port).close()
    except OSError as exc:
        raise JKGError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    grace = DEFAULT_GRACE if args.grace is None else args.grace
    per_process = cli_settings | {"EAGER_START": True,
                                  "QUERY_WORKERS": max(1, -(-settings["QUERY_WORKERS"] // processes))}
    prefork.raise_open_files_limit()
    # The store is built (or found) once, in a child, before the serving processes start.
    code = prefork.run_in_child(_reporting_errors(lambda: _build_store(settings)))
    if code:
        return code
    board = prefork.ReadinessBoard(processes)
    # one admission to long work for all serving processes, in memory they share
    admission.SHARED = admission.Admission(settings["LONG_QUERIES"], settings["LONG_QUERIES_PER_CLIENT"])
    server = front.create(args.host, args.port, processes=processes, threads=args.threads,
                          grace=grace, max_header_bytes=settings["MAX_HEADER_BYTES"], board=board)

    def announce() -> None:
        print(f"Serving on http://{args.host}:{args.port}/ (SPARQL: /sparql)"
              + (f" from {processes} processes" if processes > 1 else ""), flush=True)
        if settings["RESULT_CACHE_BYTES"]:
            warm(args.host, args.port, settings["ROOT"])
    return server.serve_app(partial(front.load_app, per_process, config_file, board), announce)


def warm(host: str, port: int, root: str) -> int:
    """Ask the server, as a client would, every competency question that needs no parameter
    (SPARQL JSON results), so their answers are in the cache all serving processes share.
    Returns how many were answered."""
    import urllib.parse
    import urllib.request
    from pathlib import Path

    from ..cq.catalog import load_catalog

    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    base = f"http://{'[' + host + ']' if ':' in host else host}:{port}/sparql?"
    answered = 0
    for question in load_catalog(Path(root) / "queries", strict=False):
        if any(p.required for p in question.params):
            continue
        req = urllib.request.Request(base + urllib.parse.urlencode({"query": question.text}),
                                     headers={"Accept": "application/sparql-results+json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                resp.read()
                answered += 1
        except OSError as exc:  # a question that fails is simply not cached
            logging.getLogger(__name__).warning("warming the cache: %s: %s", question.id, exc)
    return answered


def _build_store(settings: dict) -> int:
    from ..dataset import Dataset

    with Dataset(settings) as dataset:
        dataset.prepare()
    return 0


def _reporting_errors(target):
    """``target`` for a child process: a JKGError becomes the CLI's one line and exit code."""
    from ..errors import JKGError

    def run(*args):
        try:
            return target(*args)
        except JKGError as exc:
            print(f"jichitai-kg serve: {exc.message}", file=sys.stderr, flush=True)
            return exc.exit_code
    return run
