"""`zjai sweep`: run a batch experiment, resumably, on a local pool or a Dask cluster."""

from __future__ import annotations

from pathlib import Path

from .common import UsageError, add_option, console, job_options, progress_bar
from .outputs import check_folder, default_folder


def cmd_sweep(args) -> int:
    from ..executors import make_executor
    from ..experiments import load_experiment, runs
    from ..sweep import SweepError, sweep

    exp = load_experiment(args.experiment, posterior=not args.point_estimate)
    out = Path(args.out) if args.out else default_folder(exp.name, "sweep-",
                                                         key=f"{exp.path}: experiment.name")
    options = job_options(args.job_option)
    check_folder(out)
    n_runs = len(runs(exp))
    try:
        with make_executor(args.workers, args.scheduler, args.cluster, args.jobs,
                           options) as executor, \
                progress_bar(args.quiet, "runs, {task.fields[failed]} failed") as progress:
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


def add_parser(sub) -> None:
    w = sub.add_parser("sweep", help="run a batch experiment, resumably, locally or on Dask")
    w.add_argument("experiment", help="experiment TOML file, e.g. experiments/smoke.toml")
    add_option(w, "out", help="results folder (default: out/sweep-<name>); rerun to resume")
    add_option(w, "workers", help="local worker processes (default 1, in this process)")
    add_option(w, "scheduler", help="address of a running Dask scheduler, tcp://HOST:PORT")
    add_option(w, "cluster")
    add_option(w, "jobs")
    add_option(w, "job_option")
    add_option(w, "point_estimate")
    add_option(w, "quiet")
    w.set_defaults(func=cmd_sweep)
