"""Reports: the Markdown files and terminal tables of compare, validate, analyze, calibrate.

Pure functions of result tables, callable from a notebook as from the CLI: the `*_report`
functions return Markdown text (the CLI writes it to report.md, validation.md,
analysis.md), the `*_table` functions return rich Tables (the CLI prints them; a notebook
can `rich.print` them).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from rich.table import Table

from .provenance import git_revision, now_iso


def fmt(x: float) -> str:
    """A number for a table: thousands separators, about three significant digits."""
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:,.1f}"
    return f"{x:.3g}"


def band_text(row) -> str:
    """An observed row's plausible band as text (a forecast floor has no upper end)."""
    if row.observed_high == float("inf"):
        return f">= {fmt(row.observed_low)}"
    return f"{fmt(row.observed_low)}-{fmt(row.observed_high)}"


# --- zjai run / compare: target attainment ---------------------------------------------

def targets_table(table: pd.DataFrame, title: str) -> Table:
    """One scenario's attainment (`targets.attainment`): median, band and P(met) per target,
    with the number of replicates behind P(met) and its largest standard error."""
    if not table.empty and "replicates" in table:
        n = int(table.replicates.min())
        title += (f" (P(met) from {n} replicates, standard error up to "
                  f"{table.p_met_se.max():.2f})")
    t = Table(title=title)
    for col in ("indicator", "year", "target", "median", "10-90%", "P(met)", "section"):
        t.add_column(col, justify="left" if col in ("indicator", "section") else "right")
    for _, r in table.iterrows():
        colour = "green" if r.p_met >= 0.5 else "red"
        t.add_row(r.indicator, str(r.year), fmt(r.target), f"[{colour}]{fmt(r['median'])}[/]",
                  f"{fmt(r.p10)}-{fmt(r.p90)}", f"{r.p_met:.2f}", r.section)
    return t


def public_cost_lines(costs: pd.DataFrame) -> list[str]:
    """One line per scenario and period (`targets.public_cost`): the public cost, median and
    10-90% band, with its tax expenditure."""
    return [f"{r.scenario}: public cost {r['from']}-{r.to} {fmt(r['median'])} (10-90% "
            f"{fmt(r.p10)}-{fmt(r.p90)}) 1e8 yuan, of which tax expenditure "
            f"{fmt(r.tax_expenditure_median)}" for _, r in costs.iterrows()]


def headline_table(table: pd.DataFrame) -> Table:
    """Several scenarios' attainment side by side: median (P met) per target."""
    t = Table(title="Target attainment: median (P met)")
    scen = list(table.scenario.drop_duplicates())
    for col in ("target", "year", "value", *scen):
        t.add_column(col, justify="left" if col == "target" else "right")
    for (ind, year), g in table.groupby(["indicator", "year"], sort=False):
        g = g.set_index("scenario")
        t.add_row(ind, str(year), fmt(g.target.iloc[0]),
                  *[f"{fmt(g.loc[s, 'median'])} ({g.loc[s, 'p_met']:.2f})" for s in scen])
    return t


PARAMETER_NOTES = {
    "posterior": (" Each replicate runs one row of the calibrated parameters' posterior sample, "
                  "picked by its seed (the same row in every scenario; metadata.json "
                  "`parameter_draws`): the bands include parameter uncertainty."),
    "point-estimate": (" Every replicate runs the calibrated point values: the bands show "
                       "stochastic variation only, not parameter uncertainty."),
}


