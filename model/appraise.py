"""Appraisal of the plan's levers: what each buys per 1e8 yuan of public money.

`zjai appraise SCENARIO` raises every lever (`model.levers.LEVERS`) by one step from the
first year of the cost window on, runs the scenario and each perturbed copy on the same
replicate seeds (common random numbers), and divides the paired change of every target
indicator by the paired change of public cost (spending plus tax expenditure over the cost
window, `targets.public_cost`). Levers with no budget line (land, data, layout, leverage,
graduates, cooperation, standards, the patent pool) and budget levers whose cost change is
about zero or of the wrong sign (the fiscal appropriation when the programmes do not spend
it) are appraised per unit of the lever instead, said in a `basis` column.

Confidence intervals: the ratio of mean paired differences R = mean(Δy) / mean(Δc) with its
linearised (delta-method) standard error sd(Δy − R·Δc) / (√n · |mean Δc|) and Student's t on
n − 1 degrees of freedom; per unit: mean(Δy) / step ± t · se(Δy) / step. Written atomically
into the output folder: `cost_effectiveness.csv`, `ranking.png`, `appraisal.md`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from .checks import suggest
from .evaluation import outcome_run, shift_from, target_key
from .executors import Executor, InProcessExecutor
from .levers import LEVERS, schedule_value
from .provenance import write_folder
from .runner import replicate_seeds
from .scenario import Scenario, load_scenario
from .targets import Target, load_targets, targets_path

STEP_SHARE = 0.2            # a lever above zero is raised by 20% of its mean value
ZERO_STEP_RANGE_SHARE = 0.1   # a lever at zero by 10% of its range
COST_FLOOR_100M_YUAN = 0.05   # a cost change below 5m yuan counts as none ...
COST_FLOOR_SHARE = 1e-3       # ... as does one below 0.1% of the base cost
# Levers with no budget line of their own: nothing in `phases/policy.py: planned_costs`,
# the separately appropriated lines (province.py) or the tax relief pays for them, so a cost
# change after moving them is seed noise (firms' profits and so tax expenditure diverge
# between paired runs); they are appraised per unit of the lever.
NO_BUDGET_LINE = ("guidance_fund_leverage", "ai_graduates_per_year", "land_guarantee",
                  "public_data_opening", "core_city_share", "international_cooperation",
                  "standards_support", "patent_pool")
PER_COST = "per 1e8 yuan"
PER_UNIT = "per lever unit"
COLUMNS = ["lever", "indicator", "year", "effect_per_100m_yuan", "ci_low", "ci_high", "basis",
           "delta_cost_100m_yuan", "delta_spending_100m_yuan",
           "delta_tax_expenditure_100m_yuan", "replicates", "lever_unit", "step", "delta_indicator",
           "base_indicator", "effect_per_lever_unit"]


class AppraisalError(ValueError):
    """Bad appraisal input (an unknown lever, a bad year window); one line for the user."""


@dataclass(frozen=True)
class Perturbation:
    """One lever's step: `raw_step` is added to its value in every year from the cost
    window's first (clipped to the lever's range); `step` is the mean change that results
    over the window (negative: stepped down)."""

    lever: str
    unit: str
    base_mean: float
    raw_step: float
    step: float
    note: str = ""


def _window_values(spec, first: int, last: int) -> np.ndarray:
    return np.array([schedule_value(spec, y) for y in range(first, last + 1)])


def perturbations(scenario: Scenario, levers: list[str] | None = None,
                  years: tuple[int, int] = (2018, 2022)) -> list[Perturbation]:
    """The step of each lever (default: every lever of `LEVERS`), in `LEVERS` order.

    A lever is raised by 20% of its mean value over `years`, or by 10% of its range if that
    mean is zero; an integer lever by at least 1; a lever that would pass its upper bound
    is stepped down instead. Spatial levers move at the province level (cities with their
    own value in the scenario keep it).
    """
    names = list(LEVERS) if levers is None else list(levers)
    for name in names:
        if name not in LEVERS:
            raise AppraisalError(f"--levers: unknown lever {name!r}{suggest(name, LEVERS)}; "
                                 "`zjai levers` lists them")
    first, last = years
    out = []
    for name in [n for n in LEVERS if n in names]:
        lever = LEVERS[name]
        spec = scenario.levers.get(name, lever.default)
        values = _window_values(spec, first, last)
        mean = float(values.mean())
        step = STEP_SHARE * mean if mean > 0 else ZERO_STEP_RANGE_SHARE * (lever.high - lever.low)
        if lever.integer:
            step = max(1.0, float(round(step)))
        note = ""
        if values.max() + step > lever.high:
            step, note = -step, "stepped down (a step up would pass its upper bound)"
        moved = _window_values(shift_from(spec, first, step, lever.low, lever.high), first, last)
        out.append(Perturbation(name, lever.unit, mean, step, float((moved - values).mean()),
                                note))
    return out


def perturbed_kwargs(scenario: Scenario, p: Perturbation | None, first_year: int,
                     end: int) -> dict:
    """Model keyword arguments of the scenario cut at `end`, with `p`'s step applied."""
    kwargs = scenario.model_kwargs()
    kwargs["end_year"] = end
    if p is not None:
        lever = LEVERS[p.lever]
        levers = dict(kwargs["levers"])
        levers[p.lever] = shift_from(levers.get(p.lever, lever.default), first_year,
                                     p.raw_step, lever.low, lever.high)
        kwargs["levers"] = levers
    return kwargs


