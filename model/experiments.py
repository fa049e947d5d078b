"""Experiment files: a base scenario, factors, a design, replicates and seeds.

An experiment (experiments/*.toml) varies levers and behavioural parameters of a base
scenario over a design — a full grid, a Latin hypercube, Saltelli's scheme for Sobol
indices, Morris trajectories, or explicit points — with replicates per point. Every run
gets its own seed from `numpy.random.SeedSequence`: spawned per point and replicate, or,
with common random numbers, per replicate only (the same streams at every point). The
run list depends on the file alone, never on how many workers execute it.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import qmc

from .checks import (
    ScenarioError,
    check_keys,
    check_list,
    check_number,
    check_table,
    key_part,
    read_toml,
    referenced_file,
    short,
    suggest,
)
from .data import PROVINCE
from .data import cities as city_table
from .indicators import INDICATORS
from .levers import LEVERS
from .params import PARAMETERS
from .scenario import Scenario, check_scale, load_scenario

DESIGNS = ("grid", "lhs", "sobol", "morris", "points")
EXPERIMENT_KEYS = {"name": str, "description": str, "scenario": str, "design": str,
                   "points": int, "replicates": int, "seed": int,
                   "common_random_numbers": bool, "scale": float, "time_limit_s": float,
                   "retries": int, "morris_levels": int}
FACTOR_KEYS = ("low", "high", "levels")
OUTCOME_KEYS = ("indicators", "years", "regions")
TOP_KEYS = ("experiment", "factors", "outcomes", "point")
MAX_RUNS = 100_000            # points x replicates of one experiment (a run list in memory)
CONTINUOUS_DESIGNS = ("lhs", "sobol", "morris")     # sample between low and high


class ExperimentError(ScenarioError):
    """A bad experiment file: file, key and what was expected."""


@dataclass(frozen=True)
class Factor:
    name: str
    kind: str                 # "lever" or "parameter"
    low: float
    high: float
    levels: tuple = ()


@dataclass(frozen=True)
class Run:
    run_id: str
    point: int
    replicate: int
    seed: int
    values: dict


@dataclass
class Experiment:
    name: str
    path: str
    scenario: Scenario
    factors: list
    design: str = "lhs"
    points: int = 8
    replicates: int = 1
    seed: int = 1
    common_random_numbers: bool = False
    scale: float = 0.05
    time_limit_s: float = 600.0
    retries: int = 1
    morris_levels: int = 4
    description: str = ""
    explicit_points: list = field(default_factory=list)
    indicators: list = field(default_factory=lambda: list(INDICATORS))
    years: list = field(default_factory=list)
    regions: list = field(default_factory=lambda: [PROVINCE])
    text: str = ""

    @property
    def sha256(self) -> str:
        text = self.text + self.scenario.text + self.scenario.draws_id
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def problem(self) -> dict:
        """The SALib problem definition of the factors."""
        return {"num_vars": len(self.factors), "names": [f.name for f in self.factors],
                "bounds": [[f.low, f.high] for f in self.factors]}


def _factor(file, name: str, spec) -> Factor:
    key = f"factors.{name}"
    if name in LEVERS:
        kind, reg = "lever", LEVERS[name]
    elif name in PARAMETERS:
        kind, reg = "parameter", PARAMETERS[name]
    else:
        raise ExperimentError(file, f"factors.{key_part(name)}", "expected a lever or "
                              "behavioural parameter name"
                              f"{suggest(name, list(LEVERS) + list(PARAMETERS))}")
    if not isinstance(spec, dict):
        raise ExperimentError(file, key, "expected a table with low and high, or levels, "
                              f"got {short(spec)}")
    check_keys(file, spec, FACTOR_KEYS, key)
    integer = kind == "lever" and LEVERS[name].integer
    levels = spec.get("levels")
    if levels is not None:
        if not isinstance(levels, list) or not levels:
            raise ExperimentError(file, f"{key}.levels", "expected a non-empty list of numbers")
        for n, v in enumerate(levels):
            check_number(file, f"{key}.levels[{n}]", v, reg.low, reg.high, integer)
        return Factor(name, kind, float(min(levels)), float(max(levels)),
                      tuple(float(v) for v in levels))
    for k in ("low", "high"):
        if k not in spec:
            raise ExperimentError(file, f"{key}.{k}", "missing: expected a number")
        check_number(file, f"{key}.{k}", spec[k], reg.low, reg.high, integer)
    if not spec["low"] < spec["high"]:
        raise ExperimentError(file, f"{key}.high", f"expected high > low ({spec['low']})")
    return Factor(name, kind, float(spec["low"]), float(spec["high"]))


def load_experiment(path, posterior: bool = True) -> Experiment:
    """Load and validate an experiment file and its base scenario (with `posterior` False,
    the point values: `load_scenario`)."""
    path = Path(path).resolve()
    text, data = read_toml(path)
    check_keys(path, data, TOP_KEYS, what="table")
    head = check_table(path, "experiment", data.get("experiment", {}))
    values = {}
    check_keys(path, head, EXPERIMENT_KEYS, "experiment")
    for key, value in head.items():
        kind = EXPERIMENT_KEYS[key]
        where = f"experiment.{key}"
        if kind is bool and not isinstance(value, bool):
            raise ExperimentError(path, where, f"expected true or false, got {short(value)}")
        if kind is str and not isinstance(value, str):
            raise ExperimentError(path, where, f"expected a string, got {short(value)}")
        if kind is int:
            if not isinstance(value, int) or isinstance(value, bool):
                raise ExperimentError(path, where, f"expected an integer, got {short(value)}")
            bounds = {"points": (1, 10**6), "replicates": (1, 10**4), "seed": (0, 2**63 - 1),
                      "retries": (0, 100), "morris_levels": (2, 100)}[key]
            check_number(path, where, value, *bounds, integer=True)
        if kind is float:
            bounds = {"scale": (1e-4, 10.0), "time_limit_s": (1.0, 86400.0)}[key]
            check_number(path, where, value, *bounds)
            value = float(value)
        values[key] = value
    if "scenario" not in values:
        raise ExperimentError(path, "experiment.scenario",
                              "missing: expected the base scenario file (relative to this file)")
    design = values.get("design", "lhs")
    if design not in DESIGNS:
        raise ExperimentError(path, "experiment.design", f"expected one of {', '.join(DESIGNS)}"
                              f"{suggest(design, DESIGNS)}, got {short(design)}")
    scenario_path = referenced_file(path, "experiment.scenario", values.pop("scenario"),
                                    path.parent)
    scenario = load_scenario(scenario_path, posterior)
    if "scale" in values:
        check_scale(path, "experiment.scale", values["scale"], scenario)
    factors_spec = data.get("factors", {})
    if not isinstance(factors_spec, dict) or not factors_spec:
        raise ExperimentError(path, "factors", "expected at least one [factors.<name>] table")
    factors = [_factor(path, name, spec) for name, spec in factors_spec.items()]
    if design == "grid" and not all(f.levels for f in factors):
        missing = next(f.name for f in factors if not f.levels)
        raise ExperimentError(path, f"factors.{missing}.levels",
                              "a grid design needs a list of levels for every factor")
    for f in factors:
        if design in CONTINUOUS_DESIGNS and f.kind == "lever" and LEVERS[f.name].integer:
            raise ExperimentError(path, f"factors.{f.name}", f"a whole-number lever; a {design} "
                                  "design would sample fractions: expected a grid or points "
                                  "design with whole-number levels")
    exp = Experiment(name=values.pop("name", path.stem), path=str(path), scenario=scenario,
                     factors=factors, text=text, **values)
    exp.years = list(range(scenario.start, scenario.end + 1))
    outcomes = check_table(path, "outcomes", data.get("outcomes", {}))
    check_keys(path, outcomes, OUTCOME_KEYS, "outcomes")
    regions = [PROVINCE, *city_table().city]
    for key, allowed in (("indicators", list(INDICATORS)), ("regions", regions)):
        if key in outcomes:
            for v in check_list(path, f"outcomes.{key}", outcomes[key], f"{key[:-1]} names"):
                if not isinstance(v, str) or v not in allowed:
                    raise ExperimentError(path, f"outcomes.{key}",
                                          f"unknown name {short(v)}{suggest(str(v), allowed)}")
            setattr(exp, key, list(outcomes[key]))
    if "years" in outcomes:
        for y in check_list(path, "outcomes.years", outcomes["years"], "years"):
            check_number(path, "outcomes.years", y, scenario.start, scenario.end, integer=True)
        exp.years = [int(y) for y in outcomes["years"]]
    pts = check_list(path, "point", data.get("point", []), "point tables [[point]]", empty=True)
    if pts and design != "points":
        raise ExperimentError(path, "point", f"[[point]] tables are read by the points design "
                              f"only; expected design = \"points\" (it is {design!r})")
    if design == "points":
        if not pts:
            raise ExperimentError(path, "point", "a points design needs [[point]] tables")
        names = {f.name: f for f in factors}
        for n, pt in enumerate(pts):
            check_table(path, f"point[{n}]", pt, "a table [[point]]")
            for k, v in pt.items():
                if k not in names:
                    raise ExperimentError(path, f"point[{n}].{key_part(k)}",
                                          f"not a factor of this experiment{suggest(k, names)}")
                reg = LEVERS.get(k) or PARAMETERS[k]
                check_number(path, f"point[{n}].{k}", v, reg.low, reg.high,
                             k in LEVERS and LEVERS[k].integer)
            missing = [k for k in names if k not in pt]
            if missing:
                raise ExperimentError(path, f"point[{n}]", f"missing factors {missing}")
        exp.explicit_points = [dict(pt) for pt in pts]
    n_runs = n_points(exp) * exp.replicates
    if n_runs > MAX_RUNS:
        raise ExperimentError(path, "experiment", f"{n_points(exp):,} points x "
                              f"{exp.replicates:,} replicates = {n_runs:,} runs; expected at "
                              f"most {MAX_RUNS:,} (fewer levels, points or replicates)")
    return exp


def n_points(exp: Experiment) -> int:
    """How many points the design has, computed without building it."""
    d = len(exp.factors)
    if exp.design == "grid":
        return math.prod(len(f.levels) for f in exp.factors)
    if exp.design == "sobol":
        return exp.points * (d + 2)           # Saltelli's scheme without second order
    if exp.design == "morris":
        return exp.points * (d + 1)           # trajectories of d + 1 points
    if exp.design == "points":
        return len(exp.explicit_points)
    return exp.points


def design_points(exp: Experiment) -> pd.DataFrame:
    """The design's points: one row per point, one column per factor."""
    names = [f.name for f in exp.factors]
    lows = np.array([f.low for f in exp.factors])
    highs = np.array([f.high for f in exp.factors])
    if exp.design == "grid":
        rows = list(itertools.product(*[f.levels for f in exp.factors]))
        x = np.array(rows, dtype=float)
    elif exp.design == "lhs":
        unit = qmc.LatinHypercube(d=len(names), seed=np.random.default_rng(exp.seed)).random(exp.points)
        x = qmc.scale(unit, lows, highs)
    elif exp.design == "sobol":
        from SALib.sample import sobol

        x = sobol.sample(exp.problem(), exp.points, calc_second_order=False, seed=exp.seed)
    elif exp.design == "morris":
        from SALib.sample import morris

        x = morris.sample(exp.problem(), exp.points, num_levels=exp.morris_levels, seed=exp.seed)
    else:
        x = np.array([[float(pt[n]) for n in names] for pt in exp.explicit_points])
    df = pd.DataFrame(x, columns=names)
    df.index.name = "point"
    return df


