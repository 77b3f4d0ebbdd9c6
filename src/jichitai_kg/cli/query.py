"""``jichitai-kg query``: run one SPARQL query against the built store, no server needed.

Uses the same executor as the server (a worker process), so the time limit is
the same hard limit, and the same SERVICE/update refusals apply.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

from .common import add_query_arguments

FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "query", help="run a SPARQL query (text or .rq file) and print the result",
        description="Run a SPARQL query against the dataset (built and cached on first use). "
                    "Exit status: 0 ok, 2 syntax error or bad arguments, 3 refused, "
                    "4 timeout, 1 other failure.")
    p.add_argument("query", metavar="SPARQL|FILE", help="query text, a .rq file, or - for stdin")
    p.add_argument("--format", choices=["table", *FORMATS], default="table",
                   help="output format (default: an aligned table; CONSTRUCT/DESCRIBE: turtle)")
    add_query_arguments(p)
    p.add_argument("--graph", action="append", default=[], metavar="IRI=FILE",
                   help="also load an RDF file into the named graph IRI (repeatable)")
    p.set_defaults(func=run)


def read_query(arg: str) -> str:
    """Query text, a file, or stdin: a short one-line argument naming a file (or .rq) is a file."""
    if arg == "-":
        return sys.stdin.read()
    looks_like_path = len(arg) < 1024 and "\n" not in arg and "{" not in arg
    if looks_like_path and (arg.endswith((".rq", ".sparql")) or Path(arg).is_file()):
        return Path(arg).read_text(encoding="utf-8")
    return arg


def table(body: bytes) -> str:
    """An aligned text table from SPARQL JSON results (IRIs and literals as plain values)."""
    data = json.loads(body)
    if "boolean" in data:
        return "true" if data["boolean"] else "false"
    names = data["head"]["vars"]
    rows = []
    for b in data["results"]["bindings"]:
        row = []
        for v in names:
            term = b.get(v)
            if term is None:
                row.append("")
            elif term["type"] == "uri":
                row.append(f"<{term['value']}>")
            elif term["type"] == "bnode":
                row.append(f"_:{term['value']}")
            elif "xml:lang" in term:
                row.append(f"{term['value']}@{term['xml:lang']}")
            else:
                row.append(term["value"])
        rows.append(row)
    widths = [max([_width(n)] + [_width(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = [_pad(names, widths), "  ".join("-" * w for w in widths)]
    lines += [_pad(r, widths) for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines)


def _width(text: str) -> int:
    """Display width: CJK full-width characters take two terminal columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(cells, widths) -> str:
    return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True))


def run(args: argparse.Namespace) -> int:
    from ..errors import BadRequest, QuerySyntaxError
    from ..query.rules import guard, syntax_errors
    from .common import open_dataset

    try:
        text = read_query(args.query)
    except OSError as exc:
        raise BadRequest(f"cannot read {args.query}: {exc.strerror}") from None
    info = guard.sniff(text)
    is_graph = info.form in ("CONSTRUCT", "DESCRIBE")
    fmt = args.format
    if fmt == "table":
        fmt = "turtle" if is_graph else "table"
    if is_graph and fmt not in GRAPH_FORMATS:
        raise BadRequest(f"a {info.form} result cannot be printed as {fmt}; "
                         f"use one of {', '.join(GRAPH_FORMATS)}")
    if not is_graph and fmt in GRAPH_FORMATS:
        raise BadRequest(f"a {info.form or 'SELECT'} result cannot be printed as {fmt}; "
                         "use table, json, xml, csv or tsv")
    media_type = FORMATS["json"] if fmt == "table" else FORMATS[fmt]
    with open_dataset(args) as dataset:
        try:
            outcome = dataset.executor.run(text, result_format=media_type,
                                           **dataset.protocol_dataset(not args.no_inference))
        except QuerySyntaxError as exc:  # the sentence the endpoint gives, with its position
            raise syntax_errors.rewrite(exc, text) from None
    write_output(table(outcome.body) if fmt == "table" else outcome.body.decode("utf-8"))
    return 0


def write_output(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
