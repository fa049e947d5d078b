"""`zjai validate`: the model against the observed rows and the stylized facts; with
`--origin YEAR`, also forecasts from a fit to the rows up to YEAR, scored on the later rows
(model/forecast_scores.py)."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from ..provenance import atomic_write
from ..reports import facts_table, forecast_section, observed_rows_table, validation_report
from ..scenario import load_scenario
from .common import UsageError, add_option, console, positive_int, progress_bar, whole_number
from .outputs import check_folder, default_folder, staged_folder
from .run import check_run

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SCENARIO = ROOT / "scenarios" / "plan.toml"
DEFAULT_CALIBRATION = ROOT / "experiments" / "calibration.toml"


@dataclass
class Origin:
    """A checked `--origin` request: the calibration, its restriction to the rows up to the
    origin, and the fitted values when `--fit` gives them."""
    year: int
    full: object                  # calibration.CalibrationSpec
    spec: object                  # restricted to the years up to the origin
    dropped: list
    theta: dict | None = None
    fit_text: str = ""


def check_origin(args) -> Origin | None:
    """Everything about `--origin` that can be wrong, checked before any simulation."""
    from ..calibration import load_calibration, restrict_years
    from ..forecast_scores import origin_problem

    if args.origin is None:
        for flag, value in (("--fit", args.fit), ("--max-evaluations", args.max_evaluations),
                            ("--calibration", args.calibration),
                            ("--posterior", args.posterior or None),
                            ("--population", args.population)):
            if value is not None:
                raise UsageError(f"{flag} is for forecasts: expected --origin YEAR as well")
        return None
    if args.posterior and args.fit:
        raise UsageError("--posterior samples a new posterior: give it or --fit FILE, not both")
    if args.population is not None and not args.posterior:
        raise UsageError("--population is for --posterior (the ABC-SMC's particles)")
    full = load_calibration(args.calibration or DEFAULT_CALIBRATION)
    problem = origin_problem(args.origin, full.years)
    if problem:
        raise UsageError(f"--origin {args.origin}: {problem}")
    if args.fit and args.max_evaluations:
        raise UsageError("--max-evaluations is for a new fit: give it or --fit FILE, not both")
    spec, dropped = restrict_years(full, [y for y in full.years if y <= args.origin])
    if args.max_evaluations:
        spec.max_evaluations = args.max_evaluations
    origin = Origin(args.origin, full, spec, dropped)
    if args.fit:
        origin.theta, origin.fit_text = read_fit(Path(args.fit), spec, args.origin)
    return origin


def read_fit(path: Path, spec, origin: int) -> tuple[dict, str]:
    """The fitted values of `spec`'s parameters in a parameter file of `zjai calibrate`,
    refused unless its `.fit.json` says it was fitted to no row dated after the origin."""
    fitted = load_scenario(path)
    values = {**fitted.parameters, **fitted.initial}
    missing = [p[0] for p in spec.parameters if p[0] not in values]
    if missing:
        raise UsageError(f"--fit {path}: no value for {', '.join(missing)} (fitted by "
                         f"{Path(spec.path).name}); expected a file of `zjai calibrate`")
    sidecar = path.with_suffix(".fit.json")
    try:
        years = [int(y) for y in json.loads(sidecar.read_text(encoding="utf-8"))["years"]]
    except (OSError, ValueError, KeyError, TypeError):
        raise UsageError(f"--fit {path}: no readable {sidecar.name} beside it says which years "
                         "it was fitted to; expected a file of `zjai calibrate --years`") from None
    if not years or max(years) > origin:
        raise UsageError(f"--fit {path}: fitted to the rows of {years} ({sidecar.name}), "
                         f"after --origin {origin}: not out of sample")
    return ({p[0]: float(values[p[0]]) for p in spec.parameters},
            f"Parameters from {path.name} (fitted to the rows of {','.join(map(str, years))}).")


def fit_to_origin(origin: Origin, args, tmp: Path) -> None:
    """Fit the restricted calibration (unless `--fit` gave the values); the fitted file
    goes into the output folder, reusable with `--fit`."""
    from ..calibration import calibrate, write_calibrated
    from ..executors import make_executor

    spec = origin.spec
    unit = "evaluations, best J {task.fields[best]}"
    with make_executor(args.workers, args.scheduler) as executor, \
            progress_bar(args.quiet, unit, eta=False) as progress:
        task = progress.add_task(f"fitting {len(spec.parameters)} parameters to the rows of "
                                 f"{','.join(map(str, spec.years))}",
                                 total=spec.max_evaluations + 1, best="-")
        result = calibrate(spec, executor, lambda n, value, best: progress.update(
            task, completed=n, best=f"{best:.4f}"))
    name = f"fit_origin_{origin.year}.toml"
    write_calibrated(spec, result, tmp / name, " ".join(sys.argv))
    origin.theta = result["theta"]
    dropped = (f"; not fitted, at their model defaults (they act only after {origin.year}): "
               f"{', '.join(origin.dropped)}" if origin.dropped else "")
    origin.fit_text = (f"The model was fitted to the observed rows of "
                       f"{','.join(map(str, spec.years))} and the stylized facts "
                       f"{', '.join(spec.facts) or '(none)'} ({result['evaluations']} "
                       f"evaluations, J = {result['objective']:.3f}, {spec.replicates} replicates "
                       f"at scale {spec.scale:g}; {name}){dropped}.")


def posterior_to_origin(origin: Origin, args, tmp: Path):
    """A posterior sample of the restricted calibration by ABC-SMC (the calibration file's
    `[posterior]` settings; `--max-evaluations`, `--population` cap them), written into
    the output folder; returns it as the forecast's draws."""
    from ..draws import Posterior, posterior_text
    from ..executors import make_executor
    from ..posterior import header_lines, load_abc, run_abc

    abc = load_abc(origin.full.path)
    abc.calibration = origin.spec
    if args.max_evaluations is not None:
        abc.max_evaluations = args.max_evaluations
    if args.population is not None:
        abc.population = args.population
    with make_executor(args.workers, args.scheduler) as executor, \
            progress_bar(args.quiet) as progress:
        progress.add_task(f"ABC-SMC on the rows of {','.join(map(str, origin.spec.years))}: "
                          f"{abc.population} particles, at most {abc.generations} generations")
        result = run_abc(abc, executor)
    names = [p[0] for p in origin.spec.parameters]
    name = f"posterior_origin_{origin.year}.csv"
    header = header_lines(abc, result, " ".join(sys.argv), executor.description)
    text = posterior_text(header, names, result["sample"])
    atomic_write(tmp / name, lambda p: Path(p).write_text(text, encoding="utf-8"))
    origin.theta = {}
    origin.fit_text = (f"Each replicate drew its parameters from a posterior sampled by ABC-SMC "
                       f"on the observed rows of {','.join(map(str, origin.spec.years))} and "
                       f"the stylized facts {', '.join(origin.spec.facts) or '(none)'} "
                       f"({result['generations']} generations of {abc.population} particles, "
                       f"{result['evaluations']} evaluations, final epsilon "
                       f"{result['epsilons'][-1]:.3g}, one replicate per particle at scale "
                       f"{abc.scale:g}; {name}): the bands include parameter uncertainty.")
    return Posterior(path=name, sha256="", names=tuple(names), values=result["sample"])


