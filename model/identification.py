"""Identification: which moment pins down which fitted parameter (`zjai calibrate --identify`).

At the fitted point (the calibration scenario's values), each parameter of a calibration
file is moved by `STEP` of its range either way and the moments are simulated on the same
seeds (common random numbers): J[m, p] = d z_m / d x_p by central differences, where x_p is
the parameter as a share of its range [low, high] and z_m the standardised moment, so a
column says by how many plausible half-widths each moment moves when the parameter crosses
its whole range. z_m is the calibration's distance without its flat part:
(simulated - observed) / half-width, for a stylized fact measured from its band's centre,
for a forecast floor from the floor; a moment inside its band still has a slope.

A parameter is weakly identified when no moment moves by `WEAK` half-widths over its range
(its column is near zero) or when no slope stands out of the replicates' noise (2 standard
errors), and the data cannot tell two parameters apart when their columns are nearly
collinear (|cos| > `COLLINEAR`). The singular values of J summarise the whole: the condition
number is large when some direction in parameter space moves no moment.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .calibration import CalibrationSpec, Objective, moment_rows
from .initial import INITIAL
from .params import PARAMETERS

STEP = 0.1            # share of each parameter's range moved either way
WEAK = 1.0            # half-widths over the whole range below which a column is near zero
COLLINEAR = 0.9       # |cosine| of two columns above which they are nearly collinear


def standardised(row: dict, simulated: float) -> float:
    """A moment in units of its half-width from the observed value (a fact's band centre)."""
    centre = np.mean(row["observed"]) if row["kind"] == "fact" else row["observed"]
    return (simulated - centre) / row["half_width"]


def finite_difference_jacobian(moments, x0, step: float = STEP):
    """Central differences of `moments` at `x0` in the unit cube. `moments(xs)` returns an
    array (len(xs), replicates, m) of replicate moments, the same seeds for every point.
    Returns J (m, k) from replicate means and its standard error (m, k) from the spread of
    the replicates' own differences (NaN with one replicate)."""
    x0 = np.asarray(x0, dtype=float)
    k = len(x0)
    points = []
    for p in range(k):
        for sign in (1.0, -1.0):
            x = x0.copy()
            x[p] = np.clip(x0[p] + sign * step, 0.0, 1.0)
            points.append(x)
    values = np.asarray(moments(points), dtype=float)        # (2k, replicates, m)
    width = np.array([points[2 * p][p] - points[2 * p + 1][p] for p in range(k)])
    diffs = (values[0::2] - values[1::2]) / width[:, None, None]   # (k, replicates, m)
    reps = np.sum(np.isfinite(diffs), axis=1).T
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)      # a moment no replicate had
        jac = np.nanmean(diffs, axis=1).T
        se = (np.nanstd(diffs, axis=1, ddof=1).T / np.sqrt(reps) if diffs.shape[1] > 1
              else np.full_like(jac, np.nan))
    return jac, se


