"""Calibration by the method of simulated moments (MSM).

Moments: the observed rows of `validation.OBSERVED_TARGETS` marked as moments for the chosen
years (series A province and Hangzhou, series A profit, series B core) and the stylized facts of
`validation.FACT_BANDS` (firm-size tail, growth-spread scaling, five-year survival,
Hangzhou's concentration). A candidate parameter vector is scored by

    J(theta) = sum_m w_m * d_m(theta)^2

where d_m is the distance of the simulated mean (over replicates) from the observed value
in units of that value's plausible half-width (`validation.PLAUSIBLE_HALF_WIDTH`, set by
the data row's confidence: 10% for an official figure up to 30% for a forecast), the
shortfall below a forecast's floor in the same units, or the distance of a stylized fact
outside its accepted band in units of the band's half width. Scaling by the data's own
uncertainty is the weighting (inverse variance), so every w_m is 1. Replicates use the same
seeds for every candidate (common random numbers), so J is a deterministic function and the
seeded differential evolution (scipy) is reproducible; replicates run on the sweep executors.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import differential_evolution
from scipy.stats import qmc

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
from .data import observed
from .draws import posterior_block, with_posterior_block
from .ecosystem import AIEcosystemModel
from .indicators import DIRECTORY_EXPANSION_YEAR
from .initial import INITIAL
from .params import PARAMETERS
from .provenance import atomic_write, git_revision, now_iso, write_json
from .runner import replicate_seeds
from .scenario import Scenario, check_scale, load_scenario
from .validation import (
    FACT_BANDS,
    OBSERVED_TARGETS,
    model_values,
    plausible_band,
    run_with_panel,
    stylized_facts,
)


def qmc_lhs(n: int, d: int, rng) -> np.ndarray:
    """A Latin hypercube of n points in the unit cube."""
    return qmc.LatinHypercube(d=d, seed=rng).random(n)


MOMENT_WEIGHT = 1.0          # distances are already in units of each moment's uncertainty
SPEC_KEYS = {"name": str, "scenario": str, "replicates": int, "seed": int, "scale": float,
             "max_evaluations": int, "years": list, "facts": list, "output": str,
             "description": str}


@dataclass
class CalibrationSpec:
    name: str
    path: str
    scenario: Scenario
    parameters: list                  # (name, low, high, start, "parameters" | "initial")
    replicates: int = 4
    seed: int = 2017
    scale: float = 0.1
    max_evaluations: int = 200
    years: list = field(default_factory=lambda: [2018, 2019, 2020])
    facts: list = field(default_factory=lambda: list(FACT_BANDS))
    output: str = "../scenarios/calibrated.toml"
    description: str = ""
    text: str = ""
    priors: dict = field(default_factory=dict)    # name -> "uniform" | "loguniform" (ABC)


MAX_REPLICATES = 10_000
PRIORS = ("uniform", "loguniform")   # over [low, high]; read by the ABC (model/posterior.py)


def load_calibration(path) -> CalibrationSpec:
    """Load and validate a calibration file (experiments/calibration.toml)."""
    path = Path(path).resolve()
    text, data = read_toml(path)
    check_keys(path, data, ("calibration", "parameters", "initial", "posterior"), what="table")
    head = check_table(path, "calibration", data.get("calibration", {}))
    check_keys(path, head, SPEC_KEYS, "calibration")
    for key, kind in SPEC_KEYS.items():
        if key in head and kind is str:
            check_string(path, f"calibration.{key}", head[key])
    if "scenario" not in head:
        raise ScenarioError(path, "calibration.scenario", "missing: expected a scenario file")
    # the point values: a fit never draws from a posterior (and a missing or stale one must
    # not stop the fit that makes a new one)
    scenario = load_scenario(referenced_file(path, "calibration.scenario", head["scenario"],
                                             path.parent), posterior=False)
    values = {k: v for k, v in head.items() if k != "scenario"}
    bounds = {"replicates": (1, MAX_REPLICATES), "max_evaluations": (1, 10**6),
              "seed": (0, 2**63 - 1)}
    for key, (low, high) in bounds.items():
        if key in values:
            check_number(path, f"calibration.{key}", values[key], low, high, integer=True)
            values[key] = int(values[key])
    if "scale" in values:
        check_number(path, "calibration.scale", values["scale"], 1e-3, 10.0)
    if "years" in values:
        check_list(path, "calibration.years", values["years"], "observed years, e.g. [2019]")
        for n, y in enumerate(values["years"]):
            check_number(path, f"calibration.years[{n}]", y, 2017, 2020, integer=True)
        values["years"] = sorted({int(y) for y in values["years"]})
    if "facts" in values:
        check_list(path, "calibration.facts", values["facts"], "stylized facts", empty=True)
        for f in values["facts"]:
            if not isinstance(f, str) or f not in FACT_BANDS:
                raise ScenarioError(path, "calibration.facts", f"unknown stylized fact "
                                    f"{short(f)}{suggest(str(f), FACT_BANDS)}; expected some "
                                    f"of {', '.join(FACT_BANDS)}")
    if "output" in values:
        output = values["output"]
        if "\0" in output or not output.endswith(".toml") or Path(output).name == ".toml":
            raise ScenarioError(path, "calibration.output", "expected a .toml file name "
                                f"(relative to this file), got {short(output)}")
    params = []
    priors = {}
    tables = []
    for table in ("parameters", "initial"):
        for name, spec in check_table(path, table, data.get(table, {})).items():
            tables.append((table, name, spec))
    for table, name, spec in tables:
        key = f"{table}.{key_part(name)}"
        registry = PARAMETERS if table == "parameters" else INITIAL
        if name not in registry:
            raise ScenarioError(path, key, f"expected a name from "
                                f"{'model/params.py' if table == 'parameters' else 'model/initial.py'}"
                                f"{suggest(name, registry)}")
        check_table(path, key, spec, f"a table [{key}] with low, high and start")
        check_keys(path, spec, ("low", "high", "start", "prior"), key)
        reg = registry[name]
        for k in ("low", "high"):
            if k not in spec:
                raise ScenarioError(path, f"{key}.{k}", "missing: expected a number")
            check_number(path, f"{key}.{k}", spec[k], reg.low, reg.high)
        if not spec["low"] < spec["high"]:
            raise ScenarioError(path, f"{key}.high", f"expected high > low ({spec['low']!r}); "
                                "to hold a value fixed, set it in the scenario instead")
        start = spec.get("start", reg.default)
        check_number(path, f"{key}.start", start, spec["low"], spec["high"])
        priors[name] = spec.get("prior", "uniform")
        if priors[name] not in PRIORS:
            raise ScenarioError(path, f"{key}.prior", f"expected one of {', '.join(PRIORS)}, "
                                f"got {short(priors[name])}")
        if priors[name] == "loguniform" and not spec["low"] > 0:
            raise ScenarioError(path, f"{key}.low", "a loguniform prior needs low > 0")
        params.append((name, float(spec["low"]), float(spec["high"]), float(start), table))
    if not params:
        raise ScenarioError(path, "parameters", "expected at least one [parameters.<name>]")
    smallest = copy.copy(scenario)           # the fit may try the smallest register
    smallest.initial = {**scenario.initial, **{p[0]: p[1] for p in params
                                               if p[0] == "register_firms"}}
    check_scale(path, "calibration.scale", float(values.get("scale", CalibrationSpec.scale)),
                smallest)
    return CalibrationSpec(name=values.pop("name", path.stem), path=str(path),
                           scenario=scenario, parameters=params, text=text, priors=priors,
                           **values)


# parameters that act only from a year on: a fit to earlier years cannot identify them
FIRST_YEAR_OF_EFFECT = {"directory_threshold_2020_on_100m_yuan_per_year": DIRECTORY_EXPANSION_YEAR}


def restrict_years(spec: CalibrationSpec, years: list[int]) -> tuple[CalibrationSpec, list[str]]:
    """A copy of `spec` fitted to `years` only (the out-of-sample check), blind to the data
    of other years: stylized facts of other years (`…_2020`) are dropped; parameters that act
    only after the last fitted year are not fitted and take their model defaults (not the
    committed fit's values); the fitted ones start from their model defaults (clipped to
    the bounds), not from the committed fit. Returns (spec, dropped parameters)."""
    out = copy.copy(spec)
    out.years = sorted(years)
    out.facts = [f for f in spec.facts if not f[-4:].isdigit() or int(f[-4:]) in years]
    last = max(years)
    dropped = [p[0] for p in spec.parameters if FIRST_YEAR_OF_EFFECT.get(p[0], 0) > last]
    registry = {**PARAMETERS, **INITIAL}
    out.parameters = [(name, low, high, min(high, max(low, registry[name].default)), table)
                      for name, low, high, _, table in spec.parameters if name not in dropped]
    out.scenario = copy.deepcopy(spec.scenario)
    for name, *_, table in spec.parameters:
        if name in dropped:
            getattr(out.scenario, table)[name] = registry[name].default
    return out, dropped


def held_out_table(spec: CalibrationSpec, fitted: CalibrationSpec, theta: dict,
                   executor) -> pd.DataFrame:
    """The moments of `spec` that the restricted fit `fitted` did not use, simulated at its
    fitted `theta` with the same seeds: the out-of-sample errors."""
    full = copy.copy(spec)
    full.parameters, full.scenario = fitted.parameters, fitted.scenario
    table = Objective(full, executor).table(theta)
    used = {r["moment"] for r in moment_rows(fitted)}
    return table[~table.moment.isin(used)].reset_index(drop=True)


def moment_rows(spec: CalibrationSpec) -> list[dict]:
    """The moments of this calibration: observed rows of the chosen years, then facts."""
    obs = observed()
    rows = []
    for t in OBSERVED_TARGETS:
        if t.year not in spec.years or not t.moment:
            continue
        row = obs[(obs.year == t.year) & (obs.region == t.region) & (obs.metric == t.metric)]
        if row.empty:
            continue
        row = row.iloc[0]
        low, _ = plausible_band(float(row.value), row.confidence, t.kind)
        rows.append({"moment": f"{t.year} {t.region} {t.metric}", "kind": t.kind,
                     "target": t, "observed": float(row.value),
                     "half_width": float(row.value) - low, "weight": MOMENT_WEIGHT,
                     "row": f"{t.year},{t.region},{t.metric} ({row.series}, {row.confidence})"})
    for fact in spec.facts:
        low, high, _source = FACT_BANDS[fact]
        rows.append({"moment": fact, "kind": "fact", "target": fact, "observed": (low, high),
                     "half_width": (high - low) / 2, "weight": MOMENT_WEIGHT,
                     "row": f"stylized fact {fact}"})
    return rows


def moments_end_year(spec: CalibrationSpec) -> int:
    """The last year a run must simulate for the moments of `spec`."""
    # the year each stylized fact needs (see validation.stylized_facts)
    needs = {"five_year_survival": 2024, "tail_exponent": 2022,
             "hangzhou_firm_share_2020": 2020, "hangzhou_revenue_share_2020": 2020}
    return max([max(spec.years)] + [needs.get(f, 2018) for f in spec.facts])


def replicate_moments(scenario: Scenario, parameters: dict, initial: dict, seed: int,
                      scale: float, end_year: int) -> dict:
    """One replicate's simulated moments (runs in a worker)."""
    sc = copy.deepcopy(scenario)
    sc.end = end_year
    sc.parameters = {**sc.parameters, **parameters}
    sc.initial = {**sc.initial, **initial}
    m = AIEcosystemModel.from_scenario(sc, seed=seed, scale=scale)
    frame, panel = run_with_panel(m)
    frame = frame.assign(replicate=0)
    out = {}
    for t in (t for t in OBSERVED_TARGETS if t.moment):
        v = model_values(frame, t)
        if len(v):
            out[f"{t.year} {t.region} {t.metric}"] = float(v.iloc[0])
    out.update(stylized_facts(panel, m.params, m.hangzhou))
    return out


