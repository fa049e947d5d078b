"""The `zjai` command line: run | compare | sweep | analyze | calibrate | validate | show |
levers | targets.

User errors (bad scenario files, bad options) print one line naming the file, key and
what was expected, and exit with code 2; nothing is written to the output folder.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from . import __version__, plots
from .ecosystem import ENGINES
from .levers import LEVERS
from .provenance import atomic_write, git_revision, now_iso, versions, write_json
from .runner import replicate_seeds, run_scenario
from .scenario import ScenarioError, load_scenario
from .targets import attainment, load_targets, targets_path

# wide tables when output goes to a file or pipe; rich would otherwise wrap at 80 columns
console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True)


class UsageError(Exception):
    """A bad command-line value; reported in one line with exit code 2."""


def _fail(message: str) -> int:
    print(f"zjai: error: {message}", file=sys.stderr)
    return 2


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {value}")
    return value


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0.0 < value <= 10.0:
        raise argparse.ArgumentTypeError(f"expected a scale in (0, 10], got {value}")
    return value


def _run_all(scenarios, replicates, seed, scale, engine, quiet):
    """Run each scenario's replicates with one progress bar; tidy trajectories and timings."""
    frames, timings = [], {}
    total = sum((sc.end - sc.start + 1) * 12 * (replicates or sc.replicates) for sc in scenarios)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("months"), TimeRemainingColumn(), console=err_console,
                  disable=quiet) as progress:
        task = progress.add_task("", total=total)
        for sc in scenarios:
            n = replicates or sc.replicates
            progress.update(task, description=f"{sc.name} x{n} (scale {scale or sc.scale:g}, "
                            f"{engine})")
            timings[sc.name] = []
            frames.append(run_scenario(sc, n, sc.seed if seed is None else seed,
                                       scale or sc.scale, engine,
                                       on_step=lambda: progress.advance(task),
                                       timings=timings[sc.name]))
    return pd.concat(frames, ignore_index=True), timings


def _metadata(scenarios, seed, replicates, scale, engine, timings, started) -> dict:
    return {
        "created": now_iso(), "command": " ".join(sys.argv), "zjai_version": __version__,
        "versions": versions(), "git_revision": git_revision(),
        "scenarios": [{"name": sc.name, "files": sc.files, "sha256": sc.sha256,
                       "text": sc.text, "description": sc.description,
                       "master_seed": sc.seed if seed is None else seed,
                       "replicate_seeds": replicate_seeds(sc.seed if seed is None else seed,
                                                          replicates or sc.replicates)}
                      for sc in scenarios],
        "replicates": replicates, "engine": engine, "scale": scale,
        "timings": {"total_seconds": time.perf_counter() - started, "replicates": timings},
    }


def _write_trajectories(out: Path, trajectories: pd.DataFrame) -> None:
    out.mkdir(parents=True, exist_ok=True)
    atomic_write(out / "trajectories.csv", lambda p: trajectories.to_csv(p, index=False))
    atomic_write(out / "trajectories.parquet", lambda p: trajectories.to_parquet(p, index=False))


def cmd_run(args) -> int:
    scenario = load_scenario(args.scenario)
    targets = load_targets(targets_path(args.scenario))
    out = Path(args.out) if args.out else Path("out") / scenario.name
    started = time.perf_counter()
    trajectories, timings = _run_all([scenario], args.replicates, args.seed, args.scale,
                                     args.engine, args.quiet)
    # everything goes through temporary files; metadata last marks a complete folder
    _write_trajectories(out, trajectories)
    meta = _metadata([scenario], args.seed, args.replicates or scenario.replicates,
                     args.scale or scenario.scale, args.engine, timings, started)
    meta["scenario"] = meta["scenarios"][0]
    meta["master_seed"] = meta["scenario"]["master_seed"]
    meta["replicate_seeds"] = meta["scenario"]["replicate_seeds"]
    write_json(out / "metadata.json", meta)
    _print_targets(attainment(trajectories, targets), f"{scenario.name}: targets")
    console.print(f"wrote {out}/trajectories.csv, trajectories.parquet, metadata.json "
                  f"({meta['timings']['total_seconds']:.1f} s)")
    return 0


