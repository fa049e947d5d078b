"""`zjai appraise`: each lever's effect on the target indicators per 1e8 yuan of public cost
(model/appraise.py), with common random numbers, on a local pool or a Dask cluster."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from .common import UsageError, add_option, console, job_options, progress_bar


def year_window(text: str) -> tuple[int, int]:
    """FIRST-LAST, e.g. 2018-2022 (or one year)."""
    import argparse

    first, sep, last = text.partition("-")
    try:
        a, b = int(first), int(last) if sep else int(first)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected FIRST-LAST years, e.g. 2018-2022, got "
                                         f"{text!r}") from None
    if a > b:
        raise argparse.ArgumentTypeError(f"expected FIRST <= LAST, got {text!r}")
    return a, b


def lever_list(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def cmd_appraise(args) -> int:
    from ..appraise import PER_COST, AppraisalError, prepare, run
    from ..executors import make_executor
    from ..scenario import load_scenario

    scenario = load_scenario(args.scenario, posterior=not args.point_estimate)
    out = Path(args.out) if args.out else Path("out") / f"appraise-{scenario.name}"
    try:
        setup = prepare(scenario, levers=args.levers, replicates=args.replicates,
                        seed=args.seed, scale=args.scale, years=args.years, end=args.end,
                        headline=args.headline, confidence=args.confidence)
    except AppraisalError as exc:
        raise UsageError(str(exc)) from None
    if args.dry_run:
        first, last = setup.years
        table = Table(title=f"{scenario.name}: {len(setup.plan)} levers, {setup.runs} runs")
        for col in ("lever", "unit", f"mean {first}-{last}", "step", "note"):
            table.add_column(col)
        for p in setup.plan:
            table.add_row(p.lever, p.unit, f"{p.base_mean:.4g}", f"{p.step:+.4g}", p.note)
        console.print(table)
        return 0
    with make_executor(args.workers, args.scheduler, args.cluster, args.jobs,
                       job_options(args.job_option)) as executor, \
            progress_bar(args.quiet, "runs") as progress:
        task = progress.add_task(f"{scenario.name}: {len(setup.plan)} levers on "
                                 f"{executor.description}", total=setup.runs)
        a = run(setup, out, executor,
                progress=lambda done, total: progress.update(task, completed=done))
    head = a.table[a.table.indicator == a.headline].copy()
    head["rank"] = head.effect_per_100m_yuan.where(head.basis == PER_COST, -float("inf"))
    head = head.sort_values("rank", ascending=False)
    table = Table(title=f"{scenario.name}: effect on {a.headline} ({int(head.year.iloc[0])}), "
                  f"{a.replicates} paired replicates, {a.confidence:.0%} CI")
    for col in ("lever", "basis", "effect", "CI", "Δ cost 1e8 yuan"):
        table.add_column(col)
    for r in head.itertuples():
        table.add_row(r.lever, r.basis, f"{r.effect_per_100m_yuan:.4g}",
                      f"[{r.ci_low:.3g}, {r.ci_high:.3g}]", f"{r.delta_cost_100m_yuan:+.3g}")
    console.print(table)
    console.print(f"wrote {out}/cost_effectiveness.csv, ranking.png, appraisal.md "
                  f"({a.seconds:.1f} s)")
    return 0


def add_parser(sub) -> None:
    a = sub.add_parser("appraise", help="each lever's effect on the targets per 1e8 yuan of "
                                        "public cost (common random numbers)")
    a.add_argument("scenario", help="scenario TOML file, e.g. scenarios/plan.toml")
    add_option(a, "replicates", default=8, help="paired replicates per lever (default 8)")
    add_option(a, "seed")
    add_option(a, "scale")
    a.add_argument("--years", type=year_window, default=(2018, 2022),
                   help="cost window and first perturbed year, FIRST-LAST (default 2018-2022)")
    a.add_argument("--end", type=int, help="last simulated year (default: the scenario's)")
    a.add_argument("--levers", type=lever_list,
                   help="comma-separated levers to appraise (default: every lever)")
    a.add_argument("--headline", help="indicator ranked in ranking.png (default: "
                                      "core_industry_revenue_100m_yuan)")
    a.add_argument("--confidence", type=float, default=0.95,
                   help="confidence level of the intervals (default 0.95)")
    a.add_argument("--dry-run", action="store_true",
                   help="print each lever's step and the number of runs; run nothing")
    add_option(a, "out", help="output folder (default: out/appraise-<scenario name>)")
    add_option(a, "workers")
    add_option(a, "scheduler")
    add_option(a, "cluster")
    add_option(a, "jobs")
    add_option(a, "job_option")
    add_option(a, "point_estimate")
    add_option(a, "quiet")
    a.set_defaults(func=cmd_appraise)
