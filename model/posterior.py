"""Bayesian calibration by simulation: ABC-SMC (pyabc) over the calibrated parameters.

Priors: each parameter of the calibration file uniform over its [low, high] range (the
ranges of the parameter tables, model/params.py and model/initial.py, narrowed by the
calibration file), or log-uniform where the file says `prior = "loguniform"`. Distance: the
MSM objective J of `model/calibration.py` for ONE replicate, sum_m d_m^2 with d_m the
standardised moment distance (`calibration.distance`) of that replicate's moment
(`calibration.replicate_moments`); a replicate that cannot simulate a moment is rejected.
Every particle runs one replicate with a fresh seed, spawned from the run's seed and the
particle's values (`particle_seed`). pyabc draws its proposals from numpy's global
generator; `SeededMappingSampler` seeds it in each task from the run's seed, the
generation and the task's index, so the same seed gives the same posterior on any executor.
The last generation's weighted particles are resampled to equally weighted rows: the
posterior sample file (`model/draws.py`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import random
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pyabc.sampler import MappingSampler

from .calibration import (
    CalibrationSpec,
    distance,
    load_calibration,
    moment_rows,
    moments_end_year,
    replicate_moments,
)
from .checks import ScenarioError, check_keys, check_number, check_table, read_toml, short

ABC_STREAM = 0x61626373       # spawn key of the sampler's streams ("abcs")
# pyabc draws from numpy's global generator: tasks in one process (threads of a Dask
# worker) take turns, or one would draw from another's seeded stream
GLOBAL_GENERATOR = threading.Lock()
# [posterior] keys of a calibration file: kind and bounds
ABC_KEYS = {"population": (int, 2, 100_000), "generations": (int, 1, 1000),
            "max_evaluations": (int, 1, 10**8), "scale": (float, 1e-3, 10.0),
            "seed": (int, 0, 2**63 - 1), "min_epsilon": (float, 0.0, 1e12),
            "draws": (int, 1, 100_000), "output": (str, None, None)}


@dataclass
class AbcSpec:
    """An ABC-SMC run: the calibration it samples and the `[posterior]` table's settings."""

    calibration: CalibrationSpec
    population: int = 200
    generations: int = 6
    max_evaluations: int = 20_000
    scale: float = 0.2
    seed: int = 2017
    min_epsilon: float = 0.0
    draws: int = 0                  # rows of the sample file; 0: the population size
    output: str = ""                # sample file; "": <point file stem>.posterior.csv

    @property
    def rows(self) -> int:
        return self.draws or self.population


def load_abc(path) -> AbcSpec:
    """A calibration file's ABC settings (its `[posterior]` table), checked."""
    cal = load_calibration(path)
    file = Path(cal.path)
    _, data = read_toml(file)
    table = check_table(file, "posterior", data.get("posterior", {}))
    check_keys(file, table, ABC_KEYS, "posterior")
    values = {"seed": cal.seed, "scale": cal.scale}
    for key, value in table.items():
        kind, low, high = ABC_KEYS[key]
        if kind is str:
            if not isinstance(value, str) or not value.endswith(".csv") or "\0" in value:
                raise ScenarioError(file, f"posterior.{key}", "expected a .csv file name "
                                    f"(relative to this file), got {short(value)}")
        else:
            check_number(file, f"posterior.{key}", value, low, high, integer=kind is int)
        values[key] = kind(value)
    return AbcSpec(cal, **values)


