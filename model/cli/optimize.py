"""`zjai optimize`: robust many-objective search over lever settings (model/optimize.py),
resumable, on a local pool or a Dask cluster."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from .common import UsageError, add_option, console, job_options, progress_bar


def cmd_optimize(args) -> int:
    from ..executors import make_executor
    from ..optimize import OptimizeError, search
    from ..optimize_spec import load_spec

    spec = load_spec(args.experiment, posterior=not args.point_estimate)
    out = Path(args.out) if args.out else Path("out") / f"optimize-{spec.name}"
    try:
        with make_executor(args.workers, args.scheduler, args.cluster, args.jobs,
                           job_options(args.job_option)) as executor, \
                progress_bar(args.quiet, "runs") as progress:
            task = progress.add_task(f"{spec.name} on {executor.description}", total=None)

            def update(phase, done, total):
                progress.update(task, completed=done, total=total,
                                description=f"{spec.name} {phase} on {executor.description}")

            result = search(spec, out, executor, update)
    except OptimizeError as exc:
        raise UsageError(str(exc)) from None
    v = result.verification
    table = Table(title=f"{spec.name}: recommended mix and base scenario on "
                  f"{spec.verification_replicates} fresh seeds")
    for col in ("mix", "target", "P(met)", "median", "public cost 1e8 yuan"):
        table.add_column(col)
    for r in v.itertuples():
        table.add_row(r.mix, f"{r.indicator} >= {r.target:g} ({r.year})",
                      f"{r.p_met:.2f} ({r.met}/{r.replicates})", f"{r.median:,.0f}",
                      f"{r.public_cost_100m_yuan:,.1f}")
    console.print(table)
    status = "meets" if result.meets_threshold else "does NOT meet"
    console.print(f"recommended: {', '.join(f'{d.name} = {result.recommended[d.name]:g}' for d in spec.decisions)} "
                  f"({status} P(met) >= {spec.threshold:g} in the search)")
    console.print(f"{len(result.archive)} candidates, {len(result.pareto)} on the Pareto front; "
                  f"{result.computed} runs computed, {result.reused} from the store; "
                  f"{result.seconds:.1f} s")
    console.print(f"wrote {out}/pareto.csv, pareto.png, recommended.toml, verification.csv, "
                  "metadata.json")
    return 0


def add_parser(sub) -> None:
    o = sub.add_parser("optimize", help="many-objective search over lever settings (NSGA-II/"
                                        "III), resumable; recommends a mix")
    o.add_argument("experiment", help="optimisation TOML file, e.g. "
                                      "experiments/optimize_smoke.toml")
    add_option(o, "out", help="output folder (default: out/optimize-<name>); rerun to resume")
    add_option(o, "workers")
    add_option(o, "scheduler")
    add_option(o, "cluster")
    add_option(o, "jobs")
    add_option(o, "job_option")
    add_option(o, "point_estimate")
    add_option(o, "quiet")
    o.set_defaults(func=cmd_optimize)
