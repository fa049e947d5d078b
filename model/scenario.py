"""Scenario files (TOML): loading, `extends` chains, and validation with clear errors.

A scenario names lever values (constants or {year = value} schedules), per-city
overrides, behavioural-parameter and initial-condition overrides, and scheduled events.
Every problem is reported as one `ScenarioError` naming the file, the key and what was
expected, before anything runs.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

from .checks import (
    ScenarioError,
    check_keys,
    check_list,
    check_number,
    check_string,
    check_table,
    key_part,
    read_toml,
    referenced_file,
    short,
    suggest,
)
from .data import PROVINCE
from .data import cities as city_table
from .draws import ROW_KEY, Posterior, load_posterior, table_of
from .initial import INITIAL
from .levers import LEVERS
from .params import PARAMETERS
from .phases.rivals import RIVALS

EVENT_KINDS = ("demand_shock", "funding_freeze", "talent_outflow", "chip_restriction",
               "lever_change", "rival_push")
CITY_EVENT_KINDS = ("demand_shock",)       # kinds that can hit chosen cities only
SCENARIO_KEYS = {"name": str, "description": str, "extends": str, "start": int, "end": int,
                 "seed": int, "replicates": int, "scale": float}
TOP_KEYS = ("scenario", "levers", "parameters", "initial", "events", "posterior")
POSTERIOR_KEYS = ("file", "fixed")
EVENT_KEYS = ("kind", "start", "duration", "regions", "magnitude", "lever", "value", "rival",
              "note")
FIRST_YEAR = 2017                          # the model starts in January 2017
MAX_EXTENDS_DEPTH = 32                     # files in one extends chain, the leaf included
MIN_REGISTER_FIRMS = 3                     # a run needs a few firms (see smallest_scale)


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
    posterior: Posterior | None = None     # draws per replicate; None: the point values

    @property
    def text(self) -> str:
        """The source texts of the file and everything it extends, root first."""
        return "\n".join(f"# --- {f}\n{self.texts[f]}" for f in self.files)

    @property
    def draws_id(self) -> str:
        """What the runs draw from besides the texts: the posterior file's hash and the
        parameters it does not set ("" for the point values)."""
        p = self.posterior
        return "" if p is None else f"\n# posterior {p.sha256} fixed {sorted(p.fixed)}"

    @property
    def sha256(self) -> str:
        return hashlib.sha256((self.text + self.draws_id).encode("utf-8")).hexdigest()

    @property
    def parameter_source(self) -> str:
        """"posterior" (a draw per replicate) or "point-estimate"."""
        return "point-estimate" if self.posterior is None else "posterior"

    def draw(self, seed: int) -> dict:
        """The posterior row the replicate with `seed` runs ({} for the point values)."""
        return {} if self.posterior is None else self.posterior.draw(seed)

    def for_replicate(self, seed: int) -> Scenario:
        """This scenario as the replicate with `seed` runs it: its posterior draw in place of
        the point values (the one place a draw is applied; docs/ODD.md §5, "Posterior and
        draws")."""
        if self.posterior is None:
            return self
        return self.with_draw(self.posterior.draw(seed))

    def with_draw(self, d: dict) -> Scenario:
        """This scenario with the values of posterior draw `d` (`Posterior.row`/`draw`)."""
        new = {t: {**getattr(self, t), **{k: v for k, v in d.items()
                                           if k != ROW_KEY and table_of(k) == t}}
               for t in ("parameters", "initial")}
        return replace(self, **new, posterior=None)

    def point_estimate(self) -> Scenario:
        """This scenario with the point values in every replicate (`--point-estimate`)."""
        return replace(self, posterior=None)

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
            if not (year.isascii() and year.isdigit() and len(year) == 4):
                raise ScenarioError(file, f"{key}.{key_part(year)}",
                                    "expected a year (e.g. 2020) as schedule key")
            if not FIRST_YEAR <= int(year) <= 2100:
                raise ScenarioError(file, f"{key}.{year}", f"expected a year in [{FIRST_YEAR}, "
                                    f"2100] (the run starts in January {FIRST_YEAR})")
            check_number(file, f"{key}.{year}", value, lever.low, lever.high, lever.integer)
        return {int(y): float(v) for y, v in spec.items()}
    check_number(file, key, spec, lever.low, lever.high, lever.integer)
    return float(spec)


def _check_rival_push(file, key: str, ev: dict) -> None:
    """A rival's policy push names one rival (phases/rivals.py) and multiplies its capacity
    by a positive magnitude (> 1 a push, < 1 a retreat)."""
    rival = ev.get("rival")
    if rival not in RIVALS:
        raise ScenarioError(file, f"{key}.rival", f"expected one of {', '.join(RIVALS)}"
                            f"{suggest(str(rival), RIVALS)}, got {short(rival)}")
    if "magnitude" not in ev:
        raise ScenarioError(file, f"{key}.magnitude", "missing: expected the factor by which "
                            "the push multiplies the rival's capacity (e.g. 1.5)")
    check_number(file, f"{key}.magnitude", ev["magnitude"], 0.01, 100.0)


def _validate(file, data: dict, city_names: list[str]) -> dict:
    """Check one file's tables; returns them normalised."""
    check_keys(file, data, TOP_KEYS, what="table")
    out: dict = {"scenario": {}, "levers": {}, "city": {}, "parameters": {}, "initial": {},
                 "events": [], "posterior": {}}
    head = check_table(file, "scenario", data.get("scenario", {}))
    check_keys(file, head, SCENARIO_KEYS, "scenario")
    for key, value in head.items():
        kind = SCENARIO_KEYS[key]
        if kind is float:
            check_number(file, f"scenario.{key}", value, 1e-4, 10.0)
            value = float(value)
        elif kind is int:
            if not isinstance(value, int) or isinstance(value, bool):
                raise ScenarioError(file, f"scenario.{key}",
                                    f"expected an integer, got {short(value)}")
            bounds = {"start": (2017, 2017), "end": (2017, 2100), "replicates": (1, 10000),
                      "seed": (0, 2**63 - 1)}[key]
            check_number(file, f"scenario.{key}", value, *bounds, integer=True)
        elif not isinstance(value, str):
            raise ScenarioError(file, f"scenario.{key}", f"expected a string, got {short(value)}")
        out["scenario"][key] = value
    levers = check_table(file, "levers", data.get("levers", {}))
    for name, spec in levers.items():
        if name == "city":
            if not isinstance(spec, dict):
                raise ScenarioError(file, "levers.city", "expected tables [levers.city.<City>]")
            for city, table in spec.items():
                if city not in city_names:
                    city = key_part(city)
                    raise ScenarioError(file, f"levers.city.{city}",
                                        f"unknown city{suggest(city, city_names)}; expected one "
                                        f"of {', '.join(city_names)}")
                check_table(file, f"levers.city.{city}", table)
                for lname, lspec in table.items():
                    key = f"levers.city.{city}.{lname}"
                    if lname not in LEVERS:
                        raise ScenarioError(file, f"levers.city.{city}.{key_part(lname)}",
                                            f"unknown lever{suggest(lname, LEVERS)}")
                    if LEVERS[lname].spatial == "province":
                        raise ScenarioError(file, key, "this lever is province-wide; per-city "
                                            "values exist only for spatial levers")
                    out["city"].setdefault(city, {})[lname] = _check_lever_value(file, key, lname, lspec)
            continue
        if name not in LEVERS:
            raise ScenarioError(file, f"levers.{key_part(name)}", f"unknown lever{suggest(name, LEVERS)}; "
                                "`zjai levers` lists them")
        out["levers"][name] = _check_lever_value(file, f"levers.{name}", name, spec)
    for table, registry in (("parameters", PARAMETERS), ("initial", INITIAL)):
        values = check_table(file, table, data.get(table, {}))
        for name, value in values.items():
            if name not in registry:
                raise ScenarioError(file, f"{table}.{key_part(name)}",
                                    f"unknown name{suggest(name, registry)}")
            spec = registry[name]
            check_number(file, f"{table}.{name}", value, spec.low, spec.high)
            out[table][name] = float(value)
    events = check_list(file, "events", data.get("events", []), "event tables [[events]]",
                        empty=True)
    regions = [PROVINCE, *city_names]
    for n, ev in enumerate(events):
        key = f"events[{n}]"
        check_table(file, key, ev, "a table [[events]]")
        check_keys(file, ev, EVENT_KEYS, key)
        kind = ev.get("kind")
        if kind not in EVENT_KINDS:
            raise ScenarioError(file, f"{key}.kind", f"expected one of {', '.join(EVENT_KINDS)}"
                                f"{suggest(str(kind), EVENT_KINDS)}, got {short(kind)}")
        if "start" not in ev:
            raise ScenarioError(file, f"{key}.start", "missing: expected the start year")
        check_number(file, f"{key}.start", ev["start"], FIRST_YEAR, 2100, integer=True)
        check_number(file, f"{key}.duration", ev.get("duration", 1), 1 / 12, 100)
        check_number(file, f"{key}.magnitude", ev.get("magnitude", 1.0), 0.0, 100.0)
        regs = ev.get("regions", [PROVINCE])
        if not isinstance(regs, list) or not all(isinstance(r, str) for r in regs):
            raise ScenarioError(file, f"{key}.regions", "expected a list of region names, got "
                                f"{short(regs)}")
        if not regs:
            raise ScenarioError(file, f"{key}.regions", "expected at least one region; leave "
                                "regions out for the whole province")
        for r in regs:
            if r not in regions:
                raise ScenarioError(file, f"{key}.regions", f"unknown region {short(r)}"
                                    f"{suggest(r, regions)}")
        if kind not in CITY_EVENT_KINDS and regs != [PROVINCE]:
            raise ScenarioError(file, f"{key}.regions", f"a {kind} event acts on the whole "
                                f'province; expected regions = ["{PROVINCE}"] or no regions')
        if kind == "lever_change":
            lname = ev.get("lever")
            if not isinstance(lname, str) or lname not in LEVERS:
                raise ScenarioError(file, f"{key}.lever", f"expected a lever name"
                                    f"{suggest(str(lname), LEVERS)}, got {short(lname)}")
            lever = LEVERS[lname]
            check_number(file, f"{key}.value", ev.get("value"), lever.low, lever.high,
                         lever.integer)
        elif "lever" in ev or "value" in ev:
            raise ScenarioError(file, f"{key}.{'lever' if 'lever' in ev else 'value'}",
                                f"only a lever_change event takes lever and value, not {kind}")
        if kind == "rival_push":
            _check_rival_push(file, key, ev)
        elif "rival" in ev:
            raise ScenarioError(file, f"{key}.rival", f"only a rival_push event takes a rival, "
                                f"not {kind}")
        if "note" in ev and not isinstance(ev["note"], str):
            raise ScenarioError(file, f"{key}.note", f"expected a string, got {short(ev['note'])}")
        out["events"].append(dict(ev))
    post = check_table(file, "posterior", data.get("posterior", {}))
    check_keys(file, post, POSTERIOR_KEYS, "posterior")
    if "file" in post:
        check_string(file, "posterior.file", post["file"])
    names = check_list(file, "posterior.fixed", post.get("fixed", []), "parameter names",
                       empty=True)
    for name in names:
        if not isinstance(name, str) or name not in {**PARAMETERS, **INITIAL}:
            raise ScenarioError(file, "posterior.fixed", f"unknown parameter {short(name)}"
                                f"{suggest(str(name), {**PARAMETERS, **INITIAL})}")
    out["posterior"] = {**post, "fixed": list(names)}
    return out


def _posterior(chain: list, use: bool) -> Posterior | None:
    """The posterior the chain declares (its last `[posterior] file`), read and checked, or
    None (none declared, or `use` False: the point values, the file not read). A parameter
    that a file below the declaring one sets, or that a `[posterior] fixed` names, keeps
    the scenario's value: an explicit value wins over the draw."""
    declared = [n for n, (_, t, _) in enumerate(chain) if "file" in t["posterior"]]
    if not use or not declared:
        return None
    n = declared[-1]
    file, tables, _ = chain[n]
    path = referenced_file(file, "posterior.file", tables["posterior"]["file"], file.parent)
    fixed = {name for _, t, _ in chain for name in t["posterior"]["fixed"]}
    fixed |= {name for _, t, _ in chain[n + 1:] for name in [*t["parameters"], *t["initial"]]}
    return load_posterior(path, fixed)


def _read(path: Path, chain: tuple) -> list[tuple[Path, dict, str]]:
    """The chain of (file, validated tables, text) from the root ancestor down to `path`."""
    if path in chain:
        cycle = " -> ".join(str(p) for p in (*chain, path))
        raise ScenarioError(chain[-1], "scenario.extends", f"cycle in extends: {cycle}")
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(chain[-1], "scenario.extends", f"extends chain longer than "
                            f"{MAX_EXTENDS_DEPTH} files (starting at {chain[0]}); expected a "
                            "shorter chain")
    text, data = read_toml(path)
    tables = _validate(path, data, list(city_table().city))
    parent = tables["scenario"].get("extends")
    chain_out = []
    if parent is not None:
        parent_path = referenced_file(path, "scenario.extends", parent, path.parent)
        chain_out = _read(parent_path, (*chain, path))
    return [*chain_out, (path, tables, text)]


def smallest_scale(register_firms: float) -> float:
    """The smallest population scale at which the 2017 register keeps MIN_REGISTER_FIRMS
    firms (rounded up to 4 decimals): below it a run has no economy to speak of."""
    return math.ceil(MIN_REGISTER_FIRMS / register_firms * 1e4) / 1e4


def check_scale(file, key: str, scale: float, sc: Scenario) -> None:
    """Refuse a scale at which `sc`'s register has fewer than MIN_REGISTER_FIRMS firms."""
    firms = sc.initial.get("register_firms", INITIAL["register_firms"].default)
    low = smallest_scale(firms)
    if scale < low:
        raise ScenarioError(file, key, f"scale {scale:g} leaves {firms * scale:.2g} of the "
                            f"{firms:.0f} register firms; expected a scale >= {low:g}")


def _check_leaf_years(path: Path, tables: dict, end: int) -> None:
    """Years in the file that was asked for which fall after the run's end never act: a
    mistake (inherited ones are fine: a child may cut a run short)."""
    for name, spec in tables["levers"].items():
        if isinstance(spec, dict) and max(spec) > end:
            raise ScenarioError(path, f"levers.{name}.{max(spec)}", f"a schedule year after "
                                f"the scenario's end ({end}); expected years up to {end}")
    for city, values in tables["city"].items():
        for name, spec in values.items():
            if isinstance(spec, dict) and max(spec) > end:
                raise ScenarioError(path, f"levers.city.{city}.{name}.{max(spec)}",
                                    f"a schedule year after the scenario's end ({end}); "
                                    f"expected years up to {end}")
    for n, ev in enumerate(tables["events"]):
        if ev["start"] > end:
            raise ScenarioError(path, f"events[{n}].start", f"the event starts after the "
                                f"scenario's end ({end}); expected a start year up to {end}")


def load_scenario(path, posterior: bool = True) -> Scenario:
    """Load, resolve (`extends`) and validate a scenario file. With `posterior` False the
    chain's `[posterior]` table is checked but its file not read: the point values."""
    try:
        path = Path(path).resolve()
    except (OSError, RuntimeError):
        raise ScenarioError(path, None, "symlink loop") from None
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
    _check_leaf_years(path, chain[-1][1], sc.end)
    sc.posterior = _posterior(chain, posterior)
    scale_file = next((f for f, t, _ in reversed(chain) if "scale" in t["scenario"]), path)
    check_scale(scale_file, "scenario.scale", sc.scale, sc)
    return sc
