"""``jichitai-kg export``: write the dataset as one RDF file (the same dumps the server offers).

Exports from the prepared store, so what is written is exactly what the endpoint serves;
the store is built first when the inputs changed.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

from .common import add_store_arguments

#: ``--format`` values (the dump formats of ``linked_data.dumps``).
FORMATS = ("turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "export", help="write the dataset as Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML",
        description="Write the served dataset to a file or stdout. Turtle, N-Triples, JSON-LD and "
                    "RDF/XML hold the union of the named graphs; N-Quads and TriG keep them "
                    "(ontology, data, inferred). JSON-LD uses the published context "
                    "(/context.jsonld), embedded so the file loads offline.")
    p.add_argument("--format", "-f", choices=list(FORMATS), default="turtle",
                   help="output format (default: turtle)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--with-inferences", dest="inferences", action="store_true", default=True,
                       help="include the OWL 2 RL inferred graph (default)")
    group.add_argument("--asserted", dest="inferences", action="store_false",
                       help="only the ontology and the asserted data")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write here instead of stdout; a name ending in .gz is gzip-compressed")
    add_store_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import JKGError
    from ..linked_data import dumps
    from .common import open_dataset

    with open_dataset(args) as dataset:
        ox_store = dataset.open_store()
        try:
            data = dumps.export(ox_store, args.format, inferences=args.inferences)
        finally:
            del ox_store
    if args.output:
        out = Path(args.output)
        if out.suffix == ".gz":
            data = gzip.compress(data, mtime=0)
        try:
            out.write_bytes(data)
        except OSError as exc:
            raise JKGError(f"cannot write {out}: {exc.strerror}") from None
        print(f"wrote {out} ({len(data)} bytes, {args.format}, "
              f"{'with inferences' if args.inferences else 'asserted only'})", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0