def distance(row: dict, simulated: float) -> float:
    """Signed distance of a simulated moment from its observed counterpart, in units of the
    moment's half-width (see module doc)."""
    half = row["half_width"]
    if row["kind"] == "fact":
        low, high = row["observed"]
        if simulated < low:
            return (simulated - low) / half
        if simulated > high:
            return (simulated - high) / half
        return 0.0
    if row["kind"] == "lower_bound":
        return min(0.0, (simulated - row["observed"]) / half)
    return (simulated - row["observed"]) / half


class Objective:
    """J(theta) with its evaluation history; replicates run on an executor."""

    def __init__(self, spec: CalibrationSpec, executor, progress=None):
        self.spec, self.executor, self.progress = spec, executor, progress
        self.rows = moment_rows(spec)
        self.seeds = replicate_seeds(spec.seed, spec.replicates)
        self.end_year = moments_end_year(spec)
        self.history: list[dict] = []
        self.cache: dict = {}

    def theta(self, x: np.ndarray) -> dict:
        return {name: low + float(np.clip(xi, 0, 1)) * (high - low)
                for (name, low, high, *_), xi in zip(self.spec.parameters, x)}

    def split(self, theta: dict) -> tuple[dict, dict]:
        """Behavioural parameters and initial values of a candidate."""
        kinds = {p[0]: p[4] for p in self.spec.parameters}
        return ({k: v for k, v in theta.items() if kinds[k] == "parameters"},
                {k: v for k, v in theta.items() if kinds[k] == "initial"})

    def simulate(self, theta: dict) -> list[dict]:
        return self.simulate_many([theta])[0]

    def simulate_many(self, thetas: list[dict]) -> list[list[dict]]:
        """Replicate moments of several candidates, all submitted at once to the executor."""
        keys = [tuple(sorted(t.items())) for t in thetas]
        todo = {k: t for k, t in zip(keys, thetas) if k not in self.cache}
        for c, (k, theta) in enumerate(todo.items()):
            params, initial = self.split(theta)
            for r, s in enumerate(self.seeds):
                self.executor.submit(f"c{c}-r{r}", replicate_moments, self.spec.scenario,
                                     params, initial, s, self.spec.scale, self.end_year)
        results = {k: v for k, v, err in self._collect()}
        for c, k in enumerate(todo):
            self.cache[k] = [results[f"c{c}-r{r}"] for r in range(len(self.seeds))]
        return [self.cache[k] for k in keys]

    def _collect(self):
        for key, value, error in self.executor.finished():
            if error is not None:
                raise error
            yield key, value, error

    def table(self, theta: dict, reps: list[dict] | None = None) -> pd.DataFrame:
        reps = self.simulate(theta) if reps is None else reps
        out = []
        for row in self.rows:
            vals = np.array([r.get(row["moment"], np.nan) for r in reps], dtype=float)
            if np.isnan(vals).all():
                raise ValueError(f"moment {row['moment']!r} was not simulated (too few firms "
                                 "at this scale?)")
            mean = float(np.nanmean(vals))
            d = distance(row, mean)
            out.append({"moment": row["moment"], "observed": row["observed"],
                        "simulated_mean": mean, "simulated_p10": float(np.nanquantile(vals, 0.1)),
                        "simulated_p90": float(np.nanquantile(vals, 0.9)), "distance": d,
                        "half_width": row["half_width"], "weight": row["weight"],
                        "contribution": row["weight"] * d * d,
                        "row": row["row"]})
        return pd.DataFrame(out)

    def __call__(self, x: np.ndarray) -> float:
        return self.evaluate_many(None, [x])[0]

    def evaluate_many(self, _func, xs) -> list[float]:
        """J for a batch of candidates (the `workers` map of differential evolution)."""
        thetas = [self.theta(np.asarray(x)) for x in xs]
        values = []
        for theta, reps in zip(thetas, self.simulate_many(thetas)):
            value = float(self.table(theta, reps).contribution.sum())
            self.history.append({"evaluation": len(self.history) + 1, "objective": value,
                                 **theta})
            values.append(value)
            if self.progress is not None:
                self.progress(len(self.history), value,
                              min(h["objective"] for h in self.history))
        return values