def compare_report(scenarios, table: pd.DataFrame, figures, meta: dict) -> str:
    """A Markdown report that stands on its own: scenarios, attainment table, figures.

    `scenarios`: the compared Scenarios, the first the reference; `table`:
    `targets.attainment` of their trajectories; `figures`: PNG paths inside a `figures/`
    folder next to the report; `meta`: created, command, zjai_version, git_revision, engine,
    scale and replicates (None for "per scenario"), as in the CLI's metadata.json.
    """
    scen = [sc.name for sc in scenarios]
    lines = [f"# Scenario comparison: {', '.join(scen)}", "",
             (f"Generated {meta['created']} by `{meta['command']}` (zjai {meta['zjai_version']}, "
              f"git {meta['git_revision']}); engine {meta['engine']}, scale "
              f"{meta['scale'] or 'per scenario'}, replicates {meta['replicates'] or 'per scenario'}."
              " Model values are medians over replicates with the 10-90% band; P(met) is the "
              "share of replicates that reach the target. Indicator definitions: "
              "docs/indicators.md; mechanisms: docs/ODD.md. Behavioural parameters are calibrated "
              "to the observed 2018-2020 data (scenarios/calibrated.toml; `zjai validate` shows "
              "the fit); later years are out of sample, so read levels with care and differences "
              "between scenarios (common random numbers: same seeds) with more confidence."
              + PARAMETER_NOTES.get(meta.get("parameters"), "")), "",
             "## Scenarios", ""]
    for sc in scenarios:
        desc = " ".join(sc.description.split())
        lines.append(f"- **{sc.name}** (`{Path(sc.files[-1]).name}`): {desc}")
    lines += ["", "## Target attainment", ""]
    if table.empty:
        ends = ", ".join(f"{sc.name} {sc.end}" for sc in scenarios)
        lines += [(f"No target year falls within the runs (they end: {ends}); run to 2022 "
                   "or 2030 to compare attainment."), "", "## Figures", ""]
        lines += [f"![{f.stem}](figures/{f.name})\n" for f in figures]
        return "\n".join(lines) + "\n"
    lines += ["| target | year | value | " + " | ".join(
                  f"{s}: median [10-90%] P(met)" for s in scen) + f" | difference from {scen[0]} |",
              "|---|---:|---:|" + "---|" * len(scen) + "---|"]
    for (ind, year), g in table.groupby(["indicator", "year"], sort=False):
        g = g.set_index("scenario")
        cells = [f"{fmt(g.loc[s, 'median'])} [{fmt(g.loc[s, 'p10'])}-{fmt(g.loc[s, 'p90'])}] "
                 f"{g.loc[s, 'p_met']:.2f}" for s in scen]
        diffs = ", ".join(f"{s} {g.loc[s, 'diff_vs_first']:+,.0f}" for s in scen[1:]) or "—"
        lines.append(f"| {ind} ({g.section.iloc[0]}) | {year} | {fmt(g.target.iloc[0])} | "
                     + " | ".join(cells) + f" | {diffs} |")
    lines += ["", "## Figures", ""]
    for f in figures:
        lines += [f"![{f.stem}](figures/{f.name})", ""]
    return "\n".join(lines) + "\n"


# --- zjai validate ------------------------------------------------------------------------

def validation_report(scenario_name: str, replicates: int, scale: float, seed: int,
                      engine: str, observed: pd.DataFrame, facts: pd.DataFrame,
                      bands_figure: Path, facts_figure: Path, created: str | None = None,
                      git: str | None = None, forecast: str = "") -> str:
    """validation.md: the observed rows (`validation.observed_table`) and stylized facts
    (`validation.facts_table`) of a 2017-2024 run, with the two figures' links, and the
    out-of-sample section `forecast` (`forecast_section`) if given.

    `created` and `git` default to now and the source tree's revision.
    """
    created = now_iso() if created is None else created
    git = git_revision() if git is None else git
    obs, ft = observed, facts
    lines = [f"# Validation: {scenario_name}", "",
             (f"{replicates} replicates, scale {scale:g}, seed {seed}, engine "
              f"{engine}, 2017-2024 ({created}, git {git}). Observed rows from "
              "shared/data/observed_zhejiang.csv; later years are held out by design."), "",
             "## Observed rows", "",
             ("Plausible band: the observed value +-10% (confidence high), 15% (medium-high), "
              "20% (medium) or 30% (low); a forecast floor has no upper end "
              "(`validation.PLAUSIBLE_HALF_WIDTH`). Series A counts the provincial AI enterprise "
              "directory, which from 2020 lists smaller firms (docs/indicators.md)."), "",
             ("| year | region | observed (metric) | series, confidence | plausible band "
              "| model median [10-90%] | error | median in plausible band | observed in model "
              "band |"), "|---|---|---|---|---|---|---|---|---|"]
    for r in obs.itertuples():
        lines.append(f"| {r.year} | {r.region} | {fmt(r.observed)} ({r.observed_metric}) | "
                     f"{r.series}, {r.confidence} | {band_text(r)} | {fmt(r.model_median)} "
                     f"[{fmt(r.model_p10)}-{fmt(r.model_p90)}] | {r.relative_error:+.0%} | "
                     f"{'yes' if r.median_in_observed_band else 'no'} | "
                     f"{'yes' if r.observed_in_band else 'no'} |")
    lines += ["",
              (f"Model medians inside the observed plausible band: "
               f"{int(obs.median_in_observed_band.sum())} of {len(obs)}; observed values inside "
               f"the model's 10-90% band: {int(obs.observed_in_band.sum())} of {len(obs)}."), "",
              "## Stylized facts", "",
              "| fact | model median [10-90%] | accepted band | in band | source |",
              "|---|---|---|---|---|"]
    for r in ft.itertuples():
        lines.append(f"| {r.fact} | {r.model_median:.3f} [{r.model_p10:.3f}-{r.model_p90:.3f}] | "
                     f"{r.accepted_low:g}-{r.accepted_high:g} | "
                     f"{'yes' if r.median_in_band else 'no'} | {r.source} |")
    lines += ["", forecast] if forecast else []
    lines += ["", f"![observed vs model](figures/{bands_figure.name})", "",
              f"![stylized facts](figures/{facts_figure.name})", ""]
    return "\n".join(lines)


