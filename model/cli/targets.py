"""`zjai targets`: the table of the plan's 2022 targets and 2030 vision."""

from __future__ import annotations

from rich.table import Table

from ..reports import fmt
from ..targets import load_targets
from .common import console


def cmd_targets(args) -> int:
    t = Table(title="Targets (scenarios/targets.toml)")
    for col in ("indicator", "year", "value", "section", "text"):
        t.add_column(col, overflow="fold")
    for tg in load_targets(args.targets):
        t.add_row(tg.indicator, str(tg.year), fmt(tg.value), tg.section, tg.text)
    console.print(t)
    return 0


def add_parser(sub) -> None:
    tg = sub.add_parser("targets", help="table of the 2022 targets and the 2030 vision")
    tg.add_argument("--targets", help="targets file (default: scenarios/targets.toml)")
    tg.set_defaults(func=cmd_targets)