def cmd_compare(args) -> int:
    scenarios = [load_scenario(p) for p in args.scenarios]     # validate all before running
    names = [sc.name for sc in scenarios]
    if len(set(names)) != len(names):
        raise UsageError(f"scenario names must differ, got {names}")
    targets = load_targets(targets_path(args.scenarios[0]))
    out = Path(args.out) if args.out else Path("out") / ("compare-" + "-".join(names))
    started = time.perf_counter()
    trajectories, timings = _run_all(scenarios, args.replicates, args.seed, args.scale,
                                     args.engine, args.quiet)
    table = attainment(trajectories, targets)
    _write_trajectories(out, trajectories)
    atomic_write(out / "attainment.csv", lambda p: table.to_csv(p, index=False))
    figures = out / "figures"
    figures.mkdir(exist_ok=True)
    fans = [plots.fan_chart(trajectories, ind, targets, figures / f"fan_{ind}.png")
            for ind in plots.KEY_INDICATORS]
    heat = plots.attainment_heatmap(table, figures / "attainment_heatmap.png")
    cities = plots.city_panel(trajectories, figures / "city_panel.png")
    meta = _metadata(scenarios, args.seed, args.replicates, args.scale, args.engine, timings,
                     started)
    report = render_report(scenarios, table, [heat, *fans, cities], out, meta)
    atomic_write(out / "report.md", lambda p: Path(p).write_text(report, encoding="utf-8"))
    write_json(out / "metadata.json", meta)
    _print_headline(table)
    console.print(f"wrote {out}/: trajectories.csv, trajectories.parquet, attainment.csv, "
                  f"report.md, metadata.json, figures/ ({len(fans) + 2} PNG)")
    return 0


def _print_headline(table: pd.DataFrame) -> None:
    t = Table(title="Target attainment: median (P met)")
    scen = list(table.scenario.drop_duplicates())
    for col in ("target", "year", "value", *scen):
        t.add_column(col, justify="left" if col == "target" else "right")
    for (ind, year), g in table.groupby(["indicator", "year"], sort=False):
        g = g.set_index("scenario")
        t.add_row(ind, str(year), _fmt(g.target.iloc[0]),
                  *[f"{_fmt(g.loc[s, 'median'])} ({g.loc[s, 'p_met']:.2f})" for s in scen])
    console.print(t)


def render_report(scenarios, table: pd.DataFrame, figures, out: Path, meta: dict) -> str:
    """A Markdown report that stands on its own: scenarios, attainment table, figures."""
    scen = [sc.name for sc in scenarios]
    lines = [f"# Scenario comparison: {', '.join(scen)}", "",
             f"Generated {meta['created']} by `{meta['command']}` (zjai {meta['zjai_version']}, "
             f"git {meta['git_revision']}); engine {meta['engine']}, scale "
             f"{meta['scale'] or 'per scenario'}, replicates {meta['replicates'] or 'per scenario'}."
             " Model values are medians over replicates with the 10-90% band; P(met) is the "
             "share of replicates that reach the target. Indicator definitions: "
             "docs/indicators.md; mechanisms: docs/ODD.md. Behavioural parameters are calibrated "
             "to the observed 2018-2020 data (scenarios/calibrated.toml; `zjai validate` shows "
             "the fit); later years are out of sample, so read levels with care and differences "
             "between scenarios (common random numbers: same seeds) with more confidence.", "",
             "## Scenarios", ""]
    for sc in scenarios:
        desc = " ".join(sc.description.split())
        lines.append(f"- **{sc.name}** (`{Path(sc.files[-1]).name}`): {desc}")
    lines += ["", "## Target attainment", "",
              "| target | year | value | " + " | ".join(
                  f"{s}: median [10-90%] P(met)" for s in scen) + f" | difference from {scen[0]} |",
              "|---|---:|---:|" + "---|" * len(scen) + "---|"]
    for (ind, year), g in table.groupby(["indicator", "year"], sort=False):
        g = g.set_index("scenario")
        cells = [f"{_fmt(g.loc[s, 'median'])} [{_fmt(g.loc[s, 'p10'])}-{_fmt(g.loc[s, 'p90'])}] "
                 f"{g.loc[s, 'p_met']:.2f}" for s in scen]
        diffs = ", ".join(f"{s} {g.loc[s, 'diff_vs_first']:+,.0f}" for s in scen[1:]) or "—"
        lines.append(f"| {ind} ({g.section.iloc[0]}) | {year} | {_fmt(g.target.iloc[0])} | "
                     + " | ".join(cells) + f" | {diffs} |")
    lines += ["", "## Figures", ""]
    for f in figures:
        lines += [f"![{f.stem}](figures/{f.name})", ""]
    return "\n".join(lines) + "\n"