def _score(x: float) -> str:
    return "-" if pd.isna(x) else fmt(x)


def forecast_section(table: pd.DataFrame, summary: dict, origin: int, fit_text: str,
                     with_draws: bool = False) -> str:
    """The out-of-sample section of validation.md (`forecast_scores.score_forecasts` and
    `forecast_summary`): per row the model's bands and CRPS beside the naive forecasts'."""
    from .forecast_scores import NAIVE, NAIVE_TEXT

    lines = [f"## Forecasts from {origin}, scored out of sample", "",
             (f"{fit_text} Every observed row dated after {origin} that the model measures "
              "is scored: whether it falls in the replicates' central 50% and 80% bands, and "
              "the CRPS of the ensemble (in the row's unit, lower is better) beside three naive "
              f"point forecasts from the series' own rows up to {origin}, whose CRPS is their "
              "absolute error. Skill = 1 - CRPS(model) / CRPS(naive), above 0 where the model "
              "is better. Table: forecast_scores.csv."), "",
             ("| year | region | metric | observed | model median [10-90%] | in 50% / 80% | "
              "CRPS model | " + " | ".join(f"CRPS {NAIVE_TEXT[k]}" for k in NAIVE)
              + " | scored by |"), "|---|---|---|---:|---|---|---:|" + "---:|" * len(NAIVE)
             + "---|"]
    for r in table.itertuples():
        bands = ("-" if pd.isna(r.crps_model) else
                 f"{'yes' if r.in_50 else 'no'} / {'yes' if r.in_80 else 'no'}")
        lines.append(f"| {r.year} | {r.region} | {r.metric} | {fmt(r.observed)} | "
                     f"{fmt(r.model_median)} [{fmt(r.model_p10)}-{fmt(r.model_p90)}] | {bands} | "
                     f"{_score(r.crps_model)} | "
                     + " | ".join(_score(getattr(r, f"crps_{k}")) for k in NAIVE)
                     + f" | {r.scored_by} |")
    s = summary
    lines += ["", (f"Scored rows: {s['scored']} of {s['rows']}. Observed values inside the "
                   f"model's 50% band: {s['coverage_50']:.0%}, inside its 80% band: "
                   f"{s['coverage_80']:.0%} (a calibrated ensemble: 50% and 80%). Mean CRPS "
                   f"relative to the observed value: {s['mean_crps_relative']:.1%}.")]
    for k in NAIVE:
        if s[f"rows_vs_{k}"]:
            lines.append(f"Mean CRPS skill vs {NAIVE_TEXT[k]}: {s[f'mean_skill_vs_{k}']:+.2f} "
                         f"over {s[f'rows_vs_{k}']} rows (model better on "
                         f"{s[f'model_better_vs_{k}']}).")
        else:
            lines.append(f"No row has the earlier rows {NAIVE_TEXT[k]} needs.")
    lines += ["", forecast_losses(table, with_draws), ""]
    return "\n".join(lines)