def target_outcomes(targets: list[Target], end: int) -> tuple[Target, ...]:
    """The targets as outcomes of runs ending in `end`: a target dated after `end` is read
    in `end` (its indicator's latest simulated value); duplicates dropped."""
    seen, out = set(), []
    for t in targets:
        year = min(t.year, end)
        if (t.indicator, year) not in seen:
            seen.add((t.indicator, year))
            out.append(replace(t, year=year))
    return tuple(out)


# ---------------------------------------------------------------- estimation


def paired_ratio(dy: np.ndarray, dc: np.ndarray, confidence: float) -> tuple[float, float, float]:
    """R = mean(Δy) / mean(Δc) and its t interval (delta method over paired replicates)."""
    n = len(dy)
    r = float(dy.mean() / dc.mean())
    if n < 2:
        return r, np.nan, np.nan
    se = float(np.std(dy - r * dc, ddof=1) / (np.sqrt(n) * abs(dc.mean())))
    half = stats.t.ppf(0.5 + confidence / 2, n - 1) * se
    return r, r - half, r + half


def paired_mean(d: np.ndarray, confidence: float) -> tuple[float, float, float]:
    """mean(d) and its t interval."""
    n = len(d)
    m = float(d.mean())
    if n < 2:
        return m, np.nan, np.nan
    half = stats.t.ppf(0.5 + confidence / 2, n - 1) * float(np.std(d, ddof=1) / np.sqrt(n))
    return m, m - half, m + half


def has_cost(dc: np.ndarray, base_cost: float) -> bool:
    """Whether a lever's paired cost change is distinguishable from none: at least 5m yuan
    and 0.1% of the base cost on average, and (with replicates) over twice its standard
    error."""
    mean = abs(float(dc.mean()))
    if mean < max(COST_FLOOR_100M_YUAN, COST_FLOOR_SHARE * abs(base_cost)):
        return False
    if len(dc) < 2:
        return True
    se = float(np.std(dc, ddof=1) / np.sqrt(len(dc)))
    return mean > 2 * se


