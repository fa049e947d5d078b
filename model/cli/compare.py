"""`zjai compare`: scenarios side by side; attainment table, figures and report.md."""

from __future__ import annotations

import time
from pathlib import Path

from .. import plots
from ..provenance import atomic_write, write_json
from ..reports import compare_report, headline_table
from ..scenario import load_scenario
from ..targets import attainment, load_targets, targets_path
from .common import UsageError, add_option, console
from .outputs import check_folder, default_folder, staged_folder
from .run import check_run, metadata, run_all, write_trajectories


def cmd_compare(args) -> int:
    scenarios = [load_scenario(p, posterior=not args.point_estimate)   # all checked first
                 for p in args.scenarios]
    names = [sc.name for sc in scenarios]
    if len(set(names)) != len(names):
        raise UsageError(f"scenario names must differ, got {names}")
    targets = load_targets(targets_path(args.scenarios[0]))
    check_run(scenarios, args.scale)
    if args.out:
        out = Path(args.out)
    else:
        for sc in scenarios:
            default_folder(sc.name, key=f"{sc.files[-1]}: scenario.name")
        joined = "-".join(names)
        out = default_folder(joined if len(joined) <= 90 else
                             f"{names[0]}-and-{len(names) - 1}-more", "compare-")
    check_folder(out)
    started = time.perf_counter()
    trajectories, timings = run_all(scenarios, args.replicates, args.seed, args.scale,
                                    args.engine, args.quiet)
    table = attainment(trajectories, targets)
    meta = metadata(scenarios, args.seed, args.replicates, args.scale, args.engine, timings,
                    started)
    with staged_folder(out) as tmp:          # all files appear together, or none
        write_trajectories(tmp, trajectories)
        atomic_write(tmp / "attainment.csv", lambda p: table.to_csv(p, index=False))
        figures = tmp / "figures"
        figures.mkdir(exist_ok=True)
        fans = [plots.fan_chart(trajectories, ind, targets, figures / f"fan_{ind}.png")
                for ind in plots.KEY_INDICATORS]
        heat = [] if table.empty else [plots.attainment_heatmap(
            table, figures / "attainment_heatmap.png")]
        cities = plots.city_panel(trajectories, figures / "city_panel.png")
        report = compare_report(scenarios, table, [*heat, *fans, cities], meta)
        atomic_write(tmp / "report.md", lambda p: Path(p).write_text(report, encoding="utf-8"))
        write_json(tmp / "metadata.json", meta)
    if table.empty:
        last = max(sc.end for sc in scenarios)
        console.print(f"no target year falls in the runs (they end in {last}; targets are "
                      f"for {', '.join(sorted({str(t.year) for t in targets}))}): "
                      "no attainment table")
    else:
        console.print(headline_table(table))
    console.print(f"wrote {out}/: trajectories.csv, trajectories.parquet, attainment.csv, "
                  f"report.md, metadata.json, figures/ ({len(fans) + len(heat) + 1} PNG)")
    return 0


def add_parser(sub) -> None:
    c = sub.add_parser("compare", help="run scenarios side by side: attainment, figures, report")
    c.add_argument("scenarios", nargs="+", help="scenario TOML files; the first is the reference")
    add_option(c, "replicates", help="replicates (default: each scenario's)")
    add_option(c, "seed", help="master seed for all (default: each scenario's)")
    add_option(c, "scale", help="population scale (default: each scenario's)")
    add_option(c, "engine")
    add_option(c, "out", help="output folder (default: out/compare-<names>)")
    add_option(c, "point_estimate")
    add_option(c, "quiet")
    c.set_defaults(func=cmd_compare)