def _fmt(x: float) -> str:
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:,.1f}"
    return f"{x:.3g}"


def _print_targets(table: pd.DataFrame, title: str) -> None:
    t = Table(title=title)
    for col in ("indicator", "year", "target", "median", "10-90%", "P(met)", "section"):
        t.add_column(col, justify="left" if col in ("indicator", "section") else "right")
    for _, r in table.iterrows():
        colour = "green" if r.p_met >= 0.5 else "red"
        t.add_row(r.indicator, str(r.year), _fmt(r.target), f"[{colour}]{_fmt(r['median'])}[/]",
                  f"{_fmt(r.p10)}-{_fmt(r.p90)}", f"{r.p_met:.2f}", r.section)
    console.print(t)


def cmd_show(args) -> int:
    sc = load_scenario(args.scenario)
    quote = '"' * 3
    description = sc.description.replace(quote, "'''")
    lines = [f"# zjai show: {sc.files[-1]} with its extends chain resolved", "",
             "[scenario]", f'name = "{sc.name}"',
             f"description = {quote}{description}{quote}",
             f"start = {sc.start}", f"end = {sc.end}",
             f"seed = {sc.seed}", f"replicates = {sc.replicates}", f"scale = {sc.scale}",
             f"# resolved from: {', '.join(sc.files)}", "", "[levers]"]
    for name in LEVERS:
        if name in sc.levers:
            lines.append(f"{name} = {_toml_value(sc.levers[name])}")
    for city, values in sc.city_levers.items():
        lines += ["", f"[levers.city.{city}]"]
        lines += [f"{k} = {_toml_value(v)}" for k, v in values.items()]
    for table in ("parameters", "initial"):
        values = getattr(sc, table)
        if values:
            lines += ["", f"[{table}]"] + [f"{k} = {v:g}" for k, v in values.items()]
    for ev in sc.events:
        lines += ["", "[[events]]"] + [f"{k} = {_toml_value(v)}" for k, v in ev.items()]
    print("\n".join(lines))
    return 0


def _toml_value(v) -> str:
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, str):
        return f'"{v}"'
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, float) and v == int(v):
        return str(int(v))
    return str(v)


def _job_options(pairs) -> dict:
    """--job-option KEY=VALUE pairs for dask-jobqueue (numbers where they look like numbers)."""
    out = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--job-option expects KEY=VALUE, got {pair!r}")
        out[key.replace("-", "_")] = int(value) if value.isdigit() else value
    return out


