"""Scenario files (TOML): loading, `extends` chains, and validation with clear errors.

A scenario names lever values (constants or {year = value} schedules), per-city
overrides, behavioural-parameter and initial-condition overrides, and scheduled events.
Every problem is reported as one `ScenarioError` naming the file, the key and what was
expected, before anything runs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .checks import ScenarioError, check_keys, check_number, read_toml, suggest
from .data import PROVINCE
from .data import cities as city_table
from .initial import INITIAL
from .levers import LEVERS
from .params import PARAMETERS

EVENT_KINDS = ("demand_shock", "funding_freeze", "talent_outflow", "chip_restriction",
               "lever_change")
CITY_EVENT_KINDS = ("demand_shock",)       # kinds that can hit chosen cities only
SCENARIO_KEYS = {"name": str, "description": str, "extends": str, "start": int, "end": int,
                 "seed": int, "replicates": int, "scale": float}
TOP_KEYS = ("scenario", "levers", "parameters", "initial", "events")
EVENT_KEYS = ("kind", "start", "duration", "regions", "magnitude", "lever", "value", "note")


@dataclass
class Scenario:
    """A fully resolved scenario (after `extends`)."""

    name: str
    description: str = ""
    start: int = 2017
    end: int = 2030
    seed: int = 20171204
    replicates: int = 1
    scale: float = 1.0
    levers: dict = field(default_factory=dict)
    city_levers: dict = field(default_factory=dict)
    parameters: dict = field(default_factory=dict)
    initial: dict = field(default_factory=dict)
    events: list = field(default_factory=list)
    files: list = field(default_factory=list)
    texts: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The source texts of the file and everything it extends, root first."""
        return "\n".join(f"# --- {f}\n{self.texts[f]}" for f in self.files)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def model_kwargs(self) -> dict:
        return {"levers": self.levers, "city_levers": self.city_levers,
                "parameters": self.parameters, "initial": self.initial,
                "start_year": self.start, "end_year": self.end, "events": self.events,
                "scenario_name": self.name}


def _check_lever_value(file, key, name, spec):
    lever = LEVERS[name]
    if isinstance(spec, dict):
        if not spec:
            raise ScenarioError(file, key, "a schedule needs at least one year")
        for year, value in spec.items():
            try:
                y = int(year)
            except ValueError:
                raise ScenarioError(file, f"{key}.{year}",
                                    "expected a year (e.g. 2020) as schedule key") from None
            if not 2000 <= y <= 2100:
                raise ScenarioError(file, f"{key}.{year}", "expected a year in [2000, 2100]")
            check_number(file, f"{key}.{year}", value, lever.low, lever.high, lever.integer)
        return {int(y): float(v) for y, v in spec.items()}
    check_number(file, key, spec, lever.low, lever.high, lever.integer)
    return float(spec)


