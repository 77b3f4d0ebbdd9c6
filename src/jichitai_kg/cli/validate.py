"""``jichitai-kg validate``: every check a curator needs before committing data.

Exit status 0 only when the Turtle parses, SHACL passes, the OWL-RL closure is
consistent, every ``queries/checks/*-violation.rq`` returns no rows and every use of a
standard property respects the domain and range its own ontology (``ontology/imports/``) declares.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import ENGINE_CHOICES


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "validate", help="check syntax, SHACL shapes, consistency, violation queries and standard terms",
        description="Parse every Turtle file (errors name FILE:LINE), validate the data against "
                    "ontology/shapes/shapes.ttl, reason to find inconsistencies, and run "
                    "queries/checks/*-violation.rq (each must return no rows), and check every use of a "
                    "standard vocabulary's property against the domain and range declared by the "
                    "standard's own ontology in ontology/imports/.")
    p.add_argument("--engine", choices=ENGINE_CHOICES, default="auto",
                   help="reasoning engine for the consistency check (default auto: native, or owlrl "
                        "when the data needs it; owlrl is the reference)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..content import default_root
    from ..validation import format_report, validate

    root = Path(args.root) if getattr(args, "root", None) else default_root()
    report = validate(root, engine=args.engine)
    if report.ok:
        checks = len(report.checks)
        print(f"OK: syntax, SHACL, consistency, {checks} violation check(s) and the domain/range of "
              f"standard terms ({report.standard_imports} standard ontologies) passed")
        return 0
    print(format_report(report))
    counts = (f"{len(report.syntax_errors)} syntax error(s), {len(report.shacl)} SHACL violation(s), "
              f"{len(report.inconsistencies)} inconsistenc(ies), "
              f"{sum(1 for c in report.checks if not c.passed)} failing check(s), "
              f"{len(report.standard_terms)} misused standard term(s)")
    print(f"FAILED: {counts}", file=sys.stderr)
    return 1
