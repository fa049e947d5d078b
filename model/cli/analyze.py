"""`zjai analyze`: Sobol/Morris (or regression) indices, drivers and plots of a sweep."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..checks import ScenarioError, read_text
from ..data import PROVINCE
from ..provenance import atomic_write
from ..reports import analysis_report, drivers_table
from ..targets import load_targets, targets_path
from .common import UsageError, console
from .outputs import check_folder, staged_folder


def read_stamp(folder: Path) -> dict:
    """experiment.json of a sweep folder: the experiment file and its hash."""
    stamp = folder / "experiment.json"
    try:
        info = json.loads(read_text(stamp, "a JSON file"))
    except ScenarioError as exc:
        raise UsageError(f"{exc}; expected the stamp of a finished sweep") from None
    except ValueError as exc:       # json.JSONDecodeError, RecursionError-free
        raise UsageError(f"{stamp}: invalid JSON ({exc}); expected the stamp `zjai sweep` "
                         "writes") from None
    except RecursionError:
        raise UsageError(f"{stamp}: invalid JSON (nested too deeply)") from None
    if (not isinstance(info, dict) or not isinstance(info.get("file"), str)
            or not isinstance(info.get("sha256"), str)):
        raise UsageError(f"{stamp}: expected an object with the experiment's \"file\" and "
                         "\"sha256\" (the stamp `zjai sweep` writes)")
    return info


def read_results(path: Path) -> pd.DataFrame:
    try:
        results = pd.read_parquet(path)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is one user error
        raise UsageError(f"{path}: cannot be read as Parquet ({type(exc).__name__}); rerun "
                         "`zjai sweep` to rewrite it") from None
    missing = [c for c in ("run_id", "point", "year", "region", "indicator", "value")
               if c not in results.columns]
    if missing:
        raise UsageError(f"{path}: not a sweep's results table (missing columns "
                         f"{', '.join(missing)})")
    return results


def cmd_analyze(args) -> int:
    from .. import analysis
    from ..experiments import load_experiment

    folder = Path(args.folder)
    stamp = folder / "experiment.json"
    results_path = folder / "results.parquet"
    if not stamp.is_file() or not results_path.is_file():
        raise UsageError(f"{folder}: no finished sweep here (expected experiment.json and "
                         "results.parquet; run or resume `zjai sweep` first)")
    info = read_stamp(folder)
    exp = load_experiment(info["file"])
    if exp.sha256 != info["sha256"]:
        raise UsageError(f"{info['file']} changed since the sweep in {folder}; analyse with "
                         "the experiment file the sweep ran")
    results = read_results(results_path)
    outcomes = analysis.outcome_matrix(exp, results)
    if outcomes.empty or outcomes.columns.empty or outcomes.isna().all().all():
        raise UsageError(f"{results_path}: no outcome rows for {PROVINCE} (the sweep kept "
                         f"{len(results)} rows); expected a sweep whose outcomes include "
                         f"regions = [\"{PROVINCE}\"]; nothing was written")
    targets = load_targets(targets_path(exp.scenario.files[-1]))
    adir = folder / "analysis"
    check_folder(adir)
    table = analysis.indices(exp, results)
    if table.empty:
        raise UsageError(f"{results_path}: no sensitivity index could be computed; nothing "
                         "was written")
    with staged_folder(adir, replace=True) as tmp:     # the whole analysis/, or the old one
        atomic_write(tmp / "indices.csv", lambda p: table.to_csv(p, index=False))
        figures = analysis.bar_charts(table, exp.design, tmp / "figures")
        if exp.design not in ("sobol", "morris"):
            figures += analysis.effect_plots(exp, results, tmp / "figures")
        names = [f"{t.indicator}@{t.year}" for t in targets
                 if f"{t.indicator}@{t.year}" in set(table.outcome)]
        ranked = analysis.drivers(table, exp.design, names or list(table.outcome.unique()))
        atomic_write(tmp / "drivers.csv", lambda p: ranked.to_csv(p, index=False))
        key = analysis.measure(exp.design)
        report = analysis_report(exp.name, exp.design, len(results.run_id.unique()), ranked,
                                 key, figures)
        atomic_write(tmp / "analysis.md",
                     lambda p: Path(p).write_text(report, encoding="utf-8"))
    console.print(drivers_table(ranked, key, exp.design))
    console.print(f"wrote {adir}/indices.csv, drivers.csv, analysis.md, figures/ "
                  f"({len(figures)} PNG)")
    return 0


def add_parser(sub) -> None:
    a = sub.add_parser("analyze", help="Sobol/Morris indices and effect plots of a sweep")
    a.add_argument("folder", help="a sweep's results folder")
    a.set_defaults(func=cmd_analyze)
