"""``jichitai-kg serve``: the SPARQL endpoint and pages under waitress.

Waitress (threads) rather than Flask's development server: several requests
are served at once while the query worker processes do the heavy lifting.
"""

from __future__ import annotations

import argparse
import logging
import sys


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "serve", help="serve the SPARQL endpoint and web pages",
        description="Build (or reuse) the cached store and serve /sparql, / and /healthz with "
                    "waitress. Configuration: see README (JICHITAI_KG_* environment variables).")
    p.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--threads", type=int, default=8,
                   help="waitress threads per serving process (default 8)")
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
                   help="seconds requests in flight get after SIGTERM (default 15)")
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
    from ..config import load_settings
    from ..errors import BadRequest, JKGError
    from ..web import prefork
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
    if processes > 1 and not prefork.can_fork():
        logging.getLogger(__name__).warning("this platform cannot fork: serving from one process")
        processes = 1
    try:
        sock = prefork.listen(args.host, args.port)
    except OSError as exc:
        raise JKGError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    grace = DEFAULT_GRACE if args.grace is None else args.grace
    per_process = cli_settings | {"QUERY_WORKERS": max(1, -(-settings["QUERY_WORKERS"] // processes))}

    def serve_one(ready=lambda: None) -> int:
        return _serve_socket(sock, args, per_process, config_file, grace, ready)

    def announce() -> None:
        print(f"Serving on http://{args.host}:{args.port}/ (SPARQL: /sparql)"
              + (f" from {processes} processes" if processes > 1 else ""), flush=True)
    if processes == 1:
        return serve_one(announce)
    # The store is built (or found) once, in a child, before the serving processes start.
    code = prefork.run_in_child(_reporting_errors(lambda: _build_store(settings)))
    if code:
        return code
    return prefork.Supervisor(_reporting_errors(serve_one), processes, grace=grace,
                              listener=sock).run(announce)


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


def _serve_socket(sock, args: argparse.Namespace, settings: dict, config_file: str | None,
                  grace: float, ready) -> int:
    """One serving process: the app (its query workers start now) under waitress, until a signal."""
    import waitress

    from ..web import create_app
    from ..web.shutdown import GracefulServer
    from ..web.state import get_dataset

    app = create_app(settings, config_file=config_file)
    server = waitress.create_server(app, sockets=[sock],
                                    **server_settings(args, app.config["MAX_REQUEST_BYTES"]))
    ready()
    GracefulServer(server, grace=grace, on_stop=get_dataset(app).close).serve()
    return 0


def server_settings(args: argparse.Namespace, max_request_bytes: int) -> dict:
    """waitress settings (README, "Limits and security").

    Many slow or half-sent connections must not lock others out: up to ``connection_limit``
    connections are served (poll(), not select(), so more than 1,024 sockets work) and a
    connection idle for ``channel_timeout`` seconds is closed.  Headers may be as long as a
    query in the URL may be, so an over-long URL gets the endpoint's 414, not waitress's 431.
    """
    return {"threads": args.threads, "ident": "jichitai-kg", "connection_limit": 1000,
            "channel_timeout": 30, "cleanup_interval": 10, "asyncore_use_poll": True,
            "max_request_body_size": max_request_bytes + 1,
            "max_request_header_size": max_request_bytes + 64 * 1024}
