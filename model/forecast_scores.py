"""Forecasts scored out of sample (`zjai validate --origin YEAR`).

The model, fitted to the observed rows dated up to the origin (`calibration.restrict_years`),
forecasts every later observed row that `validation.OBSERVED_TARGETS` maps to an indicator.
Each forecast is the ensemble of replicates, scored by its central 50% and 80% bands and the
continuous ranked probability score (CRPS, in the row's unit; lower is better) beside three
naive forecasts of the same series (region and metric) made from its rows up to the origin:
no change (the last value), the last growth rate carried forward, and a log-linear trend.
The naive forecasts are point forecasts, so their CRPS is the absolute error: a series has
three earlier rows at most, too few to estimate a spread from its residuals. A point
forecast is not penalised for being sure, so the comparison leans, if anything, towards
the naive forecasts. Skill = 1 - CRPS(model) / CRPS(naive): above 0 the model is better.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd

from .data import observed
from .initial import BACKCAST_YEAR, INITIAL
from .params import PARAMETERS
from .validation import OBSERVED_TARGETS, ObservedTarget, model_values

NAIVE = ("no_change", "last_growth", "trend")
NAIVE_TEXT = {"no_change": "no change", "last_growth": "last growth", "trend": "log-linear trend"}
COLUMNS = ["year", "region", "metric", "series", "confidence", "kind", "model_indicator",
           "observed", "model_median", "model_p10", "model_p25", "model_p75", "model_p90",
           "in_50", "in_80", "crps_model", "crps_relative", "earlier_rows",
           *[f"{what}_{k}" for k in NAIVE for what in ("forecast", "crps", "skill_vs")],
           "scored_by"]


def crps_ensemble(samples, observed_value: float) -> float:
    """CRPS of an ensemble (the empirical distribution of `samples`) for one observation:
    E|X - y| - E|X - X'| / 2, with X, X' drawn independently from the samples."""
    x = np.sort(np.asarray(samples, dtype=float).ravel())
    m = len(x)
    if m == 0:
        raise ValueError("crps_ensemble: no samples")
    spread = 2.0 * np.sum((2 * np.arange(1, m + 1) - m - 1) * x) / m**2   # E|X - X'|
    return float(np.mean(np.abs(x - observed_value)) - 0.5 * spread)


def naive_forecasts(years, values, year: int) -> dict[str, float]:
    """Point forecasts for `year` from a series' earlier (`years`, `values`): no change
    (needs 1 row), the growth rate between the last two rows carried forward, and a
    least-squares log-linear trend (both need 2 rows and positive values); NaN where the
    rows do not allow it."""
    order = np.argsort(years)
    t = np.asarray(years, dtype=float)[order]
    v = np.asarray(values, dtype=float)[order]
    out = dict.fromkeys(NAIVE, np.nan)
    if len(v) >= 1:
        out["no_change"] = float(v[-1])
    if len(v) >= 2 and (v > 0).all():
        rate = np.log(v[-1] / v[-2]) / (t[-1] - t[-2])         # per year
        out["last_growth"] = float(v[-1] * np.exp(rate * (year - t[-1])))
        slope, intercept = np.polyfit(t, np.log(v), 1)
        out["trend"] = float(np.exp(intercept + slope * year))
    return out


def scored_targets(origin: int) -> list[ObservedTarget]:
    """The mapped observed rows dated after `origin`."""
    return [t for t in OBSERVED_TARGETS if t.year > origin]


def origin_range(fit_years) -> tuple[int, int]:
    """The origins a forecast can be scored from: not before the year whose rows the 2017
    state is built from (`initial.BACKCAST_YEAR`) nor the first fitted year, and before the
    last observed year mapped to the model."""
    last = max(t.year for t in OBSERVED_TARGETS)
    return max(BACKCAST_YEAR, min(fit_years)), last - 1


def origin_problem(origin: int, fit_years) -> str | None:
    """Why `origin` cannot be scored, or None."""
    low, high = origin_range(fit_years)
    if low <= origin <= high:
        return None
    years = f"{low}" if low == high else f"{low}-{high}"
    return (f"expected {years}: the 2017 initial state is built from the {BACKCAST_YEAR} rows "
            f"(model/initial.py), so an earlier origin would see them; the observed data end "
            f"in {high + 1} (later rows are held out by design), so a later origin has "
            "nothing to score")


def fitted_scenario(scenario, full_spec, restricted_spec, theta: dict):
    """`scenario` with every parameter of the calibration (`full_spec`) at its fitted value
    in `theta`, or, where the restricted fit dropped it, at the value the fit ran with (its
    model default): nothing of the full-data fit remains."""
    sc = copy.deepcopy(scenario)
    registry = {**PARAMETERS, **INITIAL}
    for name, *_, table in full_spec.parameters:
        ran_with = getattr(restricted_spec.scenario, table).get(name, registry[name].default)
        getattr(sc, table)[name] = float(theta.get(name, ran_with))
    return sc


def skill(crps_model: float, crps_naive: float) -> float:
    """1 - CRPS(model) / CRPS(naive); -inf where the naive forecast was exact and the
    model not, NaN where there is no naive forecast."""
    if not np.isfinite(crps_naive):
        return np.nan
    if crps_naive == 0:
        return 0.0 if crps_model == 0 else -np.inf
    return 1.0 - crps_model / crps_naive


def score_row(target: ObservedTarget, samples: np.ndarray, row, history: pd.DataFrame) -> dict:
    """One scored row: the model's bands and CRPS, the naive forecasts and their CRPS."""
    y = float(row.value)
    q = np.quantile(samples, [0.1, 0.25, 0.5, 0.75, 0.9])
    out = {"year": target.year, "region": target.region, "metric": target.metric,
           "series": row.series, "confidence": row.confidence, "kind": target.kind,
           "model_indicator": target.indicator, "observed": y, "model_median": q[2],
           "model_p10": q[0], "model_p25": q[1], "model_p75": q[3], "model_p90": q[4],
           "earlier_rows": len(history)}
    naive = naive_forecasts(history.year, history.value, target.year)
    if target.kind == "lower_bound":      # a forecast's floor, not an observation
        share = float(np.mean(samples >= y))
        out.update({f"forecast_{k}": np.nan for k in NAIVE})
        out["scored_by"] = f"none: a forecast's floor (replicates at or above it: {share:.0%})"
        return out
    out.update({"in_50": bool(q[1] <= y <= q[3]), "in_80": bool(q[0] <= y <= q[4]),
                "crps_model": crps_ensemble(samples, y)})
    out["crps_relative"] = out["crps_model"] / abs(y) if y else np.nan
    for k in NAIVE:
        out[f"forecast_{k}"] = naive[k]
        out[f"crps_{k}"] = abs(naive[k] - y)
        out[f"skill_vs_{k}"] = skill(out["crps_model"], out[f"crps_{k}"])
    formed = sum(np.isfinite(naive[k]) for k in NAIVE)
    if formed == len(NAIVE):
        out["scored_by"] = "model and naive"
    elif formed:
        why = "1 earlier row" if len(history) == 1 else "values not all positive"
        out["scored_by"] = f"model and no change only ({why})"
    else:
        out["scored_by"] = "model only (no earlier row)"
    return out


