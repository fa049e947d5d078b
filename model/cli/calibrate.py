"""`zjai calibrate`: fit behavioural parameters by simulated moments (see model.calibration);
with `--identify`, the identification check at the fitted point (model.identification)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..provenance import atomic_write
from ..reports import (
    calibration_table,
    held_out_table,
    identification_report,
    identification_terminal,
)
from .common import UsageError, add_option, console, positive_int, progress_bar
from .outputs import check_file, check_folder, default_folder, staged_folder


def apply_overrides(spec, args) -> None:
    """--replicates, --scale and --max-evaluations in place of the file's values."""
    for key in ("replicates", "scale", "max_evaluations"):
        if getattr(args, key) is not None:
            setattr(spec, key, getattr(args, key))


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


def cmd_calibrate(args) -> int:
    from ..calibration import (
        calibrate,
        load_calibration,
        restrict_years,
        write_calibrated,
    )
    from ..calibration import (
        held_out_table as held_out_moments,
    )
    from ..executors import make_executor

    full = spec = load_calibration(args.calibration)
    apply_overrides(full, args)
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
    return 0


def add_parser(sub) -> None:
    cb = sub.add_parser("calibrate", help="fit behavioural parameters by simulated moments")
    cb.add_argument("calibration", help="calibration file, e.g. experiments/calibration.toml")
    add_option(cb, "out", help="parameter file to write (default: the file's `output`); "
               "with --identify, the output folder (default: out/identify-<name>)")
    cb.add_argument("--years", help="observed years to fit, e.g. 2019 (default: the file's)")
    cb.add_argument("--identify", action="store_true",
                    help="instead of fitting, check which moment pins down which parameter "
                         "at the fitted point (identification.md)")
    add_option(cb, "replicates", default=None, help="replicates per candidate (default: the "
               "file's)")
    add_option(cb, "scale", help="population scale (default: the file's)")
    cb.add_argument("--max-evaluations", type=positive_int, metavar="N",
                    help="evaluations of the fit (default: the file's)")
    add_option(cb, "workers")
    add_option(cb, "scheduler")
    add_option(cb, "quiet", help=None)
    cb.set_defaults(func=cmd_calibrate)