def effects(results: dict, plan: list[Perturbation], outcomes: tuple[Target, ...],
            replicates: int, confidence: float) -> pd.DataFrame:
    """The cost-effectiveness table from run results {(lever or "base", replicate): run}."""
    rows = []
    base_cost = np.array([results["base", r]["cost"] for r in range(replicates)])
    for p in plan:
        dc = np.array([results[p.lever, r]["cost"] for r in range(replicates)]) - base_cost
        by_cost = (p.lever not in NO_BUDGET_LINE and has_cost(dc, float(base_cost.mean()))
                   and np.sign(dc.mean()) == np.sign(p.step))
        parts = {f"delta_{part}_100m_yuan": float(np.mean(
            [results[p.lever, r][part] - results["base", r][part] for r in range(replicates)]))
            for part in ("spending", "tax_expenditure")}
        for t in outcomes:
            key = target_key(t.indicator, t.year)
            base = np.array([results["base", r]["values"][key] for r in range(replicates)])
            dy = np.array([results[p.lever, r]["values"][key] for r in range(replicates)]) - base
            unit, ulow, uhigh = paired_mean(dy / p.step, confidence)
            if by_cost:
                effect, low, high = paired_ratio(dy, dc, confidence)
            else:
                effect, low, high = unit, ulow, uhigh
            rows.append({"lever": p.lever, "indicator": t.indicator, "year": t.year,
                         "effect_per_100m_yuan": effect, "ci_low": low, "ci_high": high,
                         "basis": PER_COST if by_cost else f"{PER_UNIT} ({p.unit})",
                         "delta_cost_100m_yuan": float(dc.mean()), **parts,
                         "replicates": replicates,
                         "lever_unit": p.unit, "step": p.step,
                         "delta_indicator": float(dy.mean()),
                         "base_indicator": float(base.mean()), "effect_per_lever_unit": unit})
    return pd.DataFrame(rows, columns=COLUMNS)


# ---------------------------------------------------------------- outputs


