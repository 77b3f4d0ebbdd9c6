"""``jichitai-kg publish-site DIR``: the linked-data site as static files with conneg rules."""

from __future__ import annotations

import argparse

from .common import add_store_arguments


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "publish-site", help="write the linked-data site as static files (with Apache conneg rules)",
        description="Write every resource as HTML (ja, en), Turtle, JSON-LD, N-Triples and RDF/XML, the "
                    "ontology documentation, VoID, the service description of the live endpoint, the "
                    "dumps and the releases into DIR, with an .htaccess that negotiates (303 See Other) "
                    "and w3id/.htaccess, the redirect to submit to w3id.org. See docs/linked-data.md.")
    p.add_argument("directory", metavar="DIR", help="an empty folder, or one holding an earlier site")
    p.add_argument("--service", required=True, metavar="URL",
                   help="the live service (root URL) that answers queries, questions and search")
    p.add_argument("--site", metavar="URL", help="where the static site will be hosted (for the w3id rules)")
    p.add_argument("--base-path", default="/", help="the site's path on its host (default /)")
    p.add_argument("--sample", type=int, metavar="N",
                   help="only the first N resources of each kind (a quick, self-consistent partial site)")
    p.add_argument("--include", action="append", default=[], metavar="PATH",
                   help="with --sample, also this resource (gov/kamakura; repeatable)")
    add_store_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import time

    from ..web import create_app
    from ..web.publish import publish_site
    from ..web.state import get_dataset
    from .common import settings

    started = time.perf_counter()
    app = create_app(settings(args, QUERY_WORKERS=2, LONG_QUERY_WORKERS=0, EAGER_START=False))
    try:
        report = publish_site(app, args.directory, service=args.service, site=args.site,
                              sample=args.sample, include=tuple(args.include), base_path=args.base_path)
    finally:
        get_dataset(app).close()
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(report.kinds.items()))
    print(f"published {report.resources} resources ({kinds}) as {report.files} files in {report.root} "
          f"in {time.perf_counter() - started:.1f} s" + (f"; {report.left_out} left out (--sample)" if report.left_out else ""))
    return 0
