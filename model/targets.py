"""The plan's targets (scenarios/targets.toml) and their attainment by a run."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .checks import (
    ScenarioError,
    check_keys,
    check_list,
    check_number,
    check_string,
    check_table,
    read_toml,
    short,
    suggest,
)
from .data import PROVINCE
from .indicators import INDICATORS

REPO_SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
COST_INDICATORS = ("public_spending_100m_yuan", "tax_expenditure_100m_yuan")


@dataclass(frozen=True)
class Target:
    indicator: str
    year: int
    value: float
    section: str
    text: str


def targets_path(near=None) -> Path:
    """targets.toml beside a scenario file if there is one, else the repository's."""
    if near is not None:
        candidate = Path(near).resolve().parent / "targets.toml"
        if os.path.lexists(candidate):         # a bad one is reported, not skipped
            return candidate
    return REPO_SCENARIOS / "targets.toml"


TARGET_KEYS = ("indicator", "year", "value", "section", "text")


def load_targets(path=None) -> list[Target]:
    """The targets of a targets file (default: the repository's); a missing or invalid file,
    an unknown key or indicator, or a value of the wrong type is one `ScenarioError`."""
    path = Path(path) if path is not None else targets_path()
    _, data = read_toml(path)
    check_keys(path, data, ("target",), what="table")
    out = []
    for n, t in enumerate(check_list(path, "target", data.get("target", []),
                                     "target tables [[target]]", empty=True)):
        key = f"target[{n}]"
        check_table(path, key, t, "a table [[target]]")
        check_keys(path, t, TARGET_KEYS, key)
        for k in TARGET_KEYS:
            if k not in t:
                raise ScenarioError(path, f"{key}.{k}", "missing")
        if not isinstance(t["indicator"], str) or t["indicator"] not in INDICATORS:
            raise ScenarioError(path, f"{key}.indicator", f"unknown indicator "
                                f"{short(t['indicator'])}{suggest(str(t['indicator']), INDICATORS)}")
        check_number(path, f"{key}.year", t["year"], 2017, 2100, integer=True)
        check_number(path, f"{key}.value", t["value"], -1e300, 1e300)
        check_string(path, f"{key}.section", t["section"])
        check_string(path, f"{key}.text", t["text"])
        out.append(Target(t["indicator"], int(t["year"]), float(t["value"]), t["section"],
                          t["text"]))
    return out


def p_met_standard_error(met: int, n: int) -> float:
    """Standard error of P(met) estimated from `met` of `n` replicates, with the add-one
    (Laplace) estimate of p so that 0 of 4 does not claim certainty: sqrt(p(1-p)/n)."""
    p = (met + 1) / (n + 2)
    return math.sqrt(p * (1 - p) / n)


def public_cost(trajectories: pd.DataFrame, first_year: int, last_year: int) -> pd.DataFrame:
    """Public cost of each scenario's replicates over `first_year`-`last_year` (1e8 yuan):
    public AI spending (all budget lines) plus tax expenditure; median and 10-90% band."""
    df = trajectories[(trajectories.region == PROVINCE) & trajectories.year.between(
        first_year, last_year) & trajectories.indicator.isin(COST_INDICATORS)]
    if df.empty:
        return pd.DataFrame(columns=["scenario", "from", "to", "median", "p10", "p90",
                                     "spending_median", "tax_expenditure_median"])
    per = df.pivot_table(index=["scenario", "replicate"], columns="indicator", values="value",
                         aggfunc="sum").reindex(columns=COST_INDICATORS, fill_value=0.0)
    per["total"] = per.sum(axis=1)
    rows = []
    for scenario, g in per.groupby(level="scenario", sort=False):
        rows.append({"scenario": scenario, "from": first_year, "to": last_year,
                     "median": g.total.median(), "p10": g.total.quantile(0.1),
                     "p90": g.total.quantile(0.9),
                     "spending_median": g[COST_INDICATORS[0]].median(),
                     "tax_expenditure_median": g[COST_INDICATORS[1]].median()})
    return pd.DataFrame(rows)


ATTAINMENT_COLUMNS = ("scenario", "indicator", "year", "target", "section", "median", "p10",
                      "p90", "p_met", "replicates", "p_met_se", "diff_vs_first")


def attainment(trajectories: pd.DataFrame, targets: list[Target]) -> pd.DataFrame:
    """Per scenario and target: median, 10-90% band, share of replicates meeting it with
    its standard error and the number of replicates, and the median's difference from the
    first scenario's."""
    df = trajectories[trajectories.region == PROVINCE]
    rows = []
    for scenario, sdf in df.groupby("scenario", sort=False):
        for t in targets:
            v = sdf[(sdf.indicator == t.indicator) & (sdf.year == t.year)].value
            if v.empty:
                continue
            n, met = len(v), int((v >= t.value).sum())
            rows.append({
                "scenario": scenario, "indicator": t.indicator, "year": t.year,
                "target": t.value, "section": t.section, "median": v.median(),
                "p10": v.quantile(0.1), "p90": v.quantile(0.9),
                "p_met": met / n, "replicates": n, "p_met_se": p_met_standard_error(met, n),
            })
    table = pd.DataFrame(rows, columns=list(ATTAINMENT_COLUMNS[:-1]))
    table["diff_vs_first"] = pd.Series(dtype=float)
    if not table.empty:
        first = table[table.scenario == table.scenario.iloc[0]].set_index(["indicator", "year"])
        base = first["median"].reindex(pd.MultiIndex.from_frame(table[["indicator", "year"]]))
        table["diff_vs_first"] = table["median"].to_numpy() - base.to_numpy()
    return table