def forecast_losses(table: pd.DataFrame, with_draws: bool = False) -> str:
    """One sentence on where the model loses: rows outside its 80% band, rows where a naive
    forecast has the lower CRPS; and what the bands hold (`with_draws`: posterior draws)."""
    from .forecast_scores import NAIVE, NAIVE_TEXT

    scored = table[table.crps_model.notna()]
    missed = [f"{r.year} {r.region} {r.metric} (observed {fmt(r.observed)}, model "
              f"{fmt(r.model_median)})" for r in scored.itertuples() if not r.in_80]
    beaten = [f"{r.year} {r.region} {r.metric} (by {NAIVE_TEXT[k]})"
              for r in scored.itertuples() for k in NAIVE
              if getattr(r, f"crps_{k}") < r.crps_model]
    parts = []
    if missed:
        parts.append("outside its 80% band: " + "; ".join(missed))
    if beaten:
        parts.append("a naive forecast scores better: " + "; ".join(beaten))
    if not parts:
        return "The model covers every scored row with its 80% band and no naive forecast beats it."
    bands = ("The bands hold replicate noise and parameter uncertainty (posterior draws), "
             "not measurement uncertainty." if with_draws else
             "The bands are replicate noise at the fitted parameters only, without parameter "
             "or measurement uncertainty, so they are narrower than the forecast's real "
             "uncertainty.")
    return "Where the model loses: " + "; and ".join(parts) + ". " + bands


def observed_rows_table(scenario_name: str, observed: pd.DataFrame) -> Table:
    """The observed rows of a validation against the model's median and band."""
    t = Table(title=f"Validation of {scenario_name}: observed rows")
    for col in ("year", "region", "metric", "observed", "plausible band",
                "model median [10-90%]", "error", "median in band"):
        t.add_column(col)
    for r in observed.itertuples():
        t.add_row(str(r.year), r.region, r.observed_metric, fmt(r.observed), band_text(r),
                  f"{fmt(r.model_median)} [{fmt(r.model_p10)}-{fmt(r.model_p90)}]",
                  f"{r.relative_error:+.0%}", "yes" if r.median_in_observed_band else "no")
    return t


def facts_table(facts: pd.DataFrame) -> Table:
    """The stylized facts of a validation against their accepted bands."""
    t = Table(title="Stylized facts")
    for col in ("fact", "model median [10-90%]", "accepted", "in band"):
        t.add_column(col)
    for r in facts.itertuples():
        t.add_row(r.fact, f"{r.model_median:.3f} [{r.model_p10:.3f}-{r.model_p90:.3f}]",
                  f"{r.accepted_low:g}-{r.accepted_high:g}", "yes" if r.median_in_band else "no")
    return t


# --- zjai analyze ---------------------------------------------------------------------------

def top_drivers(ranked: pd.DataFrame, key: str) -> list[tuple[str, list[str]]]:
    """(outcome, its three strongest factors as "name (index)", "" where fewer) per outcome
    of `analysis.drivers`; `key` is the design's measure (`analysis.measure`)."""
    rows = []
    for outcome, g in ranked.groupby("outcome", sort=False):
        top = [f"{r.factor} ({getattr(r, key):.2f})" for r in g.head(3).itertuples()]
        top += [""] * (3 - len(top))
        rows.append((outcome, top))
    return rows


def analysis_report(name: str, design: str, runs: int, ranked: pd.DataFrame, key: str,
                    figures) -> str:
    """analysis.md of a sweep: the three strongest drivers of each outcome, and figures."""
    lines = [f"# Sensitivity analysis: {name}", "",
             f"Design {design}, {runs} runs; measure {key}. Tables: indices.csv, drivers.csv.",
             "", "| outcome | 1st | 2nd | 3rd |", "|---|---|---|---|"]
    for outcome, top in top_drivers(ranked, key):
        lines.append(f"| {outcome} | " + " | ".join(top) + " |")
    lines += [""] + [f"![{p.stem}](figures/{p.name})" for p in figures]
    return "\n".join(lines) + "\n"


def drivers_table(ranked: pd.DataFrame, key: str, design: str) -> Table:
    """The three strongest drivers of each outcome, as a terminal table."""
    t = Table(title=f"What drives the targeted outcomes ({key}, {design} design)")
    for col in ("outcome", "1st", "2nd", "3rd"):
        t.add_column(col)
    for outcome, top in top_drivers(ranked, key):
        t.add_row(outcome, *top)
    return t


# --- zjai calibrate -------------------------------------------------------------------------

def _observed_text(observed) -> str:
    """A moment's observed value, or a stylized fact's accepted band (a tuple)."""
    if isinstance(observed, tuple):
        return f"{observed[0]:g}-{observed[1]:g}"
    return fmt(observed)