def cmd_sweep(args) -> int:
    from .executors import make_executor
    from .experiments import load_experiment, runs
    from .sweep import SweepError, sweep

    exp = load_experiment(args.experiment)
    out = Path(args.out) if args.out else Path("out") / f"sweep-{exp.name}"
    options = _job_options(args.job_option)
    n_runs = len(runs(exp))
    try:
        with make_executor(args.workers, args.scheduler, args.cluster, args.jobs,
                           options) as executor, \
                Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                         MofNCompleteColumn(), TextColumn("runs, {task.fields[failed]} failed"),
                         TimeRemainingColumn(), console=err_console,
                         disable=args.quiet) as progress:
            task = progress.add_task(f"{exp.name} on {executor.description}", total=n_runs,
                                     failed=0)

            def update(done, failed, total):
                progress.update(task, completed=done, failed=failed)

            report = sweep(exp, out, executor, progress=update)
    except SweepError as exc:
        raise UsageError(str(exc)) from None
    console.print(f"{exp.name}: {report.done} runs done, {report.skipped} already finished, "
                  f"{len(report.failed)} failed, {report.seconds:.1f} s")
    if report.failed:
        for rid, err in sorted(report.failed.items()):
            console.print(f"  failed {rid}: {err}")
        console.print(f"rerun the same command to retry; details in {out}/manifest.jsonl")
        return 1
    console.print(f"wrote {out}/results.parquet, metadata.json, manifest.jsonl, runs/")
    return 0


def cmd_analyze(args) -> int:
    import json

    from . import analysis
    from .experiments import load_experiment

    folder = Path(args.folder)
    stamp = folder / "experiment.json"
    results_path = folder / "results.parquet"
    if not stamp.is_file() or not results_path.is_file():
        raise UsageError(f"{folder}: no finished sweep here (expected experiment.json and "
                         "results.parquet; run or resume `zjai sweep` first)")
    info = json.loads(stamp.read_text())
    exp = load_experiment(info["file"])
    if exp.sha256 != info["sha256"]:
        raise UsageError(f"{info['file']} changed since the sweep in {folder}; analyse with "
                         "the experiment file the sweep ran")
    results = pd.read_parquet(results_path)
    table = analysis.indices(exp, results)
    adir = folder / "analysis"
    adir.mkdir(exist_ok=True)
    atomic_write(adir / "indices.csv", lambda p: table.to_csv(p, index=False))
    figures = analysis.bar_charts(table, exp.design, adir / "figures")
    if exp.design not in ("sobol", "morris"):
        figures += analysis.effect_plots(exp, results, adir / "figures")
    targets = load_targets(targets_path(exp.scenario.files[-1]))
    outcomes = [f"{t.indicator}@{t.year}" for t in targets
                if f"{t.indicator}@{t.year}" in set(table.outcome)]
    ranked = analysis.drivers(table, exp.design, outcomes or list(table.outcome.unique()))
    atomic_write(adir / "drivers.csv", lambda p: ranked.to_csv(p, index=False))
    key = analysis.measure(exp.design)
    t = Table(title=f"What drives the targeted outcomes ({key}, {exp.design} design)")
    for col in ("outcome", "1st", "2nd", "3rd"):
        t.add_column(col)
    lines = [f"# Sensitivity analysis: {exp.name}", "", f"Design {exp.design}, "
             f"{len(results.run_id.unique())} runs; measure {key}. Tables: indices.csv, "
             "drivers.csv.", "", "| outcome | 1st | 2nd | 3rd |", "|---|---|---|---|"]
    for outcome, g in ranked.groupby("outcome", sort=False):
        top = [f"{r.factor} ({getattr(r, key):.2f})" for r in g.head(3).itertuples()]
        top += [""] * (3 - len(top))
        t.add_row(outcome, *top)
        lines.append(f"| {outcome} | " + " | ".join(top) + " |")
    lines += [""] + [f"![{p.stem}](figures/{p.name})" for p in figures]
    atomic_write(adir / "analysis.md", lambda p: Path(p).write_text("\n".join(lines) + "\n",
                                                                    encoding="utf-8"))
    console.print(t)
    console.print(f"wrote {adir}/indices.csv, drivers.csv, analysis.md, figures/ "
                  f"({len(figures)} PNG)")
    return 0


