"""`zjai validate`: the model against the observed rows and the stylized facts."""

from __future__ import annotations

from pathlib import Path

from ..provenance import atomic_write
from ..reports import facts_table, observed_rows_table, validation_report
from ..scenario import load_scenario
from .common import add_option, console, progress_bar
from .outputs import check_folder, default_folder, staged_folder
from .run import check_run

DEFAULT_SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "plan.toml"


def cmd_validate(args) -> int:
    from .. import validation

    scenario = load_scenario(args.scenario)
    check_run([scenario], args.scale)
    out = (Path(args.out) if args.out
           else default_folder(scenario.name, "validate-",
                               key=f"{scenario.files[-1]}: scenario.name"))
    check_folder(out)
    seed = scenario.seed if args.seed is None else args.seed
    with progress_bar(args.quiet) as progress:
        progress.add_task(f"validating {scenario.name}: {args.replicates} replicates, "
                          f"scale {args.scale:g}, 2017-2024")
        traj, facts = validation.simulate(scenario, args.replicates, seed, args.scale,
                                          args.engine)
    obs = validation.observed_table(traj)
    ft = validation.facts_table(facts)
    with staged_folder(out) as tmp:          # all files appear together, or none
        figures = tmp / "figures"
        figures.mkdir(exist_ok=True)
        bands = validation.band_figure(traj, obs, figures / "observed_vs_model.png")
        factfig = validation.facts_figure(ft, figures / "stylized_facts.png")
        atomic_write(tmp / "validation.csv", lambda p: obs.to_csv(p, index=False))
        atomic_write(tmp / "stylized_facts.csv", lambda p: ft.to_csv(p, index=False))
        report = validation_report(scenario.name, args.replicates, args.scale, seed,
                                   args.engine, obs, ft, bands, factfig)
        atomic_write(tmp / "validation.md",
                     lambda p: Path(p).write_text(report, encoding="utf-8"))
    console.print(observed_rows_table(scenario.name, obs))
    console.print(facts_table(ft))
    console.print(f"wrote {out}/validation.md, validation.csv, stylized_facts.csv, figures/")
    return 0


def add_parser(sub) -> None:
    v = sub.add_parser("validate", help="the model against observed data and stylized facts")
    v.add_argument("scenario", nargs="?", default=str(DEFAULT_SCENARIO),
                   help="scenario to validate (default: scenarios/plan.toml)")
    add_option(v, "replicates", default=16,
               help="replicates (default 16; the fit used 8 at scale 0.2)")
    add_option(v, "scale", default=0.2, help=None)
    add_option(v, "seed")
    add_option(v, "engine", help=None)
    add_option(v, "out", help="output folder (default: out/validate-<scenario>)")
    add_option(v, "quiet", help=None)
    v.set_defaults(func=cmd_validate)
