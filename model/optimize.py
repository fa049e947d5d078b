"""Robust many-objective search over lever settings (`zjai optimize EXPERIMENT`).

pymoo's NSGA-II (or NSGA-III) proposes lever settings (`optimize_spec.py`); each candidate is
run on the same replicate seeds (common random numbers) through the sweep executors and
scored by its mean public cost, P(target met) and expected relative shortfall. The cheapest
Pareto point that meets every named target with P(met) >= the threshold is recommended and
re-run on fresh seeds not used in the search, beside the base scenario on the same seeds.

Durable and resumable like a sweep. The output folder holds:
- `.zjai.lock` (one optimiser at a time) and `optimize.json` (the experiment's hash);
- `evaluations.jsonl`: one line per finished run, appended and fsynced as it finishes, keyed
  by `id` = hash(candidate values, seed, kind): its lever values, seed, cost and outcomes;
- `generations.jsonl`: after each generation, its candidates and objective values.
A rerun replays the search from the seed: pymoo's choices depend only on its own seeded
generator and the objective values, which finished evaluations supply from the store, so it
reaches the same state without repeating a run, and checks each replayed generation
against `generations.jsonl`. On completion: `pareto.csv`, `pareto.png`, `recommended.toml`,
`verification.csv`, `metadata.json` (each written atomically).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .evaluation import outcome_run, set_slot, target_key
from .executors import Executor, InProcessExecutor
from .levers import LEVERS
from .optimize_spec import OptimizeSpec
from .optimize_store import (
    EvaluationStore,
    OptimizeError,
    append_line,
    lock_folder,
    read_generations,
    stamp_folder,
)
from .provenance import (
    atomic_write,
    git_revision,
    now_iso,
    versions,
    write_json,
)
from .runner import replicate_seeds
from .toml_text import lever_value

GRID = 10_000       # continuous decisions are rounded to 1/GRID of their range


# ---------------------------------------------------------------- candidates and seeds


def decode(spec: OptimizeSpec, x) -> dict[str, float]:
    """Lever values of a pymoo decision vector: integers rounded, others on a fine grid."""
    out = {}
    for d, v in zip(spec.decisions, x):
        v = min(d.high, max(d.low, float(v)))
        if LEVERS[d.slot.lever].integer:
            v = float(round(v))
        else:
            step = (d.high - d.low) / GRID
            v = float(round(d.low + round((v - d.low) / step) * step, 10))
        out[d.name] = v
    return out


def candidate_id(values: dict) -> str:
    text = json.dumps({k: repr(float(v)) for k, v in sorted(values.items())})
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def evaluation_id(cand: str, seed: int, kind: str) -> str:
    return hashlib.sha256(f"{cand}|{seed}|{kind}".encode()).hexdigest()[:20]


def search_seeds(spec: OptimizeSpec) -> list[int]:
    """Replicate seeds of the search (the same for every candidate)."""
    return replicate_seeds(spec.seed, spec.replicates)


def verification_seeds(spec: OptimizeSpec) -> list[int]:
    """Fresh seeds: the next children of the same master seed, never used by the search."""
    return replicate_seeds(spec.seed, spec.replicates + spec.verification_replicates)[
        spec.replicates:]


def model_kwargs(spec: OptimizeSpec, values: dict | None, seed: int | None = None) -> dict:
    """The base scenario cut at `end`, with the decision levers held at `values` from
    `from_year` on (None: the base scenario as it is); given a run's `seed`, with the
    posterior row that seed draws (`Scenario.for_replicate`)."""
    sc = spec.scenario if seed is None else spec.scenario.for_replicate(seed)
    kwargs = sc.model_kwargs()
    kwargs["end_year"] = spec.end
    for d in spec.decisions if values is not None else []:
        set_slot(kwargs, d.slot, spec.from_year, values[d.name])
    return kwargs


def evaluate(spec: OptimizeSpec, store: EvaluationStore, executor: Executor,
             candidates: list[dict], seeds: list[int], kind: str,
             progress: Callable[[int], None] | None = None) -> list[list[dict]]:
    """Each candidate's runs on `seeds` (None: the base scenario), from the store where
    finished, else on the executor (retried up to `spec.retries` times)."""
    todo: dict[str, tuple] = {}
    for values in candidates:
        cand = "base" if values is None else candidate_id(values)
        for r, seed in enumerate(seeds):
            eid = evaluation_id(cand, seed, kind)
            if eid in store.records or eid in todo:
                store.served += 1
                if progress is not None:
                    progress(1)
            else:
                todo[eid] = (cand, values, r, seed)
    tries = dict.fromkeys(todo, 0)
    failed: dict[str, str] = {}
    targets = tuple(spec.targets)
    for eid, (_, values, _, seed) in todo.items():
        executor.submit(eid, outcome_run, model_kwargs(spec, values, seed), seed, spec.scale,
                        targets, spec.cost_years)
    for eid, result, error in executor.finished():
        cand, values, r, seed = todo[eid]
        tries[eid] += 1
        if error is not None:
            failed[eid] = f"{type(error).__name__}: {error}"
            if tries[eid] <= spec.retries:
                executor.submit(eid, outcome_run, model_kwargs(spec, values, seed), seed,
                                spec.scale, targets, spec.cost_years)
            continue
        failed.pop(eid, None)
        store.add({"id": eid, "candidate": cand, "kind": kind, "values": values,
                   "replicate": r, "seed": seed, **result, "time": now_iso()})
        store.computed += 1
        if progress is not None:
            progress(1)
    if failed:
        eid, err = next(iter(failed.items()))
        raise OptimizeError(f"{len(failed)} runs failed (e.g. {eid}: {err}); finished runs "
                            "are kept: rerun the same command to resume")
    out = []
    for values in candidates:
        cand = "base" if values is None else candidate_id(values)
        out.append([store.records[evaluation_id(cand, s, kind)] for s in seeds])
    return out


def scores(spec: OptimizeSpec, runs: list[dict]) -> dict:
    """Mean cost, P(met) and expected relative shortfall of every named target over runs."""
    out = {"public_cost_100m_yuan": float(np.mean([r["cost"] for r in runs])),
           "replicates": len(runs)}
    for t in spec.targets:
        key = target_key(t.indicator, t.year)
        v = np.array([r["values"][key] for r in runs], dtype=float)
        out[f"p_met:{key}"] = float(np.mean(v >= t.value))
        out[f"shortfall:{key}"] = float(np.mean(np.maximum(0.0, t.value - v) / t.value))
        out[f"median:{key}"] = float(np.median(v))
    return out


def objective_vector(spec: OptimizeSpec, s: dict) -> list[float]:
    """Scores as pymoo minimises them (P(met) negated)."""
    return [-s[name] if name.startswith("p_met:") else s[name] for name in spec.objectives]


# ---------------------------------------------------------------- the search


def make_algorithm(spec: OptimizeSpec):
    from pymoo.algorithms.moo.nsga2 import NSGA2
    from pymoo.algorithms.moo.nsga3 import NSGA3
    from pymoo.util.ref_dirs import get_reference_directions

    if spec.algorithm == "nsga3":
        from math import comb

        # the finest Das-Dennis lattice with no more directions than the population
        n_obj, partitions = len(spec.objectives), 1
        while comb(partitions + 1 + n_obj - 1, n_obj - 1) <= spec.population:
            partitions += 1
        ref_dirs = get_reference_directions("das-dennis", n_obj, n_partitions=partitions)
        return NSGA3(ref_dirs=ref_dirs, pop_size=spec.population)
    return NSGA2(pop_size=spec.population)


@dataclass
class SearchResult:
    archive: pd.DataFrame       # every candidate evaluated: values, scores, generation
    pareto: pd.DataFrame        # the non-dominated candidates, cheapest first
    recommended: pd.Series
    meets_threshold: bool
    verification: pd.DataFrame
    reused: int                 # runs served from the store
    computed: int               # runs computed in this invocation
    seconds: float
    out: Path


def search(spec: OptimizeSpec, out, executor: Executor | None = None,
           progress: Callable[[str, int, int], None] | None = None) -> SearchResult:
    """Run (or resume) the search; write its outputs into `out`."""
    out = Path(out)
    lock = lock_folder(out)
    try:
        return _search_locked(spec, out, executor or InProcessExecutor(), progress)
    finally:
        lock.release()


def _search_locked(spec, out, executor, progress) -> SearchResult:
    from pymoo.core.evaluator import Evaluator
    from pymoo.core.problem import Problem
    from pymoo.problems.static import StaticProblem

    started = time.perf_counter()
    stamp_folder(spec, out)
    for tmp in out.glob(".*.tmp"):
        tmp.unlink(missing_ok=True)          # left by a killed writer; we hold the lock
    store = EvaluationStore(out)
    recorded = read_generations(out / "generations.jsonl")
    seeds = search_seeds(spec)
    # at most this many runs (a duplicate candidate is run once)
    total = spec.population * spec.generations * spec.replicates \
        + 2 * spec.verification_replicates
    done = [0]

    def tick(n: int = 1) -> None:
        done[0] += n
        if progress is not None:
            progress(phase[0], done[0], total)

    phase = ["search"]

    problem = Problem(n_var=len(spec.decisions), n_obj=len(spec.objectives),
                      xl=np.array([d.low for d in spec.decisions]),
                      xu=np.array([d.high for d in spec.decisions]))
    algorithm = make_algorithm(spec)
    algorithm.setup(problem, termination=("n_gen", spec.generations),
                    seed=int(spec.seed % 2**32), verbose=False)
    archive: dict[str, dict] = {}
    for gen in range(spec.generations):
        pop = algorithm.ask()
        cands = [decode(spec, x) for x in pop.get("X")]
        runs = evaluate(spec, store, executor, cands, seeds, "search", tick)
        rows = []
        for values, r in zip(cands, runs):
            s = scores(spec, r)
            cid = candidate_id(values)
            archive.setdefault(cid, {"candidate": cid, "generation": gen, **values, **s})
            rows.append(objective_vector(spec, s))
        F = np.array(rows, dtype=float)
        Evaluator().eval(StaticProblem(problem, F=F), pop)
        algorithm.tell(infills=pop)
        entry = {"generation": gen, "candidates": [candidate_id(c) for c in cands],
                 "F": F.tolist()}
        if gen < len(recorded):
            if recorded[gen]["candidates"] != entry["candidates"]:
                raise OptimizeError(f"{out}/generations.jsonl: generation {gen} was recorded "
                                    "with other candidates than this replay proposes (another "
                                    "pymoo version?); use a new --out folder")
        else:
            append_line(out / "generations.jsonl", entry)
    table = pd.DataFrame(list(archive.values()))
    pareto = pareto_front(spec, table)
    recommended, meets = recommend(spec, pareto)
    values = {d.name: float(recommended[d.name]) for d in spec.decisions}
    fresh = verification_seeds(spec)
    phase[0] = "verification"
    rec_runs, base_runs = evaluate(spec, store, executor, [values, None], fresh,
                                   "verification", tick)
    verification = verification_table(spec, rec_runs, base_runs)
    write_outputs(spec, out, table, pareto, recommended, meets, verification, executor)
    return SearchResult(table, pareto, recommended, meets, verification,
                        reused=store.served, computed=store.computed,
                        seconds=time.perf_counter() - started, out=out)


# ---------------------------------------------------------------- choosing


def pareto_front(spec: OptimizeSpec, table: pd.DataFrame) -> pd.DataFrame:
    """The candidates no other evaluated candidate dominates, cheapest first."""
    from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

    F = np.array([objective_vector(spec, row) for row in table.to_dict("records")])
    front = NonDominatedSorting().do(F, only_non_dominated_front=True)
    out = table.iloc[sorted(front)]
    # identical objective vectors are one point: keep the first found
    keys = [tuple(objective_vector(spec, row)) for row in out.to_dict("records")]
    out = out[~pd.Series(keys, index=out.index).duplicated()]
    return out.sort_values(["public_cost_100m_yuan", "generation"], kind="stable",
                           ignore_index=True)


def p_met_columns(spec: OptimizeSpec) -> list[str]:
    return [f"p_met:{target_key(t.indicator, t.year)}" for t in spec.targets]


def recommend(spec: OptimizeSpec, pareto: pd.DataFrame) -> tuple[pd.Series, bool]:
    """The cheapest Pareto point with P(met) >= threshold for every named target; if none
    reaches it, the one with the highest least P(met) (then the cheapest)."""
    cols = p_met_columns(spec)
    ok = pareto[(pareto[cols] >= spec.threshold - 1e-12).all(axis=1)]
    if len(ok):
        return ok.iloc[0], True
    worst = pareto[cols].min(axis=1)
    best = pareto[worst == worst.max()]
    return best.iloc[0], False


def verification_table(spec: OptimizeSpec, rec_runs: list[dict],
                       base_runs: list[dict]) -> pd.DataFrame:
    """P(met) of every named target and the public cost of the recommended mix and of the
    base scenario on the same fresh seeds."""
    rows = []
    for mix, runs in (("recommended", rec_runs), ("base_scenario", base_runs)):
        s = scores(spec, runs)
        costs = np.array([r["cost"] for r in runs])
        for t in spec.targets:
            key = target_key(t.indicator, t.year)
            v = np.array([r["values"][key] for r in runs])
            rows.append({"mix": mix, "indicator": t.indicator, "year": t.year,
                         "target": t.value, "p_met": s[f"p_met:{key}"],
                         "met": int((v >= t.value).sum()), "replicates": len(runs),
                         "median": float(np.median(v)), "p10": float(np.quantile(v, 0.1)),
                         "p90": float(np.quantile(v, 0.9)),
                         "public_cost_100m_yuan": float(costs.mean()),
                         "meets_threshold": bool(s[f"p_met:{key}"] >= spec.threshold),
                         "seeds": " ".join(str(r["seed"]) for r in runs)})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- outputs


def recommended_toml(spec: OptimizeSpec, out: Path, rec: pd.Series, meets: bool) -> str:
    """A scenario file that extends the base scenario (relative path) with the mix."""
    values = {d.name: float(rec[d.name]) for d in spec.decisions}
    kwargs = model_kwargs(spec, values)
    base = Path(spec.scenario.files[-1])
    rel = os.path.relpath(base, Path(out).resolve())
    cols = p_met_columns(spec)
    p = ", ".join(f"{c.split(':', 1)[1]} {rec[c]:.2f}" for c in cols)
    status = (f"P(met) >= {spec.threshold:g} for every named target in the search"
              if meets else f"NO Pareto point reached P(met) >= {spec.threshold:g} for every "
              "named target; this is the one with the highest least P(met)")
    lines = [f"# zjai optimize {spec.name}: the cheapest Pareto point with {status}.",
             (f"# Search: {spec.replicates} replicates per candidate at scale {spec.scale:g} to "
             f"{spec.end}; P(met) {p}; public cost {spec.cost_years[0]}-{spec.cost_years[1]} "
             f"{rec['public_cost_100m_yuan']:.1f} (1e8 yuan). verification.csv re-runs it on "
             "fresh seeds."), "", "[scenario]", f'name = "recommended_{spec.name}"',
             f'extends = "{rel}"',
             (f'description = """The mix recommended by `zjai optimize {Path(spec.path).name}`: '
             f'decision levers held from {spec.from_year} on; everything else as in '
             f'{base.name}."""'), "", "[levers]"]
    cities: dict = {}
    for d in spec.decisions:
        if d.slot.city is None:
            lines.append(f"{d.slot.lever} = {lever_value(kwargs['levers'][d.slot.lever])}")
        else:
            cities.setdefault(d.slot.city, []).append(d.slot.lever)
    for city, levers in cities.items():
        lines += ["", f"[levers.city.{city}]"]
        for lever in levers:
            spec_ = {y: round(v, 6) for y, v in kwargs["city_levers"][city][lever].items()}
            lines.append(f"{lever} = {lever_value(spec_)}")
    return "\n".join(lines) + "\n"