def plot_ranking(table: pd.DataFrame, headline: str, confidence: float, path: Path) -> None:
    """Effect on the headline indicator per 1e8 yuan of each lever with a budget cost,
    ranked, with its confidence interval; levers appraised per unit are named below."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sel = table[table.indicator == headline]
    costed = sel[sel.basis == PER_COST].sort_values("effect_per_100m_yuan")
    per_unit = sel[sel.basis != PER_COST].lever.tolist()
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.35 * max(len(costed), 1)))
    if len(costed):
        y = np.arange(len(costed))
        x = costed.effect_per_100m_yuan.to_numpy()
        lo = np.nan_to_num(x - costed.ci_low.to_numpy())
        hi = np.nan_to_num(costed.ci_high.to_numpy() - x)
        ax.barh(y, x, color="tab:blue", alpha=0.7)
        ax.errorbar(x, y, xerr=[lo, hi], fmt="none", ecolor="black", capsize=3)
        ax.set_yticks(y, costed.lever, fontsize=8)
        ax.axvline(0, color="grey", linewidth=0.8)
    else:
        ax.text(0.5, 0.5, "no lever with a budget cost was appraised", ha="center",
                transform=ax.transAxes)
        ax.set_yticks([])
    year = int(sel.year.iloc[0]) if len(sel) else ""
    n = int(sel.replicates.iloc[0]) if len(sel) else 0
    ax.set_xlabel(f"change in {headline} ({year}) per 1e8 yuan of public cost "
                  f"({confidence:.0%} CI, {n} paired replicates)", fontsize=8)
    ax.set_title(f"Levers ranked by effect on {headline} per 1e8 yuan", fontsize=10)
    if per_unit:
        fig.text(0.01, 0.005, "per lever unit (no budget cost): " + ", ".join(per_unit),
                 fontsize=6, wrap=True)
    fig.tight_layout(rect=(0, 0.04 if per_unit else 0, 1, 1))
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _fmt(v: float) -> str:
    if not np.isfinite(v):
        return "n/a"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"


def report_text(a: Appraisal) -> str:
    """appraisal.md: what was done, the ranking per target indicator, levers per unit."""
    first, last = a.years
    costed = a.table[a.table.basis == PER_COST].lever.unique().tolist()
    per_unit = [p for p in a.plan if p.lever not in costed]
    lines = [
        f"# Appraisal of the levers of `{a.scenario.name}`", "",
        (f"Each of {len(a.plan)} levers was moved by one step from {first} on and the "
         f"scenario run to {a.end} at scale {a.scale:g} on the same {a.replicates} replicate "
         f"seeds as the unperturbed scenario (common random numbers, master seed {a.seed}). "
         f"Public cost is spending plus tax expenditure over {first}-{last} (1e8 yuan). "
         f"An effect per 1e8 yuan is the mean paired change of the indicator divided by the "
         f"mean paired change of public cost; its {a.confidence:.0%} interval is a t interval "
         f"(delta method) over the {a.replicates} paired replicates, so every interval below "
         f"rests on {a.replicates} replicates."), "",
        (f"Unperturbed public cost {first}-{last}: {_fmt(a.base_cost)} (mean of "
         f"{a.replicates} replicates). Targets dated after {a.end} are read in {a.end}."), "",
        "## Steps", "",
        "| lever | unit | mean value | step | basis | Δ cost | of it: spending | tax exp. | note |",
        "|---|---|---:|---:|---|---:|---:|---:|---|",
    ]
    first_rows = a.table.drop_duplicates("lever").set_index("lever")
    for p in a.plan:
        r = first_rows.loc[p.lever]
        lines.append(f"| {p.lever} | {p.unit} | {p.base_mean:.4g} | {p.step:+.4g} | "
                     f"{r.basis} | {r.delta_cost_100m_yuan:+.3g} | "
                     f"{r.delta_spending_100m_yuan:+.3g} | "
                     f"{r.delta_tax_expenditure_100m_yuan:+.3g} | {p.note} |")
    lines += ["", "## Ranking per target indicator (levers with a budget cost, per 1e8 yuan)", "",
              "A star marks an interval that excludes zero.", ""]
    for (ind, year), g in a.table.groupby(["indicator", "year"], sort=False):
        g = g[g.basis == PER_COST].sort_values("effect_per_100m_yuan", ascending=False)
        if g.empty:
            continue
        cells = [f"{r.lever} {_fmt(r.effect_per_100m_yuan)} [{_fmt(r.ci_low)}, "
                 f"{_fmt(r.ci_high)}]{'*' if r.ci_low > 0 or r.ci_high < 0 else ''}"
                 for r in g.head(5).itertuples()]
        lines.append(f"- **{ind}** ({year}): " + "; ".join(cells))
    lines += ["", "## Levers appraised per unit of the lever (no budget cost)", ""]
    if not per_unit:
        lines.append("None: every appraised lever changed the public cost.")
    for p in per_unit:
        g = a.table[a.table.lever == p.lever]
        g = g.reindex(g.effect_per_100m_yuan.abs().sort_values(ascending=False).index)
        best = [f"{r.indicator} {_fmt(r.effect_per_100m_yuan)} [{_fmt(r.ci_low)}, "
                f"{_fmt(r.ci_high)}]" for r in g.head(3).itertuples()]
        lines.append(f"- **{p.lever}** (per {p.unit}; step {p.step:+.4g}, Δ cost "
                     f"{g.delta_cost_100m_yuan.iloc[0]:+.3g}): " + "; ".join(best))
    lines += ["", "## Limits", "",
              ("A step is a local, linear reading at this scenario: effects of large changes, "
               "and of levers moved together, can differ. Few replicates give wide intervals; "
               "an interval that spans zero means the sign is not known. A lever with no "
               "budget line, or whose cost change is within 5m yuan, 0.1% of the base cost "
               "or two standard errors of zero, or moves against its step, is read per unit "
               "of the lever."), "",
              "## Files", "",
              "- `cost_effectiveness.csv`: one row per lever and target indicator.",
              f"- `ranking.png`: levers ranked by effect on {a.headline} per 1e8 yuan."]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- the whole appraisal


@dataclass
class Setup:
    """A checked appraisal: what will run."""

    scenario: Scenario
    plan: list
    outcomes: tuple
    years: tuple
    end: int
    scale: float
    seed: int
    replicates: int
    confidence: float
    headline: str

    @property
    def runs(self) -> int:
        return (len(self.plan) + 1) * self.replicates


@dataclass
class Appraisal(Setup):
    """A finished appraisal: its setup, the effects table and what it took."""

    table: pd.DataFrame
    base_cost: float
    out: Path | None
    seconds: float


def prepare(scenario, levers: list[str] | None = None, replicates: int = 8,
            seed: int | None = None, scale: float | None = None,
            years: tuple[int, int] = (2018, 2022), end: int | None = None,
            headline: str | None = None, confidence: float = 0.95) -> Setup:
    """Check the appraisal's input (an `AppraisalError` names what is wrong) and plan it."""
    path = None
    if not isinstance(scenario, Scenario):
        path = scenario
        scenario = load_scenario(scenario)
    elif scenario.files:
        path = scenario.files[-1]
    end = scenario.end if end is None else int(end)
    first, last = int(years[0]), int(years[1])
    if not scenario.start <= first <= last:
        raise AppraisalError(f"--years {first}-{last}: expected FIRST-LAST with "
                             f"{scenario.start} <= FIRST <= LAST")
    if not scenario.start <= end <= scenario.end:
        raise AppraisalError(f"--end {end}: expected a year in {scenario.start}-"
                             f"{scenario.end} (the scenario's period)")
    last = min(last, end)
    if first > last:
        raise AppraisalError(f"--years {first}-{years[1]} starts after the run ends ({end})")
    if replicates < 1:
        raise AppraisalError(f"--replicates must be at least 1, got {replicates}")
    if not 0 < confidence < 1:
        raise AppraisalError(f"--confidence must lie in (0, 1), got {confidence:g}")
    outcomes = target_outcomes(load_targets(targets_path(path)), end)
    indicators = [t.indicator for t in outcomes]
    if headline is None:
        headline = ("core_industry_revenue_100m_yuan"
                    if "core_industry_revenue_100m_yuan" in indicators else indicators[0])
    elif headline not in indicators:
        raise AppraisalError(f"--headline: {headline!r} is not a target indicator"
                             f"{suggest(headline, indicators)}; the targets: "
                             f"{', '.join(indicators)}")
    plan = perturbations(scenario, levers, (first, last))
    return Setup(scenario, plan, outcomes, (first, last), end,
                 scenario.scale if scale is None else float(scale),
                 scenario.seed if seed is None else int(seed), int(replicates), confidence,
                 headline)