def _band(r) -> str:
    """An observed row's plausible band as text."""
    if r.observed_high == float("inf"):
        return f">= {_fmt(r.observed_low)}"
    return f"{_fmt(r.observed_low)}-{_fmt(r.observed_high)}"


def cmd_validate(args) -> int:
    from . import validation

    scenario = load_scenario(args.scenario)
    out = Path(args.out) if args.out else Path("out") / f"validate-{scenario.name}"
    seed = scenario.seed if args.seed is None else args.seed
    with Progress(TextColumn("[bold]{task.description}"), console=err_console,
                  disable=args.quiet) as progress:
        progress.add_task(f"validating {scenario.name}: {args.replicates} replicates, "
                          f"scale {args.scale:g}, 2017-2024")
        traj, facts = validation.simulate(scenario, args.replicates, seed, args.scale,
                                          args.engine)
    obs = validation.observed_table(traj)
    ft = validation.facts_table(facts)
    out.mkdir(parents=True, exist_ok=True)
    figures = out / "figures"
    figures.mkdir(exist_ok=True)
    bands = validation.band_figure(traj, obs, figures / "observed_vs_model.png")
    factfig = validation.facts_figure(ft, figures / "stylized_facts.png")
    atomic_write(out / "validation.csv", lambda p: obs.to_csv(p, index=False))
    atomic_write(out / "stylized_facts.csv", lambda p: ft.to_csv(p, index=False))
    lines = [f"# Validation: {scenario.name}", "",
             f"{args.replicates} replicates, scale {args.scale:g}, seed {seed}, engine "
             f"{args.engine}, 2017-2024 ({now_iso()}, git {git_revision()}). Observed rows from "
             "shared/data/observed_zhejiang.csv; later years are held out by design.", "",
             "## Observed rows", "",
             "Plausible band: the observed value +-10% (confidence high), 15% (medium-high), "
             "20% (medium) or 30% (low); a forecast floor has no upper end "
             "(`validation.PLAUSIBLE_HALF_WIDTH`). Series A counts the provincial AI enterprise "
             "directory, which from 2020 lists smaller firms (docs/indicators.md).", "",
             "| year | region | observed (metric) | series, confidence | plausible band "
             "| model median [10-90%] | error | median in plausible band | observed in model "
             "band |", "|---|---|---|---|---|---|---|---|---|"]
    for r in obs.itertuples():
        lines.append(f"| {r.year} | {r.region} | {_fmt(r.observed)} ({r.observed_metric}) | "
                     f"{r.series}, {r.confidence} | {_band(r)} | {_fmt(r.model_median)} "
                     f"[{_fmt(r.model_p10)}-{_fmt(r.model_p90)}] | {r.relative_error:+.0%} | "
                     f"{'yes' if r.median_in_observed_band else 'no'} | "
                     f"{'yes' if r.observed_in_band else 'no'} |")
    lines += ["", f"Model medians inside the observed plausible band: "
              f"{int(obs.median_in_observed_band.sum())} of {len(obs)}; observed values inside "
              f"the model's 10-90% band: {int(obs.observed_in_band.sum())} of {len(obs)}.", "",
              "## Stylized facts", "",
              "| fact | model median [10-90%] | accepted band | in band | source |",
              "|---|---|---|---|---|"]
    for r in ft.itertuples():
        lines.append(f"| {r.fact} | {r.model_median:.3f} [{r.model_p10:.3f}-{r.model_p90:.3f}] | "
                     f"{r.accepted_low:g}-{r.accepted_high:g} | "
                     f"{'yes' if r.median_in_band else 'no'} | {r.source} |")
    lines += ["", f"![observed vs model](figures/{bands.name})", "",
              f"![stylized facts](figures/{factfig.name})", ""]
    atomic_write(out / "validation.md", lambda p: Path(p).write_text("\n".join(lines),
                                                                      encoding="utf-8"))
    t = Table(title=f"Validation of {scenario.name}: observed rows")
    for col in ("year", "region", "metric", "observed", "plausible band",
                "model median [10-90%]", "error", "median in band"):
        t.add_column(col)
    for r in obs.itertuples():
        t.add_row(str(r.year), r.region, r.observed_metric, _fmt(r.observed), _band(r),
                  f"{_fmt(r.model_median)} [{_fmt(r.model_p10)}-{_fmt(r.model_p90)}]",
                  f"{r.relative_error:+.0%}", "yes" if r.median_in_observed_band else "no")
    console.print(t)
    t = Table(title="Stylized facts")
    for col in ("fact", "model median [10-90%]", "accepted", "in band"):
        t.add_column(col)
    for r in ft.itertuples():
        t.add_row(r.fact, f"{r.model_median:.3f} [{r.model_p10:.3f}-{r.model_p90:.3f}]",
                  f"{r.accepted_low:g}-{r.accepted_high:g}", "yes" if r.median_in_band else "no")
    console.print(t)
    console.print(f"wrote {out}/validation.md, validation.csv, stylized_facts.csv, figures/")
    return 0


