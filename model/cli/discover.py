"""`zjai discover`: scenario discovery (PRIM, CART) on a finished sweep (model/discover.py)."""

from __future__ import annotations

from .. import discover


def add_parser(sub) -> None:
    d = sub.add_parser("discover", help="scenario discovery (PRIM, CART) on a finished sweep")
    discover.add_arguments(d)
    d.set_defaults(func=discover.run_cli)
