"""Figures for scenario comparisons: fan charts with targets, attainment heatmap, city panel."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .data import PROVINCE
from .indicators import INDICATORS

KEY_INDICATORS = (
    "ai_enterprise_revenue_100m_yuan", "core_industry_revenue_100m_yuan",
    "related_industry_revenue_100m_yuan", "ai_enterprises", "core_invention_patents",
    "new_startups", "talent_engineers", "talent_high_skill",
)
UNIT_LABELS = {"1e8 yuan/year": "1e8 yuan per year", "1e8 yuan": "1e8 yuan"}


def _label(indicator: str) -> str:
    unit = INDICATORS[indicator].unit
    return UNIT_LABELS.get(unit, unit)


def fan_chart(traj: pd.DataFrame, indicator: str, targets, path: Path) -> Path:
    """Median line and 10-90% band per scenario for one indicator, targets marked."""
    df = traj[(traj.region == PROVINCE) & (traj.indicator == indicator)]
    fig, ax = plt.subplots(figsize=(8, 4.8), dpi=110)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for n, (scenario, sdf) in enumerate(df.groupby("scenario", sort=False)):
        q = sdf.groupby("year").value.quantile([0.1, 0.5, 0.9]).unstack()
        c = colours[n % len(colours)]
        ax.fill_between(q.index, q[0.1], q[0.9], color=c, alpha=0.18, linewidth=0)
        ax.plot(q.index, q[0.5], color=c, linewidth=2, label=f"{scenario} (median, 10-90% band)")
    for t in targets:
        if t.indicator == indicator:
            ax.plot([t.year], [t.value], marker="*", markersize=16, color="black", zorder=5,
                    linestyle="none")
            ax.annotate(f"{t.year} target {t.value:,.0f}", (t.year, t.value),
                        textcoords="offset points", xytext=(-10, 10), ha="right", fontsize=8)
    ax.set_title(f"{indicator}, Zhejiang (definition: docs/indicators.md)", fontsize=10)
    ax.set_xlabel("year")
    ax.set_ylabel(_label(indicator))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def attainment_heatmap(table: pd.DataFrame, path: Path) -> Path:
    """Probability that each target is met, scenarios x targets."""
    table = table.assign(target_name=table.indicator + " " + table.year.astype(str))
    wide = table.pivot(index="scenario", columns="target_name", values="p_met")
    wide = wide.loc[table.scenario.drop_duplicates(), table.target_name.drop_duplicates()]
    fig, ax = plt.subplots(figsize=(max(8, 0.55 * wide.shape[1] + 3), 0.5 * wide.shape[0] + 3.2),
                           dpi=110)
    im = ax.imshow(wide.to_numpy(), cmap="RdYlGn", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(wide.shape[1]), wide.columns, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(wide.shape[0]), wide.index, fontsize=9)
    for i in range(wide.shape[0]):
        for j in range(wide.shape[1]):
            ax.text(j, i, f"{wide.iat[i, j]:.2f}", ha="center", va="center", fontsize=7)
    fig.colorbar(im, ax=ax, label="P(target met)")
    ax.set_title("Target attainment by scenario (plan targets for 2022 and the 2030 vision)")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def city_panel(traj: pd.DataFrame, path: Path, years=(2022, 2030)) -> Path:
    """The 11 cities' shares of register revenue and firms, by scenario, in two years."""
    df = traj[traj.region != PROVINCE]
    # a run that ends before both years shows its last year
    years = [y for y in years if y in set(df.year)] or [int(df.year.max())]
    fig, axes = plt.subplots(2, len(years), figsize=(6.5 * len(years), 8), dpi=110,
                             squeeze=False)
    scenarios = list(df.scenario.drop_duplicates())
    cities = list(df.region.drop_duplicates())
    width = 0.8 / max(len(scenarios), 1)
    for row, indicator in enumerate(("ai_enterprise_revenue_100m_yuan", "ai_enterprises")):
        for col, year in enumerate(years):
            ax = axes[row, col]
            sub = df[(df.indicator == indicator) & (df.year == year)]
            med = sub.groupby(["scenario", "region"]).value.median().unstack()
            share = med.div(med.sum(axis=1).replace(0, np.nan), axis=0)
            for n, sc in enumerate(scenarios):
                ax.bar(np.arange(len(cities)) + n * width, share.loc[sc, cities].to_numpy(),
                       width, label=sc)
            ax.set_xticks(np.arange(len(cities)) + 0.4 - width / 2, cities, rotation=45,
                          ha="right", fontsize=8)
            ax.set_ylabel("share of the province")
            ax.set_title(f"{indicator} share by city, {year} (median)", fontsize=9)
            ax.grid(axis="y", alpha=0.3)
    axes[0, 0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
