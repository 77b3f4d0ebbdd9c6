"""``jichitai-kg release``: cut a release of the working data, or list the releases."""

from __future__ import annotations

import argparse

from .common import add_store_arguments


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "release", help="cut a release (semantic version + content hash) or list them",
        description="Write the working data's content (ontology, data, inferred graphs) as "
                    "canonical N-Quads under data/releases/<version>/ with its checksums, the "
                    "triples added and removed since the last release, the changelog, the DCAT "
                    "catalog and CITATION.cff. Every release stays queryable (/v/<version>/sparql, "
                    "--release). See docs/releases.md.")
    p.add_argument("version", nargs="?", help="the new version (default: --bump the latest; first 1.0.0)")
    p.add_argument("--bump", choices=("major", "minor", "patch"), default="minor",
                   help="which part of the latest version to increase (default minor)")
    p.add_argument("--date", help="release date, YYYY-MM-DD (default today)")
    p.add_argument("--list", action="store_true", help="list the releases and exit")
    add_store_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .. import releases
    from .common import settings

    config = settings(args)
    if args.list:
        for r in releases.load(config["ROOT"]):
            print(f"{r.version:10} {r.date}  {r.content_hash[:16]}  {r.quads:>8,} quads  "
                  f"+{r.added:,} −{r.removed:,}")
        return 0
    release = releases.cut(config["ROOT"], config["CACHE_DIR"], version=args.version, bump=args.bump,
                           date=args.date, engine=config.get("REASONING_ENGINE") or "auto")
    print(f"released {release.version} ({release.name}): {release.quads:,} quads, "
          f"+{release.added:,} −{release.removed:,} since {release.previous or 'nothing'}")
    print(f"  data/releases/{release.version}/  (content SHA-256 {release.content_hash})")
    return 0
