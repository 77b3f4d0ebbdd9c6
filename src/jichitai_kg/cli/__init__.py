"""The ``jichitai-kg`` command.

Each sub-command lives in its own module of this package and exposes
``register(subparsers)``; this module only assembles them.
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: Modules that contribute sub-commands, in the order ``--help`` lists them.
COMMAND_MODULES = (
    "serve",
    "query",
    "cq",
    "build",
    "validate",
    "export",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jichitai-kg",
        description="Knowledge graph of ICT adoption in Japanese local governments: "
        "build, validate, query and serve it.",
    )
    parser.add_argument("--root", help="project root holding ontology/, data/ and queries/ "
                        "(default: the checkout this package is installed from)")
    parser.add_argument("--config", help="path to a config file (Python, Flask style)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:  # a command not written yet
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