def particle_seed(master_seed: int, theta: dict) -> int:
    """A particle's replicate seed: spawned from the run's seed and the particle's values."""
    text = json.dumps(sorted((k, repr(float(v))) for k, v in theta.items()))
    words = int.from_bytes(hashlib.sha256(text.encode()).digest()[:16], "little")
    ss = np.random.SeedSequence([int(master_seed), words])
    return int(ss.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


class ReplicateModel:
    """pyabc's model: one replicate of the calibration's scenario at a particle's values."""

    def __init__(self, spec: CalibrationSpec, scale: float, seed: int):
        self.scenario, self.scale, self.seed = spec.scenario, scale, seed
        self.tables = {p[0]: p[4] for p in spec.parameters}
        self.end_year = moments_end_year(spec)

    def __call__(self, parameter) -> dict:
        theta = {k: float(v) for k, v in parameter.items()}
        split = {t: {k: v for k, v in theta.items() if self.tables[k] == t}
                 for t in ("parameters", "initial")}
        return replicate_moments(self.scenario, split["parameters"], split["initial"],
                                 particle_seed(self.seed, theta), self.scale, self.end_year)


class MomentDistance:
    """J of one replicate: the sum of squared standardised moment distances."""

    def __init__(self, rows: list[dict]):
        self.rows = rows

    def __call__(self, x: dict, _x0: dict | None = None) -> float:
        total = 0.0
        for row in self.rows:
            v = x.get(row["moment"])
            if v is None or not math.isfinite(v):
                return math.inf          # too few firms for this moment: rejected
            total += row["weight"] * distance(row, float(v)) ** 2
        return total


class SeededMappingSampler(MappingSampler):
    """pyabc's MappingSampler whose tasks seed numpy's and Python's global generators from
    the run's seed, the generation `t` and the task's index (pyabc's own sampler seeds
    them from the operating system): a run is reproducible on any executor."""

    def __init__(self, map_, seed: int):
        super().__init__(map_=map_)
        self.seed = int(seed)

    def map_function(self, simulate_one, task_seed):
        simulate_one = self.unpickle(simulate_one)
        with GLOBAL_GENERATOR:
            np.random.seed(task_seed)
            random.seed(int(task_seed[0]))
            sample, n = self._create_empty_sample(), 0
            while True:             # as pyabc's: simulate until one particle is accepted
                new = simulate_one()
                n += 1
                sample.append(new)
                if new.accepted:
                    return sample, n

    def sample_until_n_accepted(self, n, simulate_one, t, *, max_eval=np.inf,
                                all_accepted=False, ana_vars=None):
        import functools

        root = np.random.SeedSequence(self.seed, spawn_key=(ABC_STREAM, t + 1))
        seeds = [c.generate_state(4) for c in root.spawn(n)]
        fn = functools.partial(self.map_function, self.pickle(simulate_one))
        results = list(self.map_(fn, seeds))
        self.nr_evaluations_ = sum(k for _, k in results)
        sample = self._create_empty_sample()
        for part, _ in results:
            sample += part
        return sample


def executor_map(executor, progress=None):
    """A `map` on one of our executors (in order), reporting each finished task:
    progress(generation, accepted, population, evaluations) (generation -1 is pyabc's
    calibration sample from the prior)."""
    state = {"generation": -2, "evaluations": 0}

    def map_(fn, items):
        items = list(items)
        state["generation"] += 1
        for i, item in enumerate(items):
            executor.submit(f"abc{state['generation']}-{i}", fn, item)
        out = [None] * len(items)
        for done, (key, value, error) in enumerate(executor.finished(), start=1):
            if error is not None:
                raise error
            out[int(key.rsplit("-", 1)[1])] = value
            state["evaluations"] += value[1]
            if progress is not None:
                progress(state["generation"], done, len(items), state["evaluations"])
        return out

    return map_


def priors(spec: CalibrationSpec):
    """pyabc priors from the calibration file's ranges (uniform, or log-uniform)."""
    import pyabc

    rvs = {}
    for name, low, high, *_ in spec.parameters:
        if spec.priors.get(name, "uniform") == "loguniform":
            rvs[name] = pyabc.RV("loguniform", low, high)
        else:
            rvs[name] = pyabc.RV("uniform", low, high - low)
    return pyabc.Distribution(**rvs)


def run_abc(abc: AbcSpec, executor, progress=None, database: Path | None = None) -> dict:
    """ABC-SMC on `executor`; the last generation's particles and weights, epsilons and
    evaluations per generation, and the resampled rows. pyabc's database goes to a
    temporary folder, or to `database` if given."""
    import pyabc

    spec = abc.calibration
    rows = moment_rows(spec)
    observed = {r["moment"]: float(np.mean(r["observed"])) for r in rows}
    sampler = SeededMappingSampler(executor_map(executor, progress), abc.seed)
    smc = pyabc.ABCSMC(ReplicateModel(spec, abc.scale, abc.seed), priors(spec),
                       MomentDistance(rows), population_size=abc.population, sampler=sampler)
    logger = logging.getLogger("ABC")
    level, state = logger.level, np.random.get_state()
    logger.setLevel(logging.WARNING)
    np.random.seed(np.random.SeedSequence(abc.seed, spawn_key=(ABC_STREAM,)).generate_state(4))
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="zjai-abc-") as tmp:
            db = Path(database) if database else Path(tmp) / "abc.db"
            history = smc.new(f"sqlite:///{db}", observed)
            history = smc.run(minimum_epsilon=abc.min_epsilon or None,
                              max_nr_populations=abc.generations,
                              max_total_nr_simulations=abc.max_evaluations)
            particles, weights = history.get_distribution(m=0, t=history.max_t)
            pops = history.get_all_populations()
            evaluations = int(history.total_nr_simulations)
    finally:
        logger.setLevel(level)
        np.random.set_state(state)
    names = [p[0] for p in spec.parameters]
    particles = particles[names].reset_index(drop=True)
    weights = np.asarray(weights, dtype=float) / np.sum(weights)
    prior = int(pops[pops.t < 0].samples.sum())       # pyabc's calibration sample
    pops = pops[pops.t >= 0]
    return {"particles": particles, "weights": weights, "prior_samples": prior,
            "epsilons": [float(e) for e in pops.epsilon], "samples": [int(n) for n in pops.samples],
            "generations": len(pops), "evaluations": evaluations,
            "seconds": time.perf_counter() - started,
            "sample": resample(particles, weights, abc.rows, abc.seed)}


