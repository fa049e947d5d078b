"""`zjai show`: print a scenario with its `extends` chain resolved, as a loadable TOML file."""

from __future__ import annotations

from ..levers import LEVERS
from ..scenario import load_scenario


def toml_value(v) -> str:
    """A value as TOML text: inline tables, strings, arrays, whole floats as integers."""
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, str):
        return f'"{v}"'
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, float) and v == int(v):
        return str(int(v))
    return str(v)


def cmd_show(args) -> int:
    sc = load_scenario(args.scenario)
    quote = '"' * 3
    description = sc.description.replace(quote, "'''")
    lines = [f"# zjai show: {sc.files[-1]} with its extends chain resolved", "",
             "[scenario]", f'name = "{sc.name}"',
             f"description = {quote}{description}{quote}",
             f"start = {sc.start}", f"end = {sc.end}",
             f"seed = {sc.seed}", f"replicates = {sc.replicates}", f"scale = {sc.scale}",
             f"# resolved from: {', '.join(sc.files)}", "", "[levers]"]
    for name in LEVERS:
        if name in sc.levers:
            lines.append(f"{name} = {toml_value(sc.levers[name])}")
    for city, values in sc.city_levers.items():
        lines += ["", f"[levers.city.{city}]"]
        lines += [f"{k} = {toml_value(v)}" for k, v in values.items()]
    for table in ("parameters", "initial"):
        values = getattr(sc, table)
        if values:
            lines += ["", f"[{table}]"] + [f"{k} = {v:g}" for k, v in values.items()]
    for ev in sc.events:
        lines += ["", "[[events]]"] + [f"{k} = {toml_value(v)}" for k, v in ev.items()]
    print("\n".join(lines))
    return 0


def add_parser(sub) -> None:
    s = sub.add_parser("show", help="print the fully resolved scenario (after extends)")
    s.add_argument("scenario")
    s.set_defaults(func=cmd_show)
