"""Validation: the model against every observed row it can speak to, and stylized facts.

`validate` runs replicates of a scenario while recording a firm panel each December, then
compares (1) the observed Zhejiang rows (series A and B, Hangzhou) with the model's median
and 10-90% band, and (2) stylized facts of firm dynamics with accepted bands from the
literature. Later observed years are not in the data file by design (out-of-sample test).
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import scipy.stats as st

from .data import PROVINCE, observed
from .ecosystem import AIEcosystemModel
from .indicators import directory_threshold
from .runner import replicate_seeds, run_to_end
from .scenario import Scenario


@dataclass(frozen=True)
class ObservedTarget:
    year: int
    region: str
    metric: str               # row of observed_zhejiang.csv
    indicator: str            # model indicator
    kind: str = "level"       # "level", "share" (region / province), "growth" (percent
                              # change on the year before) or "lower_bound"
    moment: bool = True       # a calibration moment; False: validated and forecast only


OBSERVED_TARGETS = (
    ObservedTarget(2019, PROVINCE, "ai_enterprise_revenue", "ai_enterprise_revenue_100m_yuan"),
    ObservedTarget(2020, PROVINCE, "ai_enterprise_revenue", "ai_enterprise_revenue_100m_yuan"),
    ObservedTarget(2019, PROVINCE, "ai_enterprises", "ai_enterprises"),
    ObservedTarget(2020, PROVINCE, "ai_enterprises", "ai_enterprises"),
    ObservedTarget(2020, PROVINCE, "ai_enterprise_profit", "ai_enterprise_profit_100m_yuan"),
    ObservedTarget(2018, "Hangzhou", "ai_enterprise_revenue", "ai_enterprise_revenue_100m_yuan"),
    ObservedTarget(2019, "Hangzhou", "ai_enterprise_revenue", "ai_enterprise_revenue_100m_yuan"),
    ObservedTarget(2019, "Hangzhou", "ai_enterprises", "ai_enterprises"),
    ObservedTarget(2020, "Hangzhou", "share_of_provincial_ai_enterprises", "ai_enterprises",
                   "share"),
    ObservedTarget(2020, "Hangzhou", "share_of_provincial_ai_revenue",
                   "ai_enterprise_revenue_100m_yuan", "share"),
    ObservedTarget(2019, PROVINCE, "core_industry_scale", "core_industry_revenue_100m_yuan"),
    ObservedTarget(2020, PROVINCE, "core_industry_scale_forecast",
                   "core_industry_revenue_100m_yuan", "lower_bound"),
    # not moments, since no fitted parameter moves them: GDP, an exogenous trend
    # (gdp_growth_per_year; the 2017 rows are inputs, data.cities), and Ningbo's
    # series-B growth, the real growth of its AI industry's value added in above-size
    # industry, read as the growth of its AI firms' core revenue (value added in proportion
    # to output; 2020 prices were flat)
    ObservedTarget(2019, PROVINCE, "gdp", "gdp_100m_yuan", moment=False),
    ObservedTarget(2018, "Lishui", "gdp", "gdp_100m_yuan", moment=False),
    ObservedTarget(2019, "Ningbo", "gdp", "gdp_100m_yuan", moment=False),
    ObservedTarget(2020, "Ningbo", "gdp", "gdp_100m_yuan", moment=False),
    ObservedTarget(2020, "Ningbo", "ai_industry_value_added_growth",
                   "core_industry_revenue_100m_yuan", "growth", moment=False),
)

# Plausible band of an observed value: relative half-width by the data row's confidence.
# "high": an exact figure of an official report; its definition (which firms the directory
# lists, group vs in-province revenue) is not published, and such figures are restated by up
# to ~10% in later reports. "medium-high": a press report of an official figure (+-15%).
# "medium": derived from a reported growth rate or difference (+-20%: the derivation assumes
# the same firms in both years). "low": a forecast or an implied value (+-30%).
PLAUSIBLE_HALF_WIDTH = {"high": 0.10, "medium-high": 0.15, "medium": 0.20, "low": 0.30,
                        "unverified": 0.50}


def plausible_band(value: float, confidence: str, kind: str = "level") -> tuple[float, float]:
    """The observed value's plausible band (low, high); a forecast floor has no upper end."""
    half = PLAUSIBLE_HALF_WIDTH.get(confidence, 0.5) * value
    return (value - half, np.inf if kind == "lower_bound" else value + half)