def forecast(origin: Origin, scenario, seed: int, args, tmp: Path):
    """The forecast ensemble of the fitted model and its scores. The scenario's own
    posterior (fitted to all the data) is never used: the point fit to the rows up to the
    origin, or with `--posterior` draws from a posterior fitted to them."""
    from .. import forecast_scores as fs
    from ..validation import simulate

    draws = None
    if args.posterior:
        draws = posterior_to_origin(origin, args, tmp)
    elif origin.theta is None:
        fit_to_origin(origin, args, tmp)
    sc = fs.fitted_scenario(scenario, origin.full, origin.spec, origin.theta).point_estimate()
    if draws is not None:
        sc = replace(sc, posterior=draws)
    end = max(t.year for t in fs.scored_targets(origin.year))
    with progress_bar(args.quiet) as progress:
        progress.add_task(f"forecasting from {origin.year}: {args.replicates} replicates, "
                          f"scale {args.scale:g}, 2017-{end}")
        traj, _ = simulate(sc, args.replicates, seed, args.scale, args.engine, end_year=end)
    table = fs.score_forecasts(traj, origin.year)
    return table, fs.forecast_summary(table)


def cmd_validate(args) -> int:
    from .. import validation

    scenario = load_scenario(args.scenario, posterior=not args.point_estimate)
    check_run([scenario], args.scale)
    out = (Path(args.out) if args.out
           else default_folder(scenario.name, "validate-",
                               key=f"{scenario.files[-1]}: scenario.name"))
    check_folder(out)
    origin = check_origin(args)
    seed = scenario.seed if args.seed is None else args.seed
    with progress_bar(args.quiet) as progress:
        progress.add_task(f"validating {scenario.name}: {args.replicates} replicates, "
                          f"scale {args.scale:g}, 2017-2024")
        traj, facts = validation.simulate(scenario, args.replicates, seed, args.scale,
                                          args.engine)
    obs = validation.observed_table(traj)
    ft = validation.facts_table(facts)
    with staged_folder(out) as tmp:          # all files appear together, or none
        section = ""
        if origin is not None:
            scores, summary = forecast(origin, scenario, seed, args, tmp)
            atomic_write(tmp / "forecast_scores.csv", lambda p: scores.to_csv(p, index=False))
            section = forecast_section(scores, summary, origin.year, origin.fit_text,
                                       with_draws=args.posterior)
        figures = tmp / "figures"
        figures.mkdir(exist_ok=True)
        bands = validation.band_figure(traj, obs, figures / "observed_vs_model.png")
        factfig = validation.facts_figure(ft, figures / "stylized_facts.png")
        atomic_write(tmp / "validation.csv", lambda p: obs.to_csv(p, index=False))
        atomic_write(tmp / "stylized_facts.csv", lambda p: ft.to_csv(p, index=False))
        report = validation_report(scenario.name, args.replicates, args.scale, seed,
                                   args.engine, obs, ft, bands, factfig, forecast=section)
        atomic_write(tmp / "validation.md",
                     lambda p: Path(p).write_text(report, encoding="utf-8"))
    console.print(observed_rows_table(scenario.name, obs))
    console.print(facts_table(ft))
    if origin is not None:
        console.print(section, markup=False)
    extra = ", forecast_scores.csv" if origin is not None else ""
    console.print(f"wrote {out}/validation.md, validation.csv, stylized_facts.csv{extra}, "
                  "figures/")
    return 0


