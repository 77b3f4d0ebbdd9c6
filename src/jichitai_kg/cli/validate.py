"""``jichitai-kg validate``: every check a curator needs before committing data.

Exit status 0 only when the Turtle parses, SHACL passes, the OWL-RL closure is
consistent and every ``queries/checks/*-violation.rq`` returns no rows.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import ENGINE_CHOICES


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "validate", help="check syntax, SHACL shapes, consistency and violation queries",
        description="Parse every Turtle file (errors name FILE:LINE), validate the data against "
                    "ontology/shapes/shapes.ttl, reason to find inconsistencies, and run "
                    "queries/checks/*-violation.rq (each must return no rows).")
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
        print(f"OK: syntax, SHACL, consistency and {checks} violation check(s) passed")
        return 0
    print(format_report(report))
    counts = (f"{len(report.syntax_errors)} syntax error(s), {len(report.shacl)} SHACL violation(s), "
              f"{len(report.inconsistencies)} inconsistenc(ies), "
              f"{sum(1 for c in report.checks if not c.passed)} failing check(s)")
    print(f"FAILED: {counts}", file=sys.stderr)
    return 1