def identification_table(jac, se, parameters: list[str], moments: list[str]):
    """Per parameter: its column's norm, the moment that pins it down (the largest slope
    beyond 2 standard errors) and by how much, the most collinear other parameter, and a
    verdict; and the singular values of J."""
    jac = np.nan_to_num(np.asarray(jac, dtype=float))
    se = np.asarray(se, dtype=float)
    norms = np.linalg.norm(jac, axis=0)
    unit = jac / np.where(norms > 0, norms, 1.0)
    cos = unit.T @ unit
    # a slope stands out of the noise beyond 2 standard errors (all do with one replicate)
    clear = ~(np.abs(jac) < 2 * np.nan_to_num(se, nan=0.0))
    rows = []
    for p, name in enumerate(parameters):
        slopes = np.abs(jac[:, p]) * np.where(clear[:, p], 1.0, 0.0)
        m = int(np.argmax(slopes if slopes.any() else np.abs(jac[:, p])))
        largest = float(abs(jac[m, p]))
        others = [q for q in range(len(parameters)) if q != p]
        q = max(others, key=lambda q: abs(cos[p, q])) if others else None
        problems = []
        if np.abs(jac[:, p]).max() < WEAK:
            problems.append(f"near-zero column (no moment moves {WEAK:g} half-width)")
        elif not slopes.any():
            problems.append("no slope beyond 2 standard errors")
        elif largest < WEAK:
            problems.append(f"no clear slope of {WEAK:g} half-width")
        if q is not None and abs(cos[p, q]) > COLLINEAR and norms[q] > 0 and largest > 0:
            problems.append(f"collinear with {parameters[q]} (cos {cos[p, q]:+.2f})")
        rows.append({"parameter": name, "column_norm": float(norms[p]),
                     "largest_slope": float(jac[m, p]), "largest_slope_se": float(se[m, p]),
                     "pinned_by": moments[m] if largest > 0 else "none",
                     "most_collinear_with": parameters[q] if q is not None else "",
                     "cosine": float(cos[p, q]) if q is not None else np.nan,
                     "identified": not problems, "problem": "; ".join(problems)})
    singular = np.linalg.svd(jac, compute_uv=False)
    return pd.DataFrame(rows), singular


def weakest_direction(jac, parameters: list[str]) -> tuple[float, dict]:
    """Over the columns that are not near zero: the condition number of J and the
    parameter combination the moments see least (the right singular vector of the smallest
    singular value, loadings above 0.3 in size)."""
    jac = np.nan_to_num(np.asarray(jac, dtype=float))
    keep = np.abs(jac).max(axis=0) >= WEAK
    if not keep.any():
        return np.nan, {}
    _, singular, vt = np.linalg.svd(jac[:, keep], full_matrices=False)
    names = [n for n, k in zip(parameters, keep) if k]
    loadings = {n: float(v) for n, v in zip(names, vt[-1]) if abs(v) > 0.3}
    return condition_number(singular), loadings


def condition_number(singular) -> float:
    """Largest over smallest singular value (inf when one is 0, NaN without columns)."""
    if len(singular) == 0:
        return np.nan
    return float(singular[0] / singular[-1]) if singular[-1] > 0 else np.inf


def fitted_point(spec: CalibrationSpec) -> np.ndarray:
    """The calibration scenario's values of the fitted parameters, as shares of their ranges."""
    values = {**spec.scenario.parameters, **spec.scenario.initial}
    registry = {**PARAMETERS, **INITIAL}
    return np.array([np.clip((values.get(name, registry[name].default) - low) / (high - low),
                             0.0, 1.0) for name, low, high, *_ in spec.parameters])


def identify(spec: CalibrationSpec, executor, step: float = STEP) -> dict:
    """The Jacobian of the standardised moments at the fitted point and its verdicts."""
    obj = Objective(spec, executor)
    rows = moment_rows(spec)

    def moments(xs):
        reps = obj.simulate_many([obj.theta(x) for x in xs])
        return [[[standardised(row, r.get(row["moment"], np.nan)) for row in rows]
                 for r in candidate] for candidate in reps]

    x0 = fitted_point(spec)
    jac, se = finite_difference_jacobian(moments, x0, step)
    names = [p[0] for p in spec.parameters]
    table, singular = identification_table(jac, se, names, [r["moment"] for r in rows])
    table.insert(1, "fitted_value", [obj.theta(x0)[n] for n in names])
    nonzero, weakest = weakest_direction(jac, names)
    return {"table": table, "singular_values": singular,
            "condition_number": condition_number(singular),
            "condition_number_nonzero": nonzero, "weakest_direction": weakest,
            "jacobian": pd.DataFrame(jac, index=[r["moment"] for r in rows], columns=names),
            "jacobian_se": pd.DataFrame(se, index=[r["moment"] for r in rows], columns=names),
            "step": step, "runs": 2 * len(names) * spec.replicates}