def calibrate(spec: CalibrationSpec, executor, progress=None) -> dict:
    """Minimise J by differential evolution (global, population-based, seeded), the
    declared start values in the first population; each generation's candidates run
    together on the executor. The simulated objective is rugged (firms enter and exit), so
    a local simplex method stalls near its start; DE does not."""
    obj = Objective(spec, executor, progress)
    x0 = np.array([(start - low) / (high - low) for _, low, high, start, _ in spec.parameters])
    d = len(x0)
    start_value = obj(x0)
    popsize = max(5, 2 * d)
    generations = max(1, spec.max_evaluations // popsize - 1)
    rng = np.random.default_rng(spec.seed)
    init = np.vstack([x0, qmc_lhs(popsize - 1, d, rng)])
    res = differential_evolution(obj, [(0.0, 1.0)] * d, init=init, maxiter=generations,
                                 popsize=1, seed=spec.seed, polish=False, tol=0.0,
                                 updating="deferred", workers=obj.evaluate_many)
    theta = obj.theta(res.x)
    params, initial = obj.split(theta)
    return {"theta": theta, "parameters": params, "initial": initial, "objective": float(res.fun), "start_objective": start_value,
            "evaluations": len(obj.history), "converged": bool(res.success),
            "message": str(res.message), "table": obj.table(theta), "history": obj.history}


def _years_text(years: list[int]) -> str:
    """2018-2020 for a run of years, else 2018,2020."""
    ys = sorted(years)
    if len(ys) > 1 and ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}-{ys[-1]}"
    return ",".join(map(str, ys))


