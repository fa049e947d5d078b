"""`zjai analyze`: Sobol/Morris (or regression) indices, drivers and plots of a sweep."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..provenance import atomic_write
from ..reports import analysis_report, drivers_table
from ..targets import load_targets, targets_path
from .common import UsageError, console


def cmd_analyze(args) -> int:
    from .. import analysis
    from ..experiments import load_experiment

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
    report = analysis_report(exp.name, exp.design, len(results.run_id.unique()), ranked, key,
                             figures)
    atomic_write(adir / "analysis.md", lambda p: Path(p).write_text(report, encoding="utf-8"))
    console.print(drivers_table(ranked, key, exp.design))
    console.print(f"wrote {adir}/indices.csv, drivers.csv, analysis.md, figures/ "
                  f"({len(figures)} PNG)")
    return 0


def add_parser(sub) -> None:
    a = sub.add_parser("analyze", help="Sobol/Morris indices and effect plots of a sweep")
    a.add_argument("folder", help="a sweep's results folder")
    a.set_defaults(func=cmd_analyze)