def appraise(scenario, levers: list[str] | None = None, replicates: int = 8,
             seed: int | None = None, scale: float | None = None,
             years: tuple[int, int] = (2018, 2022), end: int | None = None,
             headline: str | None = None, confidence: float = 0.95, out=None,
             executor: Executor | None = None,
             progress: Callable[[int, int], None] | None = None) -> Appraisal:
    """Appraise `levers` (default: all) of a scenario (a Scenario or a path); write the
    outputs into `out` if given. Bad input raises `AppraisalError` before anything runs."""
    setup = prepare(scenario, levers, replicates, seed, scale, years, end, headline,
                    confidence)
    return run(setup, out, executor, progress)


def run(setup: Setup, out=None, executor: Executor | None = None,
        progress: Callable[[int, int], None] | None = None) -> Appraisal:
    """Run a prepared appraisal on `executor` (default: this process); write into `out`."""
    started = time.perf_counter()
    su = setup
    first, _last = su.years
    seeds = replicate_seeds(su.seed, su.replicates)
    executor = executor or InProcessExecutor()
    keys = {}
    for r, s in enumerate(seeds):        # each seed's posterior draw, common to every lever
        sc = su.scenario.for_replicate(s)
        tasks = {"base": perturbed_kwargs(sc, None, first, su.end)}
        tasks.update({p.lever: perturbed_kwargs(sc, p, first, su.end) for p in su.plan})
        for name, kwargs in tasks.items():
            key = f"{name}-r{r:03d}"
            keys[key] = (name, r)
            executor.submit(key, outcome_run, kwargs, s, su.scale, su.outcomes, su.years)
    results = {}
    for done, (key, result, error) in enumerate(executor.finished(), start=1):
        if error is not None:
            raise RuntimeError(f"appraisal run {key} failed: {type(error).__name__}: {error}")
        results[keys[key]] = result
        if progress is not None:
            progress(done, len(keys))
    table = effects(results, su.plan, su.outcomes, su.replicates, su.confidence)
    base_cost = float(np.mean([results["base", r]["cost"] for r in range(su.replicates)]))
    a = Appraisal(**vars(su), table=table, base_cost=base_cost,
                  out=None if out is None else Path(out), seconds=time.perf_counter() - started)
    if out is not None:
        text = report_text(a)
        write_folder(Path(out), {
            "cost_effectiveness.csv": lambda p: table.to_csv(p, index=False),
            "ranking.png": lambda p: plot_ranking(table, su.headline, su.confidence, p),
            "appraisal.md": lambda p: p.write_text(text, encoding="utf-8"),
        })
    return a
