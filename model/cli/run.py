"""`zjai run`: run a scenario's replicates; trajectories, metadata and the target table.

Also the helpers `zjai compare` shares: running scenarios under one progress bar, the
metadata record, and writing trajectories.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

from .. import __version__
from ..checks import ScenarioError
from ..provenance import atomic_write, git_revision, now_iso, versions, write_json
from ..reports import public_cost_lines, targets_table
from ..runner import replicate_seeds, run_scenario
from ..scenario import check_scale, load_scenario
from ..targets import attainment, load_targets, public_cost, targets_path
from .common import UsageError, add_option, console, progress_bar
from .outputs import check_folder, default_folder, staged_folder


def check_run(scenarios, scale) -> None:
    """Refuse a `--scale` at which a scenario's register keeps too few firms."""
    for sc in scenarios:
        if scale is not None:
            try:
                check_scale(sc.files[-1], "--scale", scale, sc)
            except ScenarioError as exc:
                raise UsageError(f"--scale {scale:g}: {exc.message}") from None


def run_all(scenarios, replicates, seed, scale, engine, quiet):
    """Run each scenario's replicates with one progress bar; tidy trajectories and timings."""
    frames, timings = [], {}
    total = sum((sc.end - sc.start + 1) * 12 * (replicates or sc.replicates) for sc in scenarios)
    with progress_bar(quiet, "months") as progress:
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


def scenario_record(sc, seed, replicates) -> dict:
    """One scenario in metadata.json: files, text, seeds, and each replicate's posterior
    draw (`parameter_draws`: the row index and the drawn values; [] for point values)."""
    seeds = replicate_seeds(sc.seed if seed is None else seed, replicates or sc.replicates)
    return {"name": sc.name, "files": sc.files, "sha256": sc.sha256, "text": sc.text,
            "description": sc.description, "master_seed": sc.seed if seed is None else seed,
            "replicate_seeds": seeds, "parameters": sc.parameter_source,
            "posterior": sc.posterior and sc.posterior.record(),
            "parameter_draws": [{"replicate": r, "seed": s, **sc.draw(s)}
                                for r, s in enumerate(seeds) if sc.posterior is not None]}


def metadata(scenarios, seed, replicates, scale, engine, timings, started) -> dict:
    """metadata.json of an output folder: command, versions, scenarios and seeds, timings."""
    sources = {sc.parameter_source for sc in scenarios}
    return {
        "created": now_iso(), "command": " ".join(sys.argv), "zjai_version": __version__,
        "versions": versions(), "git_revision": git_revision(),
        "scenarios": [scenario_record(sc, seed, replicates) for sc in scenarios],
        "parameters": sources.pop() if len(sources) == 1 else "mixed",
        "replicates": replicates, "engine": engine, "scale": scale,
        "timings": {"total_seconds": time.perf_counter() - started, "replicates": timings},
    }


def write_trajectories(out: Path, trajectories: pd.DataFrame) -> None:
    """trajectories.csv and .parquet, each written atomically."""
    out.mkdir(parents=True, exist_ok=True)
    atomic_write(out / "trajectories.csv", lambda p: trajectories.to_csv(p, index=False))
    atomic_write(out / "trajectories.parquet", lambda p: trajectories.to_parquet(p, index=False))


def cmd_run(args) -> int:
    scenario = load_scenario(args.scenario, posterior=not args.point_estimate)
    targets = load_targets(targets_path(args.scenario))
    check_run([scenario], args.scale)
    out = (Path(args.out) if args.out
           else default_folder(scenario.name, key=f"{scenario.files[-1]}: scenario.name"))
    check_folder(out)
    started = time.perf_counter()
    trajectories, timings = run_all([scenario], args.replicates, args.seed, args.scale,
                                    args.engine, args.quiet)
    meta = metadata([scenario], args.seed, args.replicates or scenario.replicates,
                    args.scale or scenario.scale, args.engine, timings, started)
    meta["scenario"] = meta["scenarios"][0]
    meta["master_seed"] = meta["scenario"]["master_seed"]
    meta["replicate_seeds"] = meta["scenario"]["replicate_seeds"]
    meta["parameter_draws"] = meta["scenario"]["parameter_draws"]
    with staged_folder(out) as tmp:          # all files appear together, or none
        write_trajectories(tmp, trajectories)
        write_json(tmp / "metadata.json", meta)
    console.print(targets_table(attainment(trajectories, targets), f"{scenario.name}: targets"))
    for line in public_cost_lines(pd.concat([public_cost(trajectories, 2018, 2022),
                                             public_cost(trajectories, 2018, 2030)])):
        console.print(line)
    console.print(f"wrote {out}/trajectories.csv, trajectories.parquet, metadata.json "
                  f"({meta['timings']['total_seconds']:.1f} s)")
    return 0


def add_parser(sub) -> None:
    r = sub.add_parser("run", help="run a scenario and write trajectories and metadata")
    r.add_argument("scenario", help="scenario TOML file, e.g. scenarios/plan.toml")
    add_option(r, "replicates")
    add_option(r, "seed")
    add_option(r, "scale")
    add_option(r, "engine", help="numba (kernels, default) or mesa (agents' own methods, "
                                 "the reference)")
    add_option(r, "out", help="output folder (default: out/<scenario name>)")
    add_option(r, "point_estimate")
    add_option(r, "quiet")
    r.set_defaults(func=cmd_run)