def resample(particles, weights: np.ndarray, rows: int, seed: int) -> np.ndarray:
    """`rows` equally weighted rows from weighted particles (systematic resampling, one
    uniform from the run's seed: each particle appears about rows * weight times)."""
    u = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(ABC_STREAM + 1,))).random()
    cum = np.cumsum(weights)
    idx = np.searchsorted(cum / cum[-1], (u + np.arange(rows)) / rows)
    return particles.to_numpy()[np.minimum(idx, len(weights) - 1)]


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The `q` quantile of weighted particle values (the header's median and band)."""
    order = np.argsort(values)
    cum = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cum / cum[-1], q)])


def header_lines(abc: AbcSpec, result: dict, command: str, executor: str) -> list[str]:
    """The provenance header of a posterior sample file."""
    from importlib.metadata import version

    from .provenance import git_revision, now_iso

    spec, w = abc.calibration, result["weights"]
    ess = 1.0 / float(np.sum(w ** 2))
    prior_text = ", ".join(f"{n} {spec.priors.get(n, 'uniform')}({lo:g}, {hi:g})"
                           for n, lo, hi, *_ in spec.parameters)
    lines = [
        ("Posterior sample of the calibrated parameters: written by `zjai calibrate "
         "--method abc`, do not edit."),
        f"command: {command}",
        (f"calibration file: {Path(spec.path).name} (sha256 of text "
         f"{hashlib.sha256(spec.text.encode()).hexdigest()[:16]})"),
        f"date: {now_iso()}, git {git_revision()}",
        (f"method: ABC-SMC (pyabc {version('pyabc')}), one replicate per particle at scale "
         f"{abc.scale:g} (scenario {Path(spec.scenario.files[-1]).name}), distance J of "
         "that replicate (model/calibration.py), median epsilon schedule"),
        f"priors: {prior_text}",
        (f"seed {abc.seed}, population {abc.population}, generations "
         f"{result['generations']} (of {abc.generations}), evaluations "
         f"{result['evaluations']} (max {abc.max_evaluations}), wall time "
         f"{result['seconds']:.0f} s on {executor}"),
        "epsilon per generation: " + ", ".join(f"{e:.4g}" for e in result["epsilons"]),
        (f"evaluations per generation: {', '.join(map(str, result['samples']))} (after "
         f"{result['prior_samples']} from the prior that set the first epsilon)"),
        (f"rows: the last generation's {len(w)} weighted particles (effective sample "
         f"size {ess:.0f}) resampled to {len(result['sample'])} equally weighted rows"),
        "posterior median [5%, 95%] per parameter:"]
    for name in result["particles"].columns:
        v = result["particles"][name].to_numpy()
        q = [weighted_quantile(v, w, p) for p in (0.5, 0.05, 0.95)]
        lines.append(f"  {name} = {q[0]:.6g} [{q[1]:.6g}, {q[2]:.6g}]")
    return lines


def default_output(abc: AbcSpec) -> tuple[Path, Path]:
    """(sample file, point file): the `[posterior] output`, else `<point stem>.posterior.csv`
    beside the point file (`calibration.output`)."""
    spec = abc.calibration
    point = (Path(spec.path).parent / spec.output).resolve()
    if abc.output:
        return (Path(spec.path).parent / abc.output).resolve(), point
    return point.with_name(point.stem + ".posterior.csv"), point


def link_text(point_text: str, sample: Path, point: Path) -> str:
    """The point file's text declaring `sample` as its `[posterior]` (relative path)."""
    from .draws import with_posterior_block

    rel = os.path.relpath(sample, point.parent)
    block = ("[posterior]                # one row per replicate, written by `zjai calibrate "
             f"--method abc`\nfile = {json.dumps(rel)}\n")
    return with_posterior_block(point_text, block)
