"""``jichitai-kg settings`` (the values in effect) and ``jichitai-kg --help-settings``."""

from __future__ import annotations

import argparse
import json
import sys


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "settings", help="print every setting's value in effect (defaults, config file, environment)",
        description="Print each setting with the value it has after the config file and the "
                    "JICHITAI_KG_* environment variables are applied; a misspelled name fails.")
    p.add_argument("--markdown", action="store_true",
                   help="print the settings table of docs/settings.md instead")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .. import config
    from .common import settings

    if args.markdown:
        sys.stdout.write(config.markdown_table())
        return 0
    values = settings(args)
    for s in config.SETTINGS:
        print(f"{s.name} = {json.dumps(values[s.name], ensure_ascii=False)}")
    return 0


class HelpSettings(argparse.Action):
    """``--help-settings``: print every setting (default, environment variable, help) and exit."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from ..config import help_text

        sys.stdout.write(help_text())
        parser.exit()
