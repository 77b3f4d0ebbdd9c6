"""``jichitai-kg search``: the same search as ``/search``, from the command line."""

from __future__ import annotations

import argparse
import json
import sys

from .common import add_store_arguments


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "search", help="find entities by a Japanese or English word (labels, readings, descriptions)",
        description="Search labels, alternative labels, kana readings and descriptions, ranked as "
                    "/search ranks them: exact label, label prefix, label substring, description; "
                    "ties by kind (government, plan, initiative, other) and label length.")
    p.add_argument("words", nargs="+", metavar="WORDS", help="what to look for (several words: all must occur)")
    p.add_argument("--type", dest="kind", metavar="TYPE",
                   help="only this kind (government, plan, initiative, post, unit, milestone, figure, "
                        "source, concept, other) or class IRI")
    p.add_argument("--government", metavar="IRI", help="only entities of this government")
    p.add_argument("--category", metavar="IRI", help="only entities in this category")
    p.add_argument("--limit", type=int, default=20, help="how many results (default 20)")
    p.add_argument("--lang", choices=("ja", "en"), default="ja", help="language of labels (default ja)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    p.add_argument("--query-endpoint", metavar="URL",
                   help="the dataset lives in this remote SPARQL store (as `serve --query-endpoint`): "
                        "search the index of this checkout's content files, after checking the store "
                        "holds their version (default: STORE_QUERY_ENDPOINT)")
    add_store_arguments(p)
    p.set_defaults(func=run)


def _line(hit: dict, lang: str) -> str:
    extra = [x["label"] for x in (hit["government"], hit["prefecture"]) if x and x["iri"] != hit["iri"]]
    kind = hit["types"][0]["label"] if hit["types"] else hit["kind"]
    where = f" [{' / '.join(extra)}]" if extra else ""
    return f"{hit['score']:5.0f}  {hit['label'][lang]}  ({kind}){where}\n       {hit['iri']}\n       {hit['snippet']}"


def run(args: argparse.Namespace) -> int:
    from ..errors import BadRequest, Unavailable
    from ..search import MAX_QUERY_CHARS, SearchIndex
    from ..search.present import results_dict
    from ..store.text_index import content_index, ensure_index
    from .common import open_dataset

    query = " ".join(args.words).strip()
    if not query or len(query) > MAX_QUERY_CHARS:
        raise BadRequest(f"give 1 to {MAX_QUERY_CHARS} characters to search for")
    extra = {"STORE_QUERY_ENDPOINT": args.query_endpoint} if args.query_endpoint else {}
    with open_dataset(args, **extra) as dataset:
        store_path = dataset.prepare()  # remote: connects and checks the store's version
        if store_path is not None:
            index = SearchIndex(ensure_index(store_path))
        elif dataset.remote:  # as /search: the index of the content files the store was pushed from
            index = SearchIndex(content_index(dataset.inputs, dataset.cache_dir))
        else:
            raise Unavailable("search needs a local or a remote store", headers={})
    results = index.search(query, kind=args.kind, government=args.government, category=args.category,
                           limit=max(1, args.limit))
    data = results_dict(results, index, args.lang, lambda iri: iri)
    if args.format == "json":
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    print(f"{data['total']} results for {query!r}")
    for hit in data["results"]:
        print(_line(hit, args.lang))
    return 0
