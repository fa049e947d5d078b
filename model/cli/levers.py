"""`zjai levers`: the table of the plan's policy levers (model.levers.LEVERS)."""

from __future__ import annotations

from rich.table import Table

from ..levers import LEVERS
from .common import console


def cmd_levers(args) -> int:
    t = Table(title="Policy levers (model.levers.LEVERS)")
    for col in ("lever", "unit", "default", "range", "section", "spatial", "meaning"):
        t.add_column(col, overflow="fold")
    for lv in LEVERS.values():
        t.add_row(lv.name, lv.unit, f"{lv.default:g}", f"{lv.low:g}-{lv.high:g}", lv.section,
                  lv.spatial, lv.meaning)
    console.print(t)
    return 0


def add_parser(sub) -> None:
    lv = sub.add_parser("levers", help="table of the plan's levers")
    lv.set_defaults(func=cmd_levers)