def write_calibrated(spec: CalibrationSpec, result: dict, path: Path, command: str) -> None:
    """The calibrated parameter file with its provenance header, plus a `.fit.json` sidecar
    (the fit's moments and replicate bands, read by the regression-guard test)."""
    table = result["table"]
    lines = ["# Calibrated behavioural parameters: written by `zjai calibrate`, do not edit.",
             f"# command: {command}",
             (f"# calibration file: {Path(spec.path).name} (sha256 of text "
              f"{hashlib.sha256(spec.text.encode()).hexdigest()[:16]})"),
             f"# date: {now_iso()}, git {git_revision()}",
             "# method: simulated moments, differential evolution (scipy), common random numbers",
             (f"# seed {spec.seed}, {spec.replicates} replicates per candidate, scale {spec.scale:g}, "
              f"scenario {Path(spec.scenario.files[-1]).name}"),
             (f"# objective {result['objective']:.4f} (start {result['start_objective']:.4f}), "
              f"{result['evaluations']} evaluations, converged: {result['converged']}"),
             ("# data rows and moments used (observed | plausible half-width | simulated mean "
              "| distance in half-widths):")]
    for r in table.itertuples():
        obs = r.observed if not isinstance(r.observed, tuple) else f"{r.observed[0]:g}-{r.observed[1]:g}"
        lines.append(f"#   {r.row}: {obs} | {r.half_width:.3g} | {r.simulated_mean:.4g} "
                     f"| {r.distance:+.2f}")
    if "held_out" in result:
        lines.append("# held out, not fitted (observed | simulated mean | error):")
        for r in result["held_out"].itertuples():
            if isinstance(r.observed, tuple):
                lines.append(f"#   {r.row}: {r.observed[0]:g}-{r.observed[1]:g} | "
                             f"{r.simulated_mean:.4g} (distance {r.distance:+.2f})")
            else:
                lines.append(f"#   {r.row}: {r.observed:g} | {r.simulated_mean:.4g} "
                             f"| {r.simulated_mean / r.observed - 1:+.1%}")
    lines += ["", "[scenario]", 'name = "calibrated"',
              (f'description = """Behavioural parameters fitted to the observed '
               f'{_years_text(spec.years)} Zhejiang data and stylized facts\n(see the '
               'header); baseline.toml extends this file."""'),
              "", "[parameters]"]
    for name, value in result["parameters"].items():
        lines.append(f"{name} = {value!r}")
    if result["initial"]:
        lines += ["", "[initial]"] + [f"{k} = {v!r}" for k, v in result["initial"].items()]
    text = "\n".join(lines) + "\n"
    try:        # the link to a posterior sample stays (README, "Where the parameters come from")
        text = with_posterior_block(text, posterior_block(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError):
        pass
    atomic_write(path, lambda p: Path(p).write_text(text, encoding="utf-8"))
    write_json(path.with_suffix(".fit.json"), {
        "theta": result["theta"], "objective": result["objective"], "seed": spec.seed,
        "replicates": spec.replicates, "scale": spec.scale, "years": spec.years,
        "facts": spec.facts, "moments": json.loads(table.drop(columns=["observed"]).to_json(
            orient="records")),
        "held_out": (json.loads(result["held_out"].drop(columns=["observed"]).to_json(
            orient="records")) if "held_out" in result else [])})
