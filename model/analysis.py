"""Sensitivity analysis of a finished sweep: Sobol or Morris indices (SALib), effect plots.

Outcomes are (indicator, year) pairs for the province, averaged over replicates per point.
For Sobol designs: first-order and total indices with confidence intervals; for Morris:
mu* and sigma; for other designs: standardised regression coefficients and per-factor
effect plots. `drivers` ranks the factors for the outcomes that the plan targets.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .data import PROVINCE
from .experiments import Experiment, design_points


def outcome_matrix(exp: Experiment, results: pd.DataFrame) -> pd.DataFrame:
    """Point x outcome ("indicator@year") means over replicates, in design order."""
    df = results[results.region == PROVINCE]
    df = df.assign(outcome=df.indicator + "@" + df.year.astype(str))
    wide = df.groupby(["point", "outcome"]).value.mean().unstack("outcome")
    return wide.reindex(design_points(exp).index)


def indices(exp: Experiment, results: pd.DataFrame) -> pd.DataFrame:
    """One row per outcome and factor with the design's sensitivity measures."""
    X = design_points(exp)
    Y = outcome_matrix(exp, results)
    problem = exp.problem()
    rows = []
    for outcome in Y.columns:
        y = Y[outcome].to_numpy(dtype=float)
        if exp.design == "sobol":
            from SALib.analyze import sobol

            res = sobol.analyze(problem, y, calc_second_order=False, seed=exp.seed)
            for n, name in enumerate(problem["names"]):
                rows.append({"outcome": outcome, "factor": name, "S1": res["S1"][n],
                             "S1_conf": res["S1_conf"][n], "ST": res["ST"][n],
                             "ST_conf": res["ST_conf"][n]})
        elif exp.design == "morris":
            from SALib.analyze import morris

            res = morris.analyze(problem, X.to_numpy(), y, num_levels=exp.morris_levels,
                                 seed=exp.seed)
            for n, name in enumerate(problem["names"]):
                rows.append({"outcome": outcome, "factor": name, "mu_star": res["mu_star"][n],
                             "mu_star_conf": res["mu_star_conf"][n], "sigma": res["sigma"][n]})
        else:
            # standardised regression coefficients of a linear fit (Saltelli et al. 2008)
            x = X.to_numpy(dtype=float)
            xs = (x - x.mean(axis=0)) / np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
            ys = (y - y.mean()) / (y.std() if y.std() > 0 else 1.0)
            coef, *_ = np.linalg.lstsq(np.column_stack([np.ones(len(ys)), xs]), ys, rcond=None)
            for n, name in enumerate(problem["names"]):
                rows.append({"outcome": outcome, "factor": name, "SRC": coef[n + 1]})
    return pd.DataFrame(rows)


def measure(design: str) -> str:
    return {"sobol": "ST", "morris": "mu_star"}.get(design, "SRC")


def drivers(table: pd.DataFrame, design: str, outcomes: list[str]) -> pd.DataFrame:
    """Factors ranked by their main measure for each of `outcomes`."""
    key = measure(design)
    sub = table[table.outcome.isin(outcomes)].copy()
    sub["importance"] = sub[key].abs()
    sub = sub.sort_values(["outcome", "importance"], ascending=[True, False])
    sub["rank"] = sub.groupby("outcome").cumcount() + 1
    return sub


def bar_charts(table: pd.DataFrame, design: str, folder: Path) -> list[Path]:
    """One bar chart per outcome with the design's indices and their intervals."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for outcome, g in table.groupby("outcome"):
        fig, ax = plt.subplots(figsize=(8, 0.45 * len(g) + 1.8), dpi=110)
        y = np.arange(len(g))
        if design == "sobol":
            ax.barh(y - 0.2, g.S1, 0.4, xerr=g.S1_conf, label="first order S1")
            ax.barh(y + 0.2, g.ST, 0.4, xerr=g.ST_conf, label="total ST")
            ax.set_xlabel("Sobol index (95% interval)")
        elif design == "morris":
            ax.barh(y, g.mu_star, 0.6, xerr=g.mu_star_conf, label="mu*")
            ax.set_xlabel("Morris mu* (95% interval), outcome units")
        else:
            ax.barh(y, g.SRC, 0.6, label="standardised regression coefficient")
            ax.set_xlabel("standardised regression coefficient")
        ax.set_yticks(y, g.factor, fontsize=8)
        ax.set_title(f"Sensitivity of {outcome.replace('@', ' in ')}", fontsize=10)
        ax.legend(fontsize=8)
        ax.grid(axis="x", alpha=0.3)
        paths.append(_save(fig, folder, "sensitivity", outcome))
    return paths


def _save(fig, folder: Path, kind: str, outcome: str) -> Path:
    """Write one outcome's figure as <folder>/<kind>_<indicator>_<year>.png."""
    fig.tight_layout()
    path = folder / f"{kind}_{outcome.replace('@', '_')}.png"
    fig.savefig(path)
    plt.close(fig)
    return path


def effect_plots(exp: Experiment, results: pd.DataFrame, folder: Path) -> list[Path]:
    """Outcome against each factor (point means), one figure per outcome."""
    folder.mkdir(parents=True, exist_ok=True)
    X, Y = design_points(exp), outcome_matrix(exp, results)
    paths = []
    for outcome in Y.columns:
        k = len(X.columns)
        fig, axes = plt.subplots(1, k, figsize=(3.2 * k, 3.2), dpi=100, squeeze=False)
        for ax, name in zip(axes[0], X.columns):
            ax.scatter(X[name], Y[outcome], s=10, alpha=0.6)
            ax.set_xlabel(name, fontsize=7)
            ax.grid(alpha=0.3)
        axes[0, 0].set_ylabel(outcome.replace("@", " in "), fontsize=8)
        paths.append(_save(fig, folder, "effects", outcome))
    return paths