# stylized fact: (accepted low, high, source)
FACT_BANDS = {
    "tail_exponent": (0.45, 0.8, (
        "heavy upper tail of register firms' revenue: series A's mean of 2405/482 = 5.0e8 "
        "yuan per firm, 25x the 20m entry threshold, needs a truncated Pareto alpha of "
        "0.46-0.68 for a largest firm of 1e10-5.8e10 yuan (Hikvision 2019); all firms by "
        "employment are Zipf-like, alpha about 1 (Axtell 2001, Science 293)")),
    "growth_excess_kurtosis": (1.0, 6.0, (
        "tent-shaped (Laplace, excess kurtosis 3) annual growth rates (Bottazzi & Secchi "
        "2006)")),
    "growth_size_scaling_beta": (0.1, 0.3, (
        "s.d. of growth falls as size^-beta, beta 0.15-0.2 (Stanley et al. 1996, Nature 379)")),
    "five_year_survival": (0.45, 0.60, "five-year survival of start-ups (DESIGN.md §2)"),
    "hangzhou_firm_share_2020": (0.40, 0.47, "observed 0.436 (A_city 2020) +- 0.03"),
    "hangzhou_revenue_share_2020": (0.53, 0.63, "observed 0.578 (A_city 2020) +- 0.05"),
}


def run_with_panel(model: AIEcosystemModel):
    """Run a model to its end, keeping each December's firm panel; returns (frame, panel)."""
    panel = []

    def keep_december(model: AIEcosystemModel) -> None:
        if model.month % 12 == 0:
            e = model.state.enterprises
            n = e.n
            panel.append({"year": model.year - 1,
                          "revenue": e.revenue_prev_year_100m_yuan[:n].copy(),
                          "alive": e.alive[:n].copy(), "city": e.city[:n].copy(),
                          "birth": e.birth_month[:n].copy(), "exit": e.exit_month[:n].copy()})

    run_to_end(model, keep_december)
    return model.recorder.frame(), panel