def runs(exp: Experiment) -> list[Run]:
    """Every run of the experiment with its seed, in a fixed order (point, replicate)."""
    points = design_points(exp)
    root = np.random.SeedSequence(exp.seed)
    if exp.common_random_numbers:
        shared = root.spawn(exp.replicates)
        streams = [shared for _ in range(len(points))]
    else:
        streams = [p.spawn(exp.replicates) for p in root.spawn(len(points))]

    def as_int(ss):
        return int(ss.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))

    out = []
    for p, row in points.iterrows():
        for r in range(exp.replicates):
            out.append(Run(f"p{p:05d}-r{r:03d}", int(p), r, as_int(streams[p][r]),
                           {k: float(v) for k, v in row.items()}))
    return out


def run_draw(exp: Experiment, run: Run) -> dict:
    """The posterior row the run draws, less the factors (a factor's value wins)."""
    return {k: v for k, v in exp.scenario.draw(run.seed).items()
            if k not in {f.name for f in exp.factors}}


def run_kwargs(exp: Experiment, run: Run) -> dict:
    """Model keyword arguments for one run: the base scenario as the run's seed draws it
    (`Scenario.for_replicate`), with the run's factor values."""
    kwargs = exp.scenario.for_replicate(run.seed).model_kwargs()
    levers = dict(kwargs["levers"])
    params = dict(kwargs["parameters"])
    for f in exp.factors:
        (levers if f.kind == "lever" else params)[f.name] = run.values[f.name]
    kwargs.update(levers=levers, parameters=params)
    return kwargs
