"""`zjai show`: print a scenario with its `extends` chain resolved, as a loadable TOML file.

Written by `tomli_w`, so every value round-trips exactly (floats in full precision, quotes
and backslashes in names and descriptions escaped): running the printed file gives the
same trajectories as running the scenario.
"""

from __future__ import annotations

import tomli_w

from ..levers import LEVERS
from ..scenario import load_scenario
from ..toml_text import lever_value


def _in_run(spec, end: int):
    """A lever value without schedule years after the run's `end` (they never act; a
    schedule holds its first value before its first year, so one lying wholly after the end
    is that value throughout the run)."""
    if not isinstance(spec, dict):
        return spec
    kept = {y: v for y, v in spec.items() if y <= end}
    return kept or spec[min(spec)]


def resolved_text(sc) -> str:
    """The scenario after `extends` as a TOML document that runs the same (no extends).
    Schedule years and events after the scenario's end, inherited by a run cut short, are
    left out: they never act, and the printed file would be refused with them."""
    head = {"scenario": {"name": sc.name, "description": sc.description, "start": sc.start,
                         "end": sc.end, "seed": sc.seed, "replicates": sc.replicates,
                         "scale": sc.scale}}
    parts = [tomli_w.dumps(head, multiline_strings=True), "[levers]"]
    parts += [f"{name} = {lever_value(_in_run(sc.levers[name], sc.end))}" for name in LEVERS
              if name in sc.levers]
    for city, values in sc.city_levers.items():
        parts += ["", f"[levers.city.{tomli_w.dumps({city: 0}).split(' = ')[0]}]"]
        parts += [f"{k} = {lever_value(_in_run(v, sc.end))}" for k, v in values.items()]
    rest = {table: {k: float(v) for k, v in getattr(sc, table).items()}
            for table in ("parameters", "initial") if getattr(sc, table)}
    if sc.posterior is not None:       # the same draws: the file, and what it does not set
        rest["posterior"] = {"file": sc.posterior.path, "fixed": sorted(sc.posterior.fixed)}
    events = [dict(ev) for ev in sc.events if ev["start"] <= sc.end]
    if events:
        rest["events"] = events
    text = "\n".join(parts) + "\n"
    if rest:
        text += "\n" + tomli_w.dumps(rest, multiline_strings=True)
    return text


def cmd_show(args) -> int:
    sc = load_scenario(args.scenario)
    header = "\n".join(f"# {line}" for line in (
        f"zjai show: {sc.files[-1]} with its extends chain resolved",
        f"resolved from: {', '.join(sc.files)}"))
    header = "".join(c if c.isprintable() or c == "\n" else ascii(c)[1:-1] for c in header)
    print(header + "\n\n" + resolved_text(sc), end="")
    return 0


def add_parser(sub) -> None:
    s = sub.add_parser("show", help="print the fully resolved scenario (after extends)")
    s.add_argument("scenario")
    s.set_defaults(func=cmd_show)