def calibration_table(result: dict) -> Table:
    """The fitted moments of `calibration.calibrate`'s result: observed, simulated, distance."""
    t = Table(title=f"Calibration: J = {result['objective']:.4f} (start "
                    f"{result['start_objective']:.4f}), {result['evaluations']} evaluations")
    for col in ("moment", "observed", "simulated mean [10-90%]", "distance", "weight"):
        t.add_column(col)
    for r in result["table"].itertuples():
        t.add_row(r.moment, _observed_text(r.observed), f"{fmt(r.simulated_mean)} "
                  f"[{fmt(r.simulated_p10)}-{fmt(r.simulated_p90)}]", f"{r.distance:+.3f}",
                  f"{r.weight:g}")
    return t


def held_out_table(result: dict) -> Table:
    """The moments held out of a fit (`--years`): their error at the fitted parameters."""
    t = Table(title="Held out (not fitted): error at the fitted parameters")
    for col in ("moment", "observed", "simulated mean [10-90%]", "error",
                "distance in half-widths"):
        t.add_column(col)
    for r in result["held_out"].itertuples():
        fact = isinstance(r.observed, tuple)
        t.add_row(r.moment, _observed_text(r.observed),
                  f"{fmt(r.simulated_mean)} [{fmt(r.simulated_p10)}-"
                  f"{fmt(r.simulated_p90)}]",
                  "-" if fact else f"{r.simulated_mean / r.observed - 1:+.0%}",
                  f"{r.distance:+.3f}")
    return t


# --- zjai calibrate --identify --------------------------------------------------------------

def identification_report(result: dict, spec_name: str, scale: float, replicates: int,
                          seed: int, created: str | None = None, git: str | None = None) -> str:
    """identification.md: per parameter the moment that pins it down, the verdict, the
    singular values and the Jacobian (`identification.identify`'s result)."""
    from .identification import COLLINEAR, WEAK

    created = now_iso() if created is None else created
    git = git_revision() if git is None else git
    t = result["table"]
    lines = [f"# Identification: {spec_name}", "",
             (f"Central differences of the standardised moments at the fitted point, each "
              f"parameter moved by {result['step']:g} of its range either way, {replicates} "
              f"common-random-number replicates at scale {scale:g}, seed {seed} "
              f"({result['runs']} runs; {created}, git {git}). Slopes are in plausible "
              "half-widths per whole range of the parameter. Weak: no moment moves "
              f"{WEAK:g} half-width, or no slope beyond 2 standard errors; collinear: |cos| "
              f"> {COLLINEAR:g} with another parameter's column (model/identification.py). "
              "Pinned down by: the moment with the largest slope beyond 2 standard errors."), "",
             ("| parameter | fitted value | pinned down by | slope (se) | column norm "
              "| most collinear with (cos) | identified |"), "|---|---:|---|---:|---:|---|---|"]
    for r in t.itertuples():
        lines.append(f"| {r.parameter} | {r.fitted_value:.4g} | {r.pinned_by} | "
                     f"{r.largest_slope:+.2f} ({r.largest_slope_se:.2f}) | {r.column_norm:.2f} | "
                     f"{r.most_collinear_with} ({r.cosine:+.2f}) | "
                     f"{'yes' if r.identified else 'no: ' + r.problem} |")
    sv = result["singular_values"]
    lines += ["", (f"Singular values of J: {', '.join(f'{v:.3g}' for v in sv)}; condition "
                   f"number {result['condition_number']:.3g}, "
                   f"{result['condition_number_nonzero']:.3g} without near-zero columns, whose "
                   "least seen combination of parameters is "
                   + ", ".join(f"{v:+.2f} {k}" for k, v in result["weakest_direction"].items())
                   + "."), "",
              "## Jacobian (rows: moments; columns: parameters)", "",
              "| moment | " + " | ".join(result["jacobian"].columns) + " |",
              "|---|" + "---:|" * len(result["jacobian"].columns)]
    for moment, row in result["jacobian"].iterrows():
        lines.append(f"| {moment} | " + " | ".join(f"{v:+.2f}" for v in row) + " |")
    return "\n".join(lines) + "\n"


def identification_terminal(result: dict) -> Table:
    """The per-parameter verdicts of an identification check, as a terminal table."""
    t = Table(title=f"Identification: condition number {result['condition_number']:.3g}")
    for col in ("parameter", "pinned down by", "slope (se)", "column norm", "identified"):
        t.add_column(col)
    for r in result["table"].itertuples():
        t.add_row(r.parameter, r.pinned_by, f"{r.largest_slope:+.2f} ({r.largest_slope_se:.2f})",
                  f"{r.column_norm:.2f}", "yes" if r.identified else f"no: {r.problem}")
    return t
