"""``jichitai-kg push``: load the built dataset into a remote SPARQL 1.1 store.

Builds (or reuses) the cached store, then replaces the remote copy of each of its
named graphs, checks the remote sizes and records the dataset version in the
store's metadata graph, which ``serve --query-endpoint`` checks at start.
"""

from __future__ import annotations

import argparse

from .common import add_store_arguments


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "push", help="load the built dataset into a remote SPARQL store",
        description="Replace the ontology, data and inferred graphs (and --graph extras) in a "
                    "remote SPARQL 1.1 store, each graph on its own: with the Graph Store "
                    "Protocol (PUT) when --gsp-endpoint is given, else SPARQL Update in chunks. "
                    "Idempotent; verifies the remote triple counts; writes the dataset version "
                    "into the metadata graph.")
    p.add_argument("--query-endpoint", required=True, help="the store's SPARQL query URL")
    p.add_argument("--update-endpoint", required=True, help="the store's SPARQL Update URL")
    p.add_argument("--gsp-endpoint", help="the store's Graph Store Protocol URL (optional)")
    p.add_argument("--user", help="user name for the store (Basic or Digest authentication)")
    p.add_argument("--password-env", default="JICHITAI_KG_STORE_PASSWORD", metavar="VAR",
                   help="environment variable holding the password "
                        "(default JICHITAI_KG_STORE_PASSWORD)")
    p.add_argument("--chunk", type=int, default=1000,
                   help="triples per SPARQL Update request (default 1000; Virtuoso's parser runs out of memory near 5000)")
    p.add_argument("--http-timeout", type=float, default=120.0,
                   help="seconds allowed per request to the store (default 120)")
    add_store_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..dataset import Dataset
    from ..errors import BadRequest, PushError
    from ..remote.http import Credentials, RemoteError
    from ..remote.push import PushTarget, push
    from .common import settings

    if args.chunk <= 0 or args.http_timeout <= 0:
        raise BadRequest("--chunk and --http-timeout must be positive")
    credentials = Credentials.from_env(args.user, args.password_env)
    target = PushTarget(query_endpoint=args.query_endpoint, update_endpoint=args.update_endpoint,
                        gsp_endpoint=args.gsp_endpoint, credentials=credentials,
                        timeout=args.http_timeout, chunk_triples=args.chunk)
    # What is pushed is always the local build, even where the settings serve a remote store.
    with Dataset(dict(settings(args), STORE_QUERY_ENDPOINT=None)) as dataset:
        store = dataset.open_store()
        version = dataset.version
        assert version is not None  # prepared by open_store
        try:
            report = push(store, version, target, log=lambda line: print(f"  {line}", flush=True))
        except (PushError, RemoteError) as exc:
            raise PushError(f"failed, the store does not hold a complete dataset: {exc}") from None
        finally:
            del store
    total = sum(report.triples.values())
    print(f"pushed version {report.version}: {total} triples in {len(report.triples)} graphs "
          f"via {report.method}, {report.requests} requests, {report.seconds:.1f} s; "
          "remote counts match")
    return 0
