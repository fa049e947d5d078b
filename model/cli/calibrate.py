"""`zjai calibrate`: fit behavioural parameters by simulated moments (`--method msm`, the
point values; model.calibration) or sample their posterior by ABC-SMC (`--method abc`, the
draws; model.posterior); with `--identify`, the identification check at the fitted point
(model.identification)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from rich.markup import escape

from ..provenance import atomic_write
from ..reports import (
    calibration_table,
    held_out_table,
    identification_report,
    identification_terminal,
)
from .common import UsageError, add_option, console, positive_int, progress_bar
from .outputs import check_file, check_folder, default_folder, staged_folder


def cmd_identify(spec, args) -> int:
    """The Jacobian of the moments at the fitted point: identification.csv, .md,
    jacobian.csv and its standard errors in --out (default out/identify-<name>)."""
    from ..executors import make_executor
    from ..identification import identify

    if args.years:
        raise UsageError("--identify checks the file's own fit at its fitted point: "
                         "expected no --years")
    out = Path(args.out) if args.out else default_folder(spec.name, "identify-",
                                                         key=f"{spec.path}: calibration.name")
    check_folder(out)
    runs = 2 * len(spec.parameters) * spec.replicates
    with make_executor(args.workers, args.scheduler) as executor, \
            progress_bar(args.quiet) as progress:
        progress.add_task(f"identification: {runs} runs ({spec.replicates} replicates, scale "
                          f"{spec.scale:g})")
        result = identify(spec, executor)
    report = identification_report(result, spec.name, spec.scale, spec.replicates, spec.seed)
    with staged_folder(out) as tmp:
        atomic_write(tmp / "identification.csv",
                     lambda p: result["table"].to_csv(p, index=False))
        for name in ("jacobian", "jacobian_se"):
            atomic_write(tmp / f"{name}.csv", lambda p, name=name: result[name].to_csv(
                p, index_label="moment"))
        atomic_write(tmp / "identification.md",
                     lambda p: Path(p).write_text(report, encoding="utf-8"))
    console.print(identification_terminal(result))
    console.print(f"wrote {out}/identification.md, identification.csv, jacobian.csv, "
                  "jacobian_se.csv")
    return 0

OVERRIDES = ("scale", "seed", "max_evaluations", "replicates")   # of the file's settings
ABC_ONLY = ("population", "generations", "keep_database")


def override(spec, args) -> None:
    """The command line's --scale, --seed, --max-evaluations and --replicates over the
    file's."""
    for key in OVERRIDES:
        if getattr(args, key) is not None:
            setattr(spec, key, getattr(args, key))


def cmd_calibrate(args) -> int:
    if args.method == "abc":
        return calibrate_abc(args)
    for key in ABC_ONLY:
        if getattr(args, key):
            raise UsageError(f"--{key.replace('_', '-')} is an option of --method abc")
    from ..calibration import (
        calibrate,
        load_calibration,
        restrict_years,
        write_calibrated,
    )
    from ..calibration import (
        held_out_table as held_out_moments,
    )
    from ..draws import posterior_block
    from ..executors import make_executor

    full = spec = load_calibration(args.calibration)
    override(full, args)
    if args.identify:
        return cmd_identify(full, args)
    if args.years:
        try:
            years = sorted({int(y) for y in args.years.split(",")})
        except ValueError:
            years = []
        if not years or not set(years) <= set(full.years):
            raise UsageError(f"--years {args.years}: expected a comma-separated subset of the "
                             f"years of {args.calibration} ({','.join(map(str, full.years))})")
        spec, dropped = restrict_years(full, years)
        for name in dropped:
            console.print(f"note: {name} acts only after {max(years)}; it is not fitted and "
                          "takes its model default")
    try:
        out = Path(args.out) if args.out else (Path(spec.path).parent / spec.output).resolve()
    except (OSError, RuntimeError):
        raise UsageError(f"{spec.path}: calibration.output: symlink loop in "
                         f"{spec.output!r}") from None
    if spec is not full and not args.out:
        raise UsageError("--years fits a subset of the data: expected --out FILE, so that "
                         f"{full.output} is not overwritten")
    check_file(out, "--out" if args.out else f"{Path(spec.path).name}: calibration.output",
               sidecars=(".fit.json",))
    unit = "evaluations, J = {task.fields[value]}, best {task.fields[best]}"
    with make_executor(args.workers, args.scheduler) as executor, \
            progress_bar(args.quiet, unit, eta=False) as progress:
        task = progress.add_task(f"calibrating {len(spec.parameters)} parameters",
                                 total=spec.max_evaluations + 1, value="-", best="-")

        def update(n, value, best):
            progress.update(task, completed=n, value=f"{value:.4f}", best=f"{best:.4f}")

        result = calibrate(spec, executor, update)
        if spec is not full:
            result["held_out"] = held_out_moments(full, spec, result["theta"], executor)
            for name, *_, table in full.parameters:     # the unfitted ones, as simulated
                if name in dropped:
                    result[table][name] = getattr(spec.scenario, table)[name]
    write_calibrated(spec, result, out, " ".join(sys.argv))
    console.print(calibration_table(result))
    if "held_out" in result:
        console.print(held_out_table(result))
    for name, value in result["theta"].items():
        console.print(f"  {name} = {value:.6g}")
    console.print(f"wrote {out} and {out.with_suffix('.fit.json')}")
    if posterior_block(out.read_text(encoding="utf-8")):
        console.print(escape(f"note: {out.name} keeps its [posterior] link: replicates still "
                             "draw from the earlier posterior sample; after a model change, "
                             "rerun with --method abc"))
    return 0


