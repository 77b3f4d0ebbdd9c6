"""``jichitai-kg cq``: list, show and run the competency questions from a terminal.

The questions are the same ``queries/<id>.rq`` files the web catalog serves,
run on the same executor as ``jichitai-kg query`` (same time limit).  Exit
status: 0 ok, 2 unknown question or bad parameter (the message lists the valid
values), 3 refused, 4 timeout, 1 other failure.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .common import add_query_arguments
from .query import FORMATS as QUERY_FORMATS

#: Answers of questions are solutions: the SPARQL results formats.
FORMATS = {name: QUERY_FORMATS[name] for name in ("json", "xml", "csv", "tsv")}


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "cq", help="competency questions: list, show or run them",
        description="The catalog of competency questions (queries/<id>.rq).")
    sub = p.add_subparsers(dest="cq_command", metavar="ACTION")
    sub.required = True

    ls = sub.add_parser("list", help="list the questions")
    ls.add_argument("--lang", choices=("ja", "en"), default="ja", help="language of the titles")
    ls.set_defaults(func=cmd_list)

    show = sub.add_parser("show", help="show a question's metadata and SPARQL")
    show.add_argument("id")
    show.add_argument("--lang", choices=("ja", "en"), default="ja")
    show.set_defaults(func=cmd_show)

    run = sub.add_parser("run", help="run a question and print its answer")
    run.add_argument("id")
    run.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                     help="a parameter value (repeatable); a government may be given as its "
                          "IRI, slug or 団体コード")
    run.add_argument("--lang", default="ja", help="language of the labels: ja (default) or en")
    run.add_argument("--format", choices=["table", *FORMATS], default="table",
                     help="output format (json: SPARQL 1.1 JSON results)")
    add_query_arguments(run)
    run.set_defaults(func=cmd_run, graph=[])


def _catalog(args):
    from .. import cq
    from .common import settings

    cfg = settings(args)
    return cq.load_catalog(Path(cfg["ROOT"]) / "queries", strict=False)


def cmd_list(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    width = max(len(q.id) for q in catalog)
    for q in catalog:
        print(f"{q.id.ljust(width)}  {q.localized('title', args.lang)}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    q = _catalog(args).get(args.id)
    print(f"id:       {q.id}")
    print(f"title:    {q.localized('title', args.lang)}")
    print(f"question: {q.localized('question', args.lang)}")
    if q.description:
        print(f"description: {q.localized('description', args.lang)}")
    for p in q.params:
        print(f"param:    {p.name} ({p.type}, {'required' if p.required else 'optional'}): "
              f"{p.description}")
    print(f"columns:  {' '.join(q.columns)}")
    print(f"file:     {q.path}")
    print()
    sys.stdout.write(q.text if q.text.endswith("\n") else q.text + "\n")
    return 0


def _params(pairs: list[str]) -> dict[str, str]:
    from ..errors import BadRequest

    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise BadRequest(f"--param {pair!r} must look like name=value")
        out[name.strip()] = value.strip()
    return out


def cmd_run(args: argparse.Namespace) -> int:
    from .. import cq
    from ..errors import QueryFailed, QuerySyntaxError
    from .common import open_dataset
    from .query import table, write_output

    q = _catalog(args).get(args.id)
    raw = _params(args.param)
    lang = cq.check_lang(args.lang)
    # Everything that needs no store is checked first, so a typo fails fast.
    needs_governments = any(p.type == "government" for p in q.params)
    binding = None if needs_governments else cq.bind(q, raw, lang=lang)
    media_type = FORMATS["json"] if args.format == "table" else FORMATS[args.format]
    with open_dataset(args) as dataset:
        graphs = dataset.protocol_dataset(not args.no_inference)
        if binding is None:
            catalog = cq.load_catalog(dataset.queries_dir, strict=False)
            binding = cq.bind(q, raw, lang=lang, governments=lambda: cq.governments_from_runner(
                dataset.runner(infer=not args.no_inference), catalog))
        try:
            outcome = cq.run(dataset.executor, q, binding, result_format=media_type, dataset=graphs)
        except QuerySyntaxError as exc:  # the file is ours, not the user's: not a usage error
            raise QueryFailed(f"the query file {q.path} does not parse: {exc.message}") from None
    if args.format == "table":
        write_output(table(_contract_columns(outcome.body, q)))
    else:
        write_output(outcome.body.decode("utf-8"))
    return 0


def _contract_columns(body: bytes, q) -> bytes:
    """For the human-readable table only: drop the parameter columns pyoxigraph makes us project."""
    data = json.loads(body)
    hidden = {"lang"} | {p.var for p in q.params}
    keep = [v for v in data["head"]["vars"] if v in q.columns or v not in hidden]
    data["head"]["vars"] = keep
    return json.dumps(data).encode()