def cmd_calibrate(args) -> int:
    from .calibration import (
        calibrate,
        held_out_table,
        load_calibration,
        restrict_years,
        write_calibrated,
    )
    from .executors import make_executor

    full = spec = load_calibration(args.calibration)
    if args.years:
        try:
            years = [int(y) for y in args.years.split(",")]
        except ValueError:
            years = []
        if not years or not set(years) <= set(full.years):
            return _fail(f"--years {args.years}: expected a comma-separated subset of the "
                         f"years of {args.calibration} ({','.join(map(str, full.years))})")
        spec, dropped = restrict_years(full, years)
        for name in dropped:
            console.print(f"note: {name} acts only after {max(years)}; it is not fitted and "
                          "takes its model default")
    out = Path(args.out) if args.out else (Path(spec.path).parent / spec.output).resolve()
    if spec is not full and not args.out:
        return _fail("--years fits a subset of the data: expected --out FILE, so that "
                     f"{full.output} is not overwritten")
    with make_executor(args.workers, args.scheduler) as executor, \
            Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                     TextColumn("evaluations, J = {task.fields[value]}, best {task.fields[best]}"),
                     console=err_console, disable=args.quiet) as progress:
        task = progress.add_task(f"calibrating {len(spec.parameters)} parameters",
                                 total=spec.max_evaluations + 1, value="-", best="-")

        def update(n, value, best):
            progress.update(task, completed=n, value=f"{value:.4f}", best=f"{best:.4f}")

        result = calibrate(spec, executor, update)
        if spec is not full:
            result["held_out"] = held_out_table(full, spec, result["theta"], executor)
            for name, *_, table in full.parameters:     # the unfitted ones, as simulated
                if name in dropped:
                    result[table][name] = getattr(spec.scenario, table)[name]
    write_calibrated(spec, result, out, " ".join(sys.argv))
    t = Table(title=f"Calibration: J = {result['objective']:.4f} (start "
                    f"{result['start_objective']:.4f}), {result['evaluations']} evaluations")
    for col in ("moment", "observed", "simulated mean [10-90%]", "distance", "weight"):
        t.add_column(col)
    for r in result["table"].itertuples():
        obs = (f"{r.observed[0]:g}-{r.observed[1]:g}" if isinstance(r.observed, tuple)
               else _fmt(r.observed))
        t.add_row(r.moment, obs, f"{_fmt(r.simulated_mean)} [{_fmt(r.simulated_p10)}-"
                  f"{_fmt(r.simulated_p90)}]", f"{r.distance:+.3f}", f"{r.weight:g}")
    console.print(t)
    if "held_out" in result:
        t = Table(title="Held out (not fitted): error at the fitted parameters")
        for col in ("moment", "observed", "simulated mean [10-90%]", "error",
                    "distance in half-widths"):
            t.add_column(col)
        for r in result["held_out"].itertuples():
            fact = isinstance(r.observed, tuple)
            t.add_row(r.moment, f"{r.observed[0]:g}-{r.observed[1]:g}" if fact else _fmt(r.observed),
                      f"{_fmt(r.simulated_mean)} [{_fmt(r.simulated_p10)}-"
                      f"{_fmt(r.simulated_p90)}]",
                      "-" if fact else f"{r.simulated_mean / r.observed - 1:+.0%}",
                      f"{r.distance:+.3f}")
        console.print(t)
    for name, value in result["theta"].items():
        console.print(f"  {name} = {value:.6g}")
    console.print(f"wrote {out} and {out.with_suffix('.fit.json')}")
    return 0


