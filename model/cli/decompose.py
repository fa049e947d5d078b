"""`zjai decompose`: how much of an outcome's uncertainty comes from seeds, parameters
(the posterior) and levers (see model.uncertainty)."""

from __future__ import annotations

from pathlib import Path

from ..provenance import atomic_write, write_json
from .common import add_option, console, nonnegative_int, positive_int, progress_bar
from .outputs import check_folder, default_folder, staged_folder


def cmd_decompose(args) -> int:
    from ..executors import make_executor
    from ..experiments import load_experiment
    from ..uncertainty import decompose, posterior_rows, report

    exp = load_experiment(args.experiment, posterior=not args.point_estimate)
    out = Path(args.out) if args.out else default_folder(exp.name, "decompose-",
                                                         key=f"{exp.path}: experiment.name")
    check_folder(out)
    p = exp.scenario.posterior
    draws = len(posterior_rows(exp.scenario, args.draws, exp.seed))   # the rows decompose runs
    n_runs = (1 + args.lever_points) * draws * args.seeds
    source = ("the point estimate (no posterior)" if p is None
              else f"{draws} rows of the posterior {Path(p.path).name}")
    with make_executor(args.workers, args.scheduler) as executor, \
            progress_bar(args.quiet, "runs") as progress:
        task = progress.add_task(f"decomposing {exp.name}", total=n_runs)
        table = decompose(exp, executor, args.lever_points, args.draws, args.seeds,
                          lambda: progress.advance(task))
    text = report(table, exp, source)
    with staged_folder(out) as tmp:
        atomic_write(tmp / "decomposition.csv", lambda f: table.to_csv(f, index=False))
        atomic_write(tmp / "decomposition.md", lambda f: Path(f).write_text(text, "utf-8"))
        write_json(tmp / "metadata.json", {
            "experiment": str(exp.path), "scale": exp.scale, "seed": exp.seed,
            "lever_points": args.lever_points, "draws": draws, "seeds": args.seeds,
            "runs": n_runs, "parameters": source})
    console.print(text)
    console.print(f"wrote {out}/decomposition.md, decomposition.csv, metadata.json")
    return 0


def add_parser(sub) -> None:
    d = sub.add_parser("decompose", help="split outcome variance into seeds, parameters, levers")
    d.add_argument("experiment", help="experiment TOML file: scenario, lever factors (their "
                   "ranges), outcomes, scale and seed, e.g. experiments/uncertainty.toml")
    d.add_argument("--lever-points", type=nonnegative_int, default=8,
                   help="points of a Latin hypercube over the lever factors (default 8; "
                   "0: the scenario's own levers only)")
    d.add_argument("--draws", type=positive_int, default=8,
                   help="posterior rows per lever point (default 8)")
    d.add_argument("--seeds", type=positive_int, default=4,
                   help="seeds per posterior row, the same everywhere (default 4)")
    add_option(d, "out", help="output folder (default: out/decompose-<name>)")
    add_option(d, "workers")
    add_option(d, "scheduler")
    add_option(d, "point_estimate")
    add_option(d, "quiet")
    d.set_defaults(func=cmd_decompose)