def plot_pareto(spec: OptimizeSpec, table: pd.DataFrame, pareto: pd.DataFrame,
                rec: pd.Series, base_point: tuple | None, path: Path) -> None:
    """Public cost against the least P(met) of the named targets (or the first two
    objectives without a cost objective): every candidate, the front, the recommendation."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cols = p_met_columns(spec)
    x_name = "public_cost_100m_yuan"
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    least = table[cols].min(axis=1)
    ax.scatter(table[x_name], least, s=14, color="lightgrey", label="evaluated candidates")
    pl = pareto[cols].min(axis=1)
    ax.scatter(pareto[x_name], pl, s=30, color="tab:blue", label="Pareto front")
    ax.scatter([rec[x_name]], [rec[cols].min()], s=160, marker="*", color="tab:red",
               label="recommended", zorder=3)
    if base_point is not None:
        ax.scatter([base_point[0]], [base_point[1]], s=80, marker="s", color="black",
                   label="base scenario (verification seeds)", zorder=3)
    ax.axhline(spec.threshold, color="tab:red", linestyle="--", linewidth=0.8)
    ax.set_xlabel(f"public cost {spec.cost_years[0]}-{spec.cost_years[1]}, 1e8 yuan "
                  f"(mean of {spec.replicates} replicates)")
    ax.set_ylabel(f"least P(met) of {len(cols)} target(s) ({spec.replicates} replicates)")
    ax.set_ylim(-0.05, 1.05)
    ax.set_title(f"{spec.name}: cost against P(target met)", fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=120, format="png")
    plt.close(fig)


def write_outputs(spec, out, table, pareto, rec, meets, verification, executor) -> None:
    cols = [d.name for d in spec.decisions]
    score_cols = ["public_cost_100m_yuan", *[c for c in pareto.columns
                                             if c.split(":")[0] in ("p_met", "shortfall",
                                                                    "median")]]
    front = pareto[["candidate", "generation", *cols, *score_cols, "replicates"]].copy()
    front.columns = [c.replace(":", "_") for c in front.columns]
    base = verification[verification.mix == "base_scenario"]
    base_point = ((float(base.public_cost_100m_yuan.iloc[0]), float(base.p_met.min()))
                  if len(base) else None)
    text = recommended_toml(spec, out, rec, meets)
    atomic_write(out / "pareto.csv", lambda p: front.to_csv(p, index=False))
    atomic_write(out / "pareto.png", lambda p: plot_pareto(spec, table, pareto, rec,
                                                           base_point, p))
    atomic_write(out / "recommended.toml", lambda p: Path(p).write_text(text, encoding="utf-8"))
    atomic_write(out / "verification.csv", lambda p: verification.to_csv(p, index=False))
    write_json(out / "metadata.json", {
        "created": now_iso(), "experiment": spec.name, "file": spec.path,
        "experiment_text": spec.text, "scenario_text": spec.scenario.text,
        "sha256": spec.sha256, "algorithm": spec.algorithm, "population": spec.population,
        "generations": spec.generations, "replicates": spec.replicates,
        "search_seeds": search_seeds(spec), "verification_seeds": verification_seeds(spec),
        "scale": spec.scale, "end": spec.end, "objectives": spec.objectives,
        "candidates": len(table), "pareto_points": len(pareto),
        "recommended_meets_threshold": meets, "versions": versions(),
        "git_revision": git_revision(), "executor": executor.description,
        "parameters": spec.scenario.parameter_source,
        "posterior": spec.scenario.posterior and spec.scenario.posterior.record(),
        "parameter_draws": [{"seed": s, **spec.scenario.draw(s)} for s in
                            search_seeds(spec) + verification_seeds(spec)
                            if spec.scenario.posterior is not None],
    })