def stylized_facts(panel: list, params, hangzhou: int) -> dict:
    """Firm-dynamics facts from a December panel (see FACT_BANDS); the size tail is over
    register firms, Hangzhou's 2020 shares over the 2020 directory (series A)."""
    register_threshold = params.register_threshold_100m_yuan_per_year
    by_year = {p["year"]: p for p in panel}
    last = panel[-1]
    out = {}
    ref = by_year.get(2022, last)
    rev = np.sort(ref["revenue"][ref["alive"] & (ref["revenue"] >= register_threshold)])[::-1]
    if len(rev) > 20:
        k = max(10, len(rev) // 5)
        out["tail_exponent"] = float(1.0 / np.mean(np.log(rev[:k] / rev[k])))
    growth, size = [], []
    for a, b in itertools.pairwise(panel):
        m = len(a["revenue"])
        # firms with two full years of accounts, as in the data the facts come from: a firm
        # born during year a has a part year's revenue, and its growth to a full year b
        # (up to log 12) is not a growth rate
        full_year = a["birth"] < (a["year"] - panel[0]["year"]) * 12
        ok = (a["alive"] & b["alive"][:m] & full_year & (a["revenue"] > 0.01)
              & (b["revenue"][:m] > 0.01))
        growth.append(np.log(b["revenue"][:m][ok] / a["revenue"][ok]))
        size.append(a["revenue"][ok])
    g, s = np.concatenate(growth), np.concatenate(size)
    if len(g) > 50:
        out["growth_excess_kurtosis"] = float(st.kurtosis(g))
        edges = np.quantile(s, np.linspace(0, 1, 9))
        idx = np.clip(np.searchsorted(edges, s, side="right") - 1, 0, 7)
        sd = [g[idx == b].std() for b in range(8)]
        mean_size = [s[idx == b].mean() for b in range(8)]
        slope = np.polyfit(np.log(mean_size), np.log(sd), 1)[0]
        out["growth_size_scaling_beta"] = float(-slope)
    birth, exit_month = last["birth"], last["exit"]
    cohort = (birth >= 0) & (birth < 36)
    if cohort.sum() >= 10 and last["year"] >= 2024:
        survived = (exit_month[cohort] == -1) | (exit_month[cohort] >= birth[cohort] + 60)
        out["five_year_survival"] = float(survived.mean())
    y20 = by_year.get(2020)
    if y20 is not None:
        reg = y20["alive"] & (y20["revenue"] >= directory_threshold(params, 2020))
        hz = reg & (y20["city"] == hangzhou)
        out["hangzhou_firm_share_2020"] = float(hz.sum() / max(reg.sum(), 1))
        out["hangzhou_revenue_share_2020"] = float(y20["revenue"][hz].sum()
                                                   / max(y20["revenue"][reg].sum(), 1e-12))
    return out


def simulate(scenario: Scenario, replicates: int, seed: int, scale: float,
             engine: str = "numba", end_year: int = 2024):
    """Replicates to `end_year`: tidy trajectories and one stylized-fact row per replicate
    (each replicate with its posterior draw, if the scenario declares a posterior)."""
    sc = copy.deepcopy(scenario)
    sc.end = end_year
    frames, facts = [], []
    for r, s in enumerate(replicate_seeds(seed, replicates)):
        m = AIEcosystemModel.from_scenario(sc.for_replicate(s), seed=s, engine=engine,
                                           scale=scale)
        df, panel = run_with_panel(m)
        frames.append(df.assign(replicate=r, seed=s))
        facts.append({"replicate": r, **stylized_facts(panel, m.params, m.hangzhou)})
    return pd.concat(frames, ignore_index=True), pd.DataFrame(facts)


def model_values(traj: pd.DataFrame, target: ObservedTarget) -> pd.Series:
    """The model's value of an observed target, one per replicate."""
    sel = traj[traj.indicator == target.indicator]

    def at(year: int, region: str) -> pd.Series:
        return sel[(sel.year == year) & (sel.region == region)].set_index("replicate").value

    own = at(target.year, target.region)
    if target.kind == "share":
        return own / at(target.year, PROVINCE)
    if target.kind == "growth":
        return 100.0 * (own / at(target.year - 1, target.region) - 1.0)
    return own


def observed_table(traj: pd.DataFrame) -> pd.DataFrame:
    obs = observed()
    rows = []
    for t in OBSERVED_TARGETS:
        row = obs[(obs.year == t.year) & (obs.region == t.region) & (obs.metric == t.metric)]
        if row.empty:
            continue
        row = row.iloc[0]
        v = model_values(traj, t)
        median, p10, p90 = v.median(), v.quantile(0.1), v.quantile(0.9)
        if t.kind == "lower_bound":          # a forecast's floor: the median should reach it
            inside = median >= row.value
        else:
            inside = p10 <= row.value <= p90
        low, high = plausible_band(row.value, row.confidence, t.kind)
        rows.append({"year": t.year, "region": t.region, "observed_metric": t.metric,
                     "series": row.series, "confidence": row.confidence,
                     "observed": row.value, "model_indicator": t.indicator, "kind": t.kind,
                     "model_median": median, "model_p10": p10, "model_p90": p90,
                     "error": median - row.value, "relative_error": median / row.value - 1,
                     "observed_low": low, "observed_high": high,
                     "median_in_observed_band": bool(low <= median <= high),
                     "observed_in_band": bool(inside), "source": row.source})
    return pd.DataFrame(rows)


def facts_table(facts: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for name, (low, high, source) in FACT_BANDS.items():
        if name not in facts:
            continue
        v = facts[name].dropna()
        rows.append({"fact": name, "model_median": v.median(), "model_p10": v.quantile(0.1),
                     "model_p90": v.quantile(0.9), "accepted_low": low, "accepted_high": high,
                     "median_in_band": bool(low <= v.median() <= high), "source": source})
    return pd.DataFrame(rows)


def band_figure(traj: pd.DataFrame, obs: pd.DataFrame, path: Path) -> Path:
    """Model 10-90% bands and medians against observed points, one panel per series."""
    panels = [("ai_enterprise_revenue_100m_yuan", PROVINCE, "ai_enterprise_revenue"),
              ("ai_enterprises", PROVINCE, "ai_enterprises"),
              ("ai_enterprise_revenue_100m_yuan", "Hangzhou", "ai_enterprise_revenue"),
              ("ai_enterprise_profit_100m_yuan", PROVINCE, "ai_enterprise_profit"),
              ("core_industry_revenue_100m_yuan", PROVINCE, "core_industry_scale")]
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 3.8), dpi=100)
    for ax, (ind, region, metric) in zip(axes, panels):
        sel = traj[(traj.indicator == ind) & (traj.region == region)]
        q = sel.groupby("year").value.quantile([0.1, 0.5, 0.9]).unstack()
        ax.fill_between(q.index, q[0.1], q[0.9], alpha=0.25, label="model 10-90%")
        ax.plot(q.index, q[0.5], label="model median")
        pts = obs[(obs.region == region) & (obs.observed_metric == metric)]
        ax.errorbar(pts.year, pts.observed, yerr=[pts.observed - pts.observed_low,
                                                  pts.observed_high - pts.observed],
                    fmt="k*", markersize=12, capsize=4, label="observed, plausible band")
        ax.set_title(f"{ind}\n{region}", fontsize=8)
        ax.set_xlabel("year")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def facts_figure(table: pd.DataFrame, path: Path) -> Path:
    """One row per stylized fact: the accepted band (green) and the model's median and
    10-90% range (black), each on its own axis in the fact's units."""
    fig, axes = plt.subplots(len(table), 1, figsize=(7, 1.0 * len(table) + 0.8), dpi=100,
                             squeeze=False)
    for ax, r in zip(axes[:, 0], table.itertuples()):
        ax.axvspan(r.accepted_low, r.accepted_high, color="lightgreen", alpha=0.7,
                   label="accepted band")
        ax.errorbar([r.model_median], [0], xerr=[[r.model_median - r.model_p10],
                                                 [r.model_p90 - r.model_median]],
                    fmt="o", color="black", capsize=4, label="model median, 10-90%")
        lo = min(r.accepted_low, r.model_p10)
        hi = max(r.accepted_high, r.model_p90)
        pad = 0.15 * (hi - lo or 1.0)
        ax.set_xlim(lo - pad, hi + pad)
        ax.set_yticks([])
        ax.set_ylabel(r.fact, rotation=0, ha="right", va="center", fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
    axes[0, 0].legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