def cmd_ui(args) -> int:
    """Serve the dashboard (Mesa SolaraViz) until interrupted."""
    import subprocess

    app = Path(__file__).with_name("app.py")
    cmd = [sys.executable, "-m", "solara", "run", str(app), "--host", args.host, "--port",
           str(args.port), "--production"]
    console.print(f"zjai dashboard on http://{args.host}:{args.port} (Ctrl-C to stop)")
    try:
        return subprocess.call(cmd)
    except KeyboardInterrupt:
        return 0


def cmd_levers(args) -> int:
    t = Table(title="Policy levers (model.levers.LEVERS)")
    for col in ("lever", "unit", "default", "range", "section", "spatial", "meaning"):
        t.add_column(col, overflow="fold")
    for lv in LEVERS.values():
        t.add_row(lv.name, lv.unit, f"{lv.default:g}", f"{lv.low:g}-{lv.high:g}", lv.section,
                  lv.spatial, lv.meaning)
    console.print(t)
    return 0


def cmd_targets(args) -> int:
    t = Table(title="Targets (scenarios/targets.toml)")
    for col in ("indicator", "year", "value", "section", "text"):
        t.add_column(col, overflow="fold")
    for tg in load_targets(args.targets):
        t.add_row(tg.indicator, str(tg.year), _fmt(tg.value), tg.section, tg.text)
    console.print(t)
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (exit 2) instead of usage plus error."""

    def error(self, message):
        print(f"zjai: error: {self.prog}: {message} (see `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="zjai", description="Agent-based model of Zhejiang's AI "
                "industry under the 2017 New Generation AI Development Plan.")
    p.add_argument("--version", action="version", version=f"zjai {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    r = sub.add_parser("run", help="run a scenario and write trajectories and metadata")
    r.add_argument("scenario", help="scenario TOML file, e.g. scenarios/plan.toml")
    r.add_argument("--replicates", type=_positive_int, help="replicates (default: the scenario's)")
    r.add_argument("--seed", type=int, help="master seed (default: the scenario's)")
    r.add_argument("--scale", type=_scale, help="population scale in (0, 10] (default: the scenario's)")
    r.add_argument("--engine", choices=ENGINES, default="numba",
                   help="numba (kernels, default) or mesa (agents' own methods, the reference)")
    r.add_argument("--out", help="output folder (default: out/<scenario name>)")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.set_defaults(func=cmd_run)
    c = sub.add_parser("compare", help="run scenarios side by side: attainment, figures, report")
    c.add_argument("scenarios", nargs="+", help="scenario TOML files; the first is the reference")
    c.add_argument("--replicates", type=_positive_int, help="replicates (default: each scenario's)")
    c.add_argument("--seed", type=int, help="master seed for all (default: each scenario's)")
    c.add_argument("--scale", type=_scale, help="population scale (default: each scenario's)")
    c.add_argument("--engine", choices=ENGINES, default="numba", help="step engine")
    c.add_argument("--out", help="output folder (default: out/compare-<names>)")
    c.add_argument("--quiet", action="store_true", help="no progress bar")
    c.set_defaults(func=cmd_compare)
    w = sub.add_parser("sweep", help="run a batch experiment, resumably, locally or on Dask")
    w.add_argument("experiment", help="experiment TOML file, e.g. experiments/smoke.toml")
    w.add_argument("--out", help="results folder (default: out/sweep-<name>); rerun to resume")
    w.add_argument("--workers", type=_positive_int, default=1,
                   help="local worker processes (default 1, in this process)")
    w.add_argument("--scheduler", help="address of a running Dask scheduler, tcp://HOST:PORT")
    w.add_argument("--cluster", choices=("slurm", "pbs"), help="start Dask workers as batch jobs")
    w.add_argument("--jobs", type=_positive_int, default=1, help="batch jobs with --cluster")
    w.add_argument("--job-option", action="append", metavar="KEY=VALUE",
                   help="dask-jobqueue option, e.g. cores=16 memory=32GB walltime=02:00:00 "
                        "queue=normal account=proj (repeatable)")
    w.add_argument("--quiet", action="store_true", help="no progress bar")
    w.set_defaults(func=cmd_sweep)
    a = sub.add_parser("analyze", help="Sobol/Morris indices and effect plots of a sweep")
    a.add_argument("folder", help="a sweep's results folder")
    a.set_defaults(func=cmd_analyze)
    cb = sub.add_parser("calibrate", help="fit behavioural parameters by simulated moments")
    cb.add_argument("calibration", help="calibration file, e.g. experiments/calibration.toml")
    cb.add_argument("--out", help="parameter file to write (default: the file's `output`)")
    cb.add_argument("--years", help="observed years to fit, e.g. 2019 (default: the file's)")
    cb.add_argument("--workers", type=_positive_int, default=1, help="local worker processes")
    cb.add_argument("--scheduler", help="a Dask scheduler address, tcp://HOST:PORT")
    cb.add_argument("--quiet", action="store_true")
    cb.set_defaults(func=cmd_calibrate)
    v = sub.add_parser("validate", help="the model against observed data and stylized facts")
    v.add_argument("scenario", nargs="?", default=str(Path(__file__).resolve().parents[1]
                                                       / "scenarios" / "plan.toml"),
                   help="scenario to validate (default: scenarios/plan.toml)")
    v.add_argument("--replicates", type=_positive_int, default=16,
                   help="replicates (default 16; the fit used 8 at scale 0.15)")
    v.add_argument("--scale", type=_scale, default=0.15)
    v.add_argument("--seed", type=int, help="master seed (default: the scenario's)")
    v.add_argument("--engine", choices=ENGINES, default="numba")
    v.add_argument("--out", help="output folder (default: out/validate-<scenario>)")
    v.add_argument("--quiet", action="store_true")
    v.set_defaults(func=cmd_validate)
    u = sub.add_parser("ui", help="serve the browser dashboard (Mesa SolaraViz)")
    u.add_argument("--port", type=int, default=8765)
    u.add_argument("--host", default="127.0.0.1", help="bind address (default: 127.0.0.1)")
    u.set_defaults(func=cmd_ui)
    s = sub.add_parser("show", help="print the fully resolved scenario (after extends)")
    s.add_argument("scenario")
    s.set_defaults(func=cmd_show)
    lv = sub.add_parser("levers", help="table of the plan's levers")
    lv.set_defaults(func=cmd_levers)
    tg = sub.add_parser("targets", help="table of the 2022 targets and the 2030 vision")
    tg.add_argument("--targets", help="targets file (default: scenarios/targets.toml)")
    tg.set_defaults(func=cmd_targets)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ScenarioError as exc:
        return _fail(str(exc))
    except UsageError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted; nothing was written")


if __name__ == "__main__":
    sys.exit(main())
