"""Where the uncertainty of an outcome comes from: seeds, parameters, levers (issue 14).

A crossed design: `L` lever points (a Latin hypercube over an experiment file's lever
factors; or the scenario's own levers alone, L = 1) x `D` posterior rows x `S` seeds, the
same rows and seeds at every lever point (common random numbers). With y[l, d, s] an
outcome, the law of total variance splits it into

    seeds       V_s = mean over (l, d) of the variance over s
    parameters  V_p = mean over l of the variance over d of the seed means, less V_s / S
    levers      V_l = variance over l of the (d, s) means, less V_p / D + V_s / (D S)

(the corrections remove the noise of the finite means; a component below zero is 0). Each
share is its component over their sum. For one lever point the split is seeds against
parameters: what a planner reads as "the model's uncertainty" about the plan.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import qmc

from .ecosystem import AIEcosystemModel
from .experiments import Experiment
from .runner import replicate_seeds, run_to_end

COMPONENTS = ("seeds", "parameters", "levers")


def lever_points(exp: Experiment, n: int) -> list[dict]:
    """`n` points of a Latin hypercube over the experiment's lever factors (seeded by it)."""
    factors = [f for f in exp.factors if f.kind == "lever"]
    if n <= 0 or not factors:
        return [{}]
    unit = qmc.LatinHypercube(d=len(factors), seed=np.random.default_rng(exp.seed)).random(n)
    x = qmc.scale(unit, [f.low for f in factors], [f.high for f in factors])
    return [{f.name: float(v) for f, v in zip(factors, row)} for row in x]


def posterior_rows(scenario, n: int, seed: int) -> list[int | None]:
    """`n` distinct posterior rows (a seeded choice); [None] (the point values) without one."""
    p = scenario.posterior
    if p is None:
        return [None]
    rng = np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(1,)))
    _, first = np.unique(p.values, axis=0, return_index=True)   # resampled rows repeat
    return [int(i) for i in rng.choice(np.sort(first), size=min(n, len(first)), replace=False)]


def run_cell(scenario, levers: dict, row: int | None, seed: int, scale: float,
             indicators: list, years: list, regions: list) -> pd.DataFrame:
    """One run (in a worker): the scenario with posterior row `row` and `levers` set."""
    sc = scenario.point_estimate() if row is None else scenario.with_draw(
        scenario.posterior.row(row))
    kwargs = sc.model_kwargs()
    kwargs["levers"] = {**kwargs["levers"], **levers}
    model = run_to_end(AIEcosystemModel(**kwargs, seed=seed, scale=scale))
    df = model.recorder.frame()
    return df[df.indicator.isin(indicators) & df.year.isin(years) & df.region.isin(regions)]


def components(y: np.ndarray) -> dict:
    """Variance components of y[l, d, s] (see the module docstring) and their shares."""
    n_l, n_d, n_s = y.shape
    v_s = float(y.var(axis=2, ddof=1).mean()) if n_s > 1 else 0.0
    cell = y.mean(axis=2)
    v_p = float(cell.var(axis=1, ddof=1).mean()) - v_s / n_s if n_d > 1 else 0.0
    v_p = max(v_p, 0.0)
    v_l = (float(cell.mean(axis=1).var(ddof=1)) - v_p / n_d - v_s / (n_d * n_s)
           if n_l > 1 else 0.0)
    v_l = max(v_l, 0.0)
    total = v_s + v_p + v_l
    out = {"mean": float(y.mean()), "sd_total": float(np.sqrt(total)),
           "var_seeds": v_s, "var_parameters": v_p, "var_levers": v_l}
    for name, v in zip(COMPONENTS, (v_s, v_p, v_l)):
        out[f"share_{name}"] = v / total if total > 0 else float("nan")
    return out


def decompose(exp: Experiment, executor, n_levers: int, n_draws: int, n_seeds: int,
              progress=None) -> pd.DataFrame:
    """The variance decomposition of the experiment's outcomes, for its scenario's own
    levers (`design` = "plan") and over `n_levers` lever points (`design` = "levers")."""
    sc = exp.scenario
    rows = posterior_rows(sc, n_draws, exp.seed)
    seeds = replicate_seeds(exp.seed, n_seeds)
    designs = {"plan": [{}]}
    if n_levers > 0:
        designs["levers"] = lever_points(exp, n_levers)
    jobs = {}
    for design, points in designs.items():
        for li, lev in enumerate(points):
            for di, row in enumerate(rows):
                for si, seed in enumerate(seeds):
                    key = f"{design}-{li}-{di}-{si}"
                    jobs[key] = (design, li, di, si)
                    executor.submit(key, run_cell, sc, lev, row, seed, exp.scale,
                                    exp.indicators, exp.years, exp.regions)
    frames = []
    for key, df, exc in executor.finished():
        if exc is not None:
            raise RuntimeError(f"run {key} failed: {exc}") from exc
        design, li, di, si = jobs[key]
        frames.append(df.assign(design=design, lever_point=li, draw=di, seed_index=si))
        if progress is not None:
            progress()
    data = pd.concat(frames, ignore_index=True)
    out = []
    for (design, ind, year, region), g in data.groupby(["design", "indicator", "year",
                                                         "region"]):
        n_l = len(designs[design])
        y = np.full((n_l, len(rows), len(seeds)), np.nan)
        y[g.lever_point.to_numpy(), g.draw.to_numpy(), g.seed_index.to_numpy()] = g.value
        out.append({"design": design, "indicator": ind, "year": int(year), "region": region,
                    "lever_points": n_l, "draws": len(rows), "seeds": len(seeds),
                    **components(y)})
    return pd.DataFrame(out)


def report(table: pd.DataFrame, exp: Experiment, posterior: str) -> str:
    """The decomposition as Markdown."""
    lines = [f"# Where the uncertainty comes from: {exp.name}", "",
             (f"Scenario {exp.scenario.name}, scale {exp.scale:g}, seed {exp.seed}; parameters "
             f"from {posterior}. Shares of the variance of each outcome (model/uncertainty.py).")]
    for design, title in (("plan", "The scenario's own levers: seeds against parameters"),
                          ("levers", "Over the lever ranges of the experiment file")):
        t = table[table.design == design]
        if t.empty:
            continue
        first = t.iloc[0]
        lines += ["", f"## {title}", "",
                  (f"{first.lever_points} lever point(s) x {first.draws} posterior draw(s) x "
                  f"{first.seeds} seeds = {first.lever_points * first.draws * first.seeds} "
                  "runs."), "",
                  "| indicator | year | region | mean | sd | seeds | parameters | levers |",
                  "|---|---:|---|---:|---:|---:|---:|---:|"]
        for r in t.itertuples():
            lines.append(f"| {r.indicator} | {r.year} | {r.region} | {r.mean:,.4g} | "
                         f"{r.sd_total:,.3g} | {r.share_seeds:.0%} | {r.share_parameters:.0%} "
                         f"| {r.share_levers:.0%} |")
    return "\n".join(lines) + "\n"
