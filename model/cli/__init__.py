"""The `zjai` command line: run | compare | sweep | analyze | discover | appraise | optimize |
calibrate | validate | decompose | ui | show | levers | targets, one module each.

User errors (bad scenario files, bad options) print one line naming the file, key and
what was expected, and exit with code 2; nothing is written to the output folder
(`common.call`, `common.Parser`). Options shared by several commands are declared once in
`common.OPTIONS`.
"""

from __future__ import annotations

import argparse

from .. import __version__
from . import (
    analyze,
    appraise,
    calibrate,
    compare,
    decompose,
    discover,
    levers,
    optimize,
    run,
    show,
    sweep,
    targets,
    ui,
    validate,
)
from .common import Parser, UsageError, call

__all__ = ["COMMANDS", "UsageError", "build_parser", "main"]

# subcommand modules in the order `zjai --help` lists them
COMMANDS = (run, compare, sweep, analyze, discover, appraise, optimize, calibrate, validate,
            decompose, ui, show, levers, targets)


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="zjai", description="Agent-based model of Zhejiang's AI "
               "industry under the 2017 New Generation AI Development Plan.")
    p.add_argument("--version", action="version", version=f"zjai {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)
    for command in COMMANDS:
        command.add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return call(args.func, args)
    except BrokenPipeError:           # `zjai show X | head`: the reader left; not an error
        import os
        import sys

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