def calibrate_abc(args) -> int:
    """`--method abc`: the posterior sample file, linked from the point file."""
    if args.years:
        raise UsageError("--years (the out-of-sample check) is an option of --method msm")
    from ..draws import posterior_text
    from ..executors import make_executor
    from ..posterior import default_output, header_lines, link_text, load_abc, run_abc
    from ..provenance import atomic_write

    abc = load_abc(args.calibration)
    for key in (*OVERRIDES, "population", "generations"):
        if getattr(args, key) is not None:
            setattr(abc, key, getattr(args, key))
    if abc.population < 2:
        raise UsageError(f"--population {abc.population}: expected at least 2 particles")
    sample, point = default_output(abc)
    link = None
    if args.out:
        sample = Path(args.out)
        if sample.suffix != ".csv":
            raise UsageError(f"--out {args.out}: expected a .csv file (the posterior sample)")
    else:
        link = point
        if not point.is_file():
            raise UsageError(f"{abc.calibration.path}: calibration.output: {point} not found: "
                             "the sample is linked from the point file; run `zjai calibrate` "
                             "(--method msm) first, or give --out FILE.csv")
    option = "--out" if args.out else f"{Path(abc.calibration.path).name}: posterior.output"
    check_file(sample, option, sidecars=(".db",) if args.keep_database else ())
    if link is not None:
        check_file(link, f"{Path(abc.calibration.path).name}: calibration.output")
    db = sample.with_name(f".{sample.stem}.db.zjai-tmp") if args.keep_database else None
    unit = "particles, {task.fields[evaluations]} evaluations"
    try:
        with make_executor(args.workers, args.scheduler) as executor, \
                progress_bar(args.quiet, unit, eta=False) as progress:
            task = progress.add_task("ABC-SMC", total=abc.population, evaluations=0)

            def update(generation, done, total, evaluations):
                what = (f"generation {generation + 1} of {abc.generations}" if generation >= 0
                        else "sample from the prior")
                progress.update(task, description=f"ABC-SMC {what}", completed=done,
                                total=total, evaluations=evaluations)

            result = run_abc(abc, executor, update, db)
            header = header_lines(abc, result, " ".join(sys.argv), executor.description)
        names = [p[0] for p in abc.calibration.parameters]
        text = posterior_text(header, names, result["sample"])
        atomic_write(sample, lambda p: Path(p).write_text(text, encoding="utf-8"))
        if db is not None:
            os.replace(db, sample.with_suffix(".db"))
    finally:
        if db is not None and db.exists():
            db.unlink()
    if link is not None:
        linked = link_text(link.read_text(encoding="utf-8"), sample, link)
        atomic_write(link, lambda p: Path(p).write_text(linked, encoding="utf-8"))
    for line in header[6:]:
        console.print(escape(line))
    console.print(escape(f"wrote {sample} ({len(result['sample'])} rows)"
                         + (f" and its [posterior] link in {link}" if link else
                            f"; to draw from it, declare it in a scenario: [posterior] file = "
                            f"\"{sample}\"")))
    return 0


def add_parser(sub) -> None:
    cb = sub.add_parser("calibrate", help="fit behavioural parameters: a point by simulated "
                                          "moments, or a posterior by ABC-SMC")
    cb.add_argument("calibration", help="calibration file, e.g. experiments/calibration.toml")
    cb.add_argument("--method", choices=("msm", "abc"), default="msm",
                    help="msm: the point values by simulated moments, written to the file's "
                         "`output` (default); abc: a posterior sample by ABC-SMC (pyabc), "
                         "written to <output stem>.posterior.csv beside it and declared in it "
                         "as [posterior], so each replicate of every scenario draws one row")
    add_option(cb, "out", help="file to write (default: the calibration file's `output`, with "
                               "--method abc its posterior sample file); with --identify, the "
                               "output folder (default: out/identify-<name>)")
    cb.add_argument("--years", help="observed years to fit, e.g. 2019 (default: the file's; "
                                    "--method msm)")
    add_option(cb, "scale", help="population scale of the runs (default: the file's)")
    add_option(cb, "seed", help="master seed (default: the file's)")
    cb.add_argument("--max-evaluations", type=positive_int,
                    help="most model evaluations (default: the file's; abc: checked after "
                         "each generation)")
    cb.add_argument("--population", type=positive_int,
                    help="abc: particles per generation (default: the file's [posterior])")
    cb.add_argument("--generations", type=positive_int,
                    help="abc: most generations (default: the file's [posterior])")
    cb.add_argument("--keep-database", action="store_true",
                    help="abc: keep pyabc's database beside the sample (<name>.db); by "
                         "default it is written in a temporary folder and deleted")
    cb.add_argument("--identify", action="store_true",
                    help="instead of fitting, check which moment pins down which parameter "
                         "at the fitted point (identification.md in --out)")
    add_option(cb, "replicates", default=None, help="replicates per candidate (default: the "
               "file's)")
    add_option(cb, "workers")
    add_option(cb, "scheduler")
    add_option(cb, "quiet", help=None)
    cb.set_defaults(func=cmd_calibrate)
