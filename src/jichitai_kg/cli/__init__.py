"""The ``jichitai-kg`` command.

Each sub-command lives in its own module and exposes ``register(subparsers)``; the
modules import only the standard library at the top, so ``--help`` is quick, and load
the rest when they run.  Every failure is a :class:`~jichitai_kg.errors.JKGError`:
its message goes to stderr and its ``exit_code`` is the exit status (1 failure,
2 bad input, 3 refused, 4 timeout or unavailable).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading

from . import build, cq, export, publish, push, query, release, search, serve, settings, validate

#: Sub-command modules, in the order ``--help`` lists them.
COMMANDS = (serve, query, cq, search, build, validate, export, push, release, publish, settings)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jichitai-kg",
        description="Knowledge graph of ICT adoption in Japanese local governments: "
        "build, validate, query and serve it.")
    parser.add_argument("--root", help="folder holding ontology/, data/ and queries/ "
                        "(default: the installed content, or the checkout in an editable install)")
    parser.add_argument("--config", help="path to a config file (Python, Flask style)")
    parser.add_argument("--help-settings", action=settings.HelpSettings,
                        help="list every setting (default, environment variable, meaning) and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from ..errors import JKGError

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except JKGError as exc:
        print(f"jichitai-kg {args.command}: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


def run() -> None:
    """The console script: :func:`main`, then exit, ending a query left running past its limit."""
    code = main()
    from ..query.execution.inline import THREAD_NAME

    if any(t.name == THREAD_NAME and t.is_alive() for t in threading.enumerate()):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)  # the abandoned evaluation (query/execution/inline.py) ends with the process
    sys.exit(code)


if __name__ == "__main__":
    run()