def score_forecasts(traj: pd.DataFrame, origin: int) -> pd.DataFrame:
    """forecast_scores.csv: one row per observed row after `origin` (see module doc)."""
    obs = observed()
    rows = []
    for t in scored_targets(origin):
        series = obs[(obs.region == t.region) & (obs.metric == t.metric)]
        row = series[series.year == t.year].iloc[0]
        samples = model_values(traj, t).to_numpy(dtype=float)
        rows.append(score_row(t, samples, row, series[series.year <= origin]))
    return pd.DataFrame(rows).reindex(columns=COLUMNS)


def forecast_summary(table: pd.DataFrame) -> dict:
    """Coverage of the 50% and 80% bands over the scored rows, and each naive forecast's
    mean CRPS skill over the rows where it could be formed."""
    scored = table[table.crps_model.notna()]
    out = {"rows": len(table), "scored": len(scored),
           "coverage_50": float(scored.in_50.astype(bool).mean()) if len(scored) else np.nan,
           "coverage_80": float(scored.in_80.astype(bool).mean()) if len(scored) else np.nan,
           "mean_crps_relative": float(scored.crps_relative.mean()) if len(scored) else np.nan}
    for k in NAIVE:
        s = scored[f"skill_vs_{k}"].dropna()
        out[f"rows_vs_{k}"] = len(s)
        out[f"mean_skill_vs_{k}"] = float(s.mean()) if len(s) else np.nan
        out[f"model_better_vs_{k}"] = int((s > 0).sum())
    return out