def add_parser(sub) -> None:
    v = sub.add_parser("validate", help="the model against observed data and stylized facts")
    v.add_argument("scenario", nargs="?", default=str(DEFAULT_SCENARIO),
                   help="scenario to validate (default: scenarios/plan.toml)")
    add_option(v, "replicates", default=16,
               help="replicates, of the validation and of a forecast (default 16)")
    add_option(v, "scale", default=0.2, help=None)
    add_option(v, "seed")
    add_option(v, "engine", help=None)
    add_option(v, "out", help="output folder (default: out/validate-<scenario>)")
    v.add_argument("--origin", type=whole_number, metavar="YEAR",
                   help="also forecast from a fit to the observed rows up to YEAR and score "
                        "the later rows (forecast_scores.csv)")
    v.add_argument("--calibration", help="with --origin: the calibration file whose years "
                   "up to YEAR are fitted (default: experiments/calibration.toml)")
    v.add_argument("--fit", help="with --origin: a parameter file of `zjai calibrate --years` "
                   "to use instead of fitting")
    v.add_argument("--max-evaluations", type=positive_int, metavar="N",
                   help="with --origin: evaluations of the fit (default: the calibration "
                        "file's)")
    v.add_argument("--posterior", action="store_true",
                   help="with --origin: instead of a point fit, sample a posterior by ABC-SMC "
                        "on the rows up to YEAR (the calibration file's [posterior] settings) "
                        "and draw one row per forecast replicate")
    v.add_argument("--population", type=positive_int, metavar="N",
                   help="with --origin --posterior: particles per generation (default: the "
                        "calibration file's [posterior])")
    add_option(v, "point_estimate")
    add_option(v, "workers", help="local worker processes of the fit")
    add_option(v, "scheduler")
    add_option(v, "quiet", help=None)
    v.set_defaults(func=cmd_validate)
