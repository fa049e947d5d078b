"""What every subcommand shares: consoles, option declarations, the progress bar, and the
one error path (a user error prints one line on stderr and exits 2, never a traceback)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)

from ..checks import ScenarioError
from ..ecosystem import ENGINES

# wide tables when output goes to a file or pipe; rich would otherwise wrap at 80 columns
console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True)


class UsageError(Exception):
    """A bad command-line value; reported in one line with exit code 2."""


# --- the one error path --------------------------------------------------------------------

USER_ERRORS = (ScenarioError, UsageError)


def fail(message: str) -> int:
    """Report a user error in one line on stderr; the exit code 2."""
    print(f"zjai: error: {message}", file=sys.stderr)
    return 2


def call(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a subcommand, turning user errors and Ctrl-C into one line and exit code 2."""
    try:
        return func(args)
    except USER_ERRORS as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("interrupted; nothing was written")


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors (exit 2) instead of usage plus error."""

    def error(self, message):
        fail(f"{self.prog}: {message} (see `{self.prog} --help`)")
        raise SystemExit(2)


# --- option values -------------------------------------------------------------------------

def positive_int(text: str) -> int:
    """A whole number >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {value}")
    return value


def scale(text: str) -> float:
    """A population scale in (0, 10]."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0.0 < value <= 10.0:
        raise argparse.ArgumentTypeError(f"expected a scale in (0, 10], got {value}")
    return value


# --- shared options, declared once ---------------------------------------------------------

# name -> (flags, argparse keywords); a subcommand may override the help text or default
OPTIONS: dict[str, tuple[tuple[str, ...], dict]] = {
    "replicates": (("--replicates",), {"type": positive_int,
                                       "help": "replicates (default: the scenario's)"}),
    "seed": (("--seed",), {"type": int, "help": "master seed (default: the scenario's)"}),
    "scale": (("--scale",), {"type": scale, "help": "population scale in (0, 10] "
                                                    "(default: the scenario's)"}),
    "engine": (("--engine",), {"choices": ENGINES, "default": "numba", "help": "step engine"}),
    "out": (("--out",), {"help": "output folder"}),
    "quiet": (("--quiet",), {"action": "store_true", "help": "no progress bar"}),
    "workers": (("--workers",), {"type": positive_int, "default": 1,
                                 "help": "local worker processes"}),
    "scheduler": (("--scheduler",), {"help": "a Dask scheduler address, tcp://HOST:PORT"}),
    "cluster": (("--cluster",), {"choices": ("slurm", "pbs"),
                                 "help": "start Dask workers as batch jobs"}),
    "jobs": (("--jobs",), {"type": positive_int, "default": 1,
                           "help": "batch jobs with --cluster"}),
    "job_option": (("--job-option",), {
        "action": "append", "metavar": "KEY=VALUE",
        "help": "dask-jobqueue option, e.g. cores=16 memory=32GB walltime=02:00:00 "
                "queue=normal account=proj (repeatable)"}),
}


def add_option(parser: argparse.ArgumentParser, name: str, **overrides) -> None:
    """Add the shared option `name` (a key of OPTIONS), e.g. a command's own help text."""
    flags, spec = OPTIONS[name]
    parser.add_argument(*flags, **{**spec, **overrides})


def job_options(pairs) -> dict:
    """--job-option KEY=VALUE pairs for dask-jobqueue (numbers where they look like numbers)."""
    out = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--job-option expects KEY=VALUE, got {pair!r}")
        out[key.replace("-", "_")] = int(value) if value.isdigit() else value
    return out


# --- the progress bar ----------------------------------------------------------------------

def progress_bar(quiet: bool, unit: str | None = None, eta: bool = True) -> Progress:
    """A progress display on stderr: the task's description, then, given a `unit` (text after
    the count, may name task fields), a bar, done/total and the unit, and with `eta` the time
    left. Without a unit only the description shows (work of unknown length)."""
    columns: list[ProgressColumn] = [TextColumn("[bold]{task.description}")]
    if unit is not None:
        columns += [BarColumn(), MofNCompleteColumn(), TextColumn(unit)]
        if eta:
            columns.append(TimeRemainingColumn())
    return Progress(*columns, console=err_console, disable=quiet)