def _validate(file, data: dict, city_names: list[str]) -> dict:
    """Check one file's tables; returns them normalised."""
    check_keys(file, data, TOP_KEYS, what="table")
    out: dict = {"scenario": {}, "levers": {}, "city": {}, "parameters": {}, "initial": {},
                 "events": []}
    head = data.get("scenario", {})
    if not isinstance(head, dict):
        raise ScenarioError(file, "scenario", "expected a table [scenario]")
    check_keys(file, head, SCENARIO_KEYS, "scenario")
    for key, value in head.items():
        kind = SCENARIO_KEYS[key]
        if kind is float:
            check_number(file, f"scenario.{key}", value, 1e-4, 10.0)
            value = float(value)
        elif kind is int:
            if not isinstance(value, int) or isinstance(value, bool):
                raise ScenarioError(file, f"scenario.{key}", f"expected an integer, got {value!r}")
            bounds = {"start": (2017, 2017), "end": (2017, 2100), "replicates": (1, 10000),
                      "seed": (0, 2**63 - 1)}[key]
            check_number(file, f"scenario.{key}", value, *bounds, integer=True)
        elif not isinstance(value, str):
            raise ScenarioError(file, f"scenario.{key}", f"expected a string, got {value!r}")
        out["scenario"][key] = value
    levers = data.get("levers", {})
    if not isinstance(levers, dict):
        raise ScenarioError(file, "levers", "expected a table [levers]")
    for name, spec in levers.items():
        if name == "city":
            if not isinstance(spec, dict):
                raise ScenarioError(file, "levers.city", "expected tables [levers.city.<City>]")
            for city, table in spec.items():
                if city not in city_names:
                    raise ScenarioError(file, f"levers.city.{city}",
                                        f"unknown city{suggest(city, city_names)}; expected one "
                                        f"of {', '.join(city_names)}")
                if not isinstance(table, dict):
                    raise ScenarioError(file, f"levers.city.{city}", "expected a table")
                for lname, lspec in table.items():
                    key = f"levers.city.{city}.{lname}"
                    if lname not in LEVERS:
                        raise ScenarioError(file, key, f"unknown lever{suggest(lname, LEVERS)}")
                    if LEVERS[lname].spatial == "province":
                        raise ScenarioError(file, key, "this lever is province-wide; per-city "
                                            "values exist only for spatial levers")
                    out["city"].setdefault(city, {})[lname] = _check_lever_value(file, key, lname, lspec)
            continue
        if name not in LEVERS:
            raise ScenarioError(file, f"levers.{name}", f"unknown lever{suggest(name, LEVERS)}; "
                                "`zjai levers` lists them")
        out["levers"][name] = _check_lever_value(file, f"levers.{name}", name, spec)
    for table, registry in (("parameters", PARAMETERS), ("initial", INITIAL)):
        values = data.get(table, {})
        if not isinstance(values, dict):
            raise ScenarioError(file, table, f"expected a table [{table}]")
        for name, value in values.items():
            if name not in registry:
                raise ScenarioError(file, f"{table}.{name}",
                                    f"unknown name{suggest(name, registry)}")
            spec = registry[name]
            check_number(file, f"{table}.{name}", value, spec.low, spec.high)
            out[table][name] = float(value)
    events = data.get("events", [])
    if not isinstance(events, list):
        raise ScenarioError(file, "events", "expected an array of tables [[events]]")
    regions = [PROVINCE, *city_names]
    for n, ev in enumerate(events):
        key = f"events[{n}]"
        if not isinstance(ev, dict):
            raise ScenarioError(file, key, "expected a table")
        check_keys(file, ev, EVENT_KEYS, key)
        kind = ev.get("kind")
        if kind not in EVENT_KINDS:
            raise ScenarioError(file, f"{key}.kind", f"expected one of {', '.join(EVENT_KINDS)}"
                                f"{suggest(str(kind), EVENT_KINDS)}, got {kind!r}")
        if "start" not in ev:
            raise ScenarioError(file, f"{key}.start", "missing: expected the start year")
        check_number(file, f"{key}.start", ev["start"], 2017, 2100, integer=True)
        check_number(file, f"{key}.duration", ev.get("duration", 1), 1 / 12, 100)
        check_number(file, f"{key}.magnitude", ev.get("magnitude", 1.0), 0.0, 100.0)
        regs = ev.get("regions", [PROVINCE])
        if not isinstance(regs, list) or not all(isinstance(r, str) for r in regs):
            raise ScenarioError(file, f"{key}.regions", "expected a list of region names")
        for r in regs:
            if r not in regions:
                raise ScenarioError(file, f"{key}.regions", f"unknown region {r!r}"
                                    f"{suggest(r, regions)}")
        if kind not in CITY_EVENT_KINDS and regs != [PROVINCE]:
            raise ScenarioError(file, f"{key}.regions", f"a {kind} event acts on the whole "
                                f'province; expected regions = ["{PROVINCE}"] or no regions')
        if kind == "lever_change":
            lname = ev.get("lever")
            if lname not in LEVERS:
                raise ScenarioError(file, f"{key}.lever",
                                    f"expected a lever name{suggest(str(lname), LEVERS)}")
            lever = LEVERS[lname]
            check_number(file, f"{key}.value", ev.get("value"), lever.low, lever.high)
        out["events"].append(dict(ev))
    return out


def _read(path: Path, chain: tuple) -> list[tuple[Path, dict, str]]:
    """The chain of (file, validated tables, text) from the root ancestor down to `path`."""
    if path in chain:
        cycle = " -> ".join(str(p) for p in (*chain, path))
        raise ScenarioError(chain[-1], "scenario.extends", f"cycle in extends: {cycle}")
    if not path.is_file():
        where = chain[-1] if chain else path
        key = "scenario.extends" if chain else None
        raise ScenarioError(where, key, f"file not found: {path}")
    text, data = read_toml(path)
    tables = _validate(path, data, list(city_table().city))
    parent = tables["scenario"].get("extends")
    chain_out = []
    if parent:
        chain_out = _read((path.parent / parent).resolve(), (*chain, path))
    return [*chain_out, (path, tables, text)]


def load_scenario(path) -> Scenario:
    """Load, resolve (`extends`) and validate a scenario file."""
    path = Path(path).resolve()
    chain = _read(path, ())
    sc = Scenario(name=path.stem)
    for file, tables, text in chain:
        head = tables["scenario"]
        for key in ("description", "start", "end", "seed", "replicates", "scale"):
            if key in head:
                setattr(sc, key, head[key])
        sc.levers.update(tables["levers"])
        for city, values in tables["city"].items():
            sc.city_levers.setdefault(city, {}).update(values)
        sc.parameters.update(tables["parameters"])
        sc.initial.update(tables["initial"])
        sc.events.extend(tables["events"])
        sc.files.append(str(file))
        sc.texts[str(file)] = text
    sc.name = chain[-1][1]["scenario"].get("name", path.stem)
    if sc.end < sc.start:
        raise ScenarioError(path, "scenario.end", f"expected end >= start ({sc.start})")
    return sc
