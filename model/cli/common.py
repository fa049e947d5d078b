"""What every subcommand shares: consoles, option declarations, the progress bar, and the
one error path (a user error prints one line on stderr and exits 2, never a traceback)."""

from __future__ import annotations

import argparse
import os
import re
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
from ..executors import ExecutorError
from ..initial import INITIAL
from ..scenario import smallest_scale

# wide tables when output goes to a file or pipe; rich would otherwise wrap at 80 columns
console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True)


class UsageError(Exception):
    """A bad command-line value; reported in one line with exit code 2."""


# --- the one error path --------------------------------------------------------------------

USER_ERRORS = (ScenarioError, UsageError, ExecutorError)


MAX_MESSAGE = 1000            # characters of one error line


def one_line(message: str, limit: int = MAX_MESSAGE) -> str:
    """`message` as one printable line: control characters (a newline in a key or file name)
    and undecodable bytes escaped, the middle of an over-long message cut."""
    text = "".join(ch if ch.isprintable() else ch.encode("unicode_escape",
                                                          "backslashreplace").decode("ascii")
                   for ch in str(message))
    if len(text) > limit:
        text = text[:limit // 2 - 2] + " ... " + text[-(limit // 2 - 3):]
    return text


def fail(message: str) -> int:
    """Report a user error in one line on stderr; the exit code 2."""
    print(f"zjai: error: {one_line(message)}", file=sys.stderr)
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

MAX_REPLICATES = 10_000       # replicates of one scenario in run / compare / validate
MAX_JOBS = 10_000
MAX_SEED = 2**63              # numpy SeedSequence entropy; seeds are 0 <= seed < 2**63


def whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def positive_int(text: str) -> int:
    """A whole number >= 1."""
    value = whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {value}")
    return value


def nonnegative_int(text: str) -> int:
    """A whole number >= 0."""
    value = whole_number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {value}")
    return value


def at_most(limit: int, why: str):
    """The type of a whole number in [1, limit]."""
    def count(text: str) -> int:
        value = positive_int(text)
        if value > limit:
            raise argparse.ArgumentTypeError(f"expected at most {limit:,} ({why}), got "
                                             f"{value:,}")
        return value
    count.__name__ = "count"
    return count


replicates = at_most(MAX_REPLICATES, "each replicate's trajectories are kept in memory")
jobs = at_most(MAX_JOBS, "batch jobs of one sweep")


def max_workers() -> int:
    return 4 * (os.cpu_count() or 1)


def workers(text: str) -> int:
    """Local worker processes: 1 to four per core of this machine."""
    value = positive_int(text)
    if value > max_workers():
        raise argparse.ArgumentTypeError(f"expected at most {max_workers()} (4 per core of "
                                         f"this machine), got {value:,}")
    return value


def seed(text: str) -> int:
    """A master seed: a whole number in [0, 2**63)."""
    value = whole_number(text)
    if not 0 <= value < MAX_SEED:
        raise argparse.ArgumentTypeError(f"expected a seed in [0, 2**63 - 1], got {text}")
    return value


def scale(text: str) -> float:
    """A population scale in (0, 10] at which the register keeps a few firms."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0.0 < value <= 10.0:
        raise argparse.ArgumentTypeError(f"expected a scale in (0, 10], got {value}")
    low = smallest_scale(INITIAL["register_firms"].default)
    if value < low:
        raise argparse.ArgumentTypeError(f"expected a scale >= {low:g} (the smallest at "
                                         f"which the 2017 register keeps 3 firms), got {value:g}")
    return value


def port(text: str) -> int:
    """A TCP port, 1-65535."""
    value = whole_number(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port in [1, 65535], got {value}")
    return value


SCHEDULER = re.compile(r"(?:(?P<scheme>tcp|tls|ws|wss|ucx)://)?"
                       r"(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}))"
                       r":(?P<port>[0-9]{1,5})/?")


def scheduler(text: str) -> str:
    """A Dask scheduler address: tcp://HOST:PORT (also tls://, ws://, wss://, ucx://)."""
    m = SCHEDULER.fullmatch(text)
    if not m or not 1 <= int(m["port"]) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a scheduler address tcp://HOST:PORT "
                                         f"(PORT in 1-65535), got {text!r}")
    return text if m["scheme"] else f"tcp://{text}"


# --- shared options, declared once ---------------------------------------------------------

# name -> (flags, argparse keywords); a subcommand may override the help text or default
OPTIONS: dict[str, tuple[tuple[str, ...], dict]] = {
    "replicates": (("--replicates",), {"type": replicates,
                                       "help": "replicates (default: the scenario's)"}),
    "seed": (("--seed",), {"type": seed, "help": "master seed (default: the scenario's)"}),
    "scale": (("--scale",), {"type": scale, "help": "population scale in (0, 10] "
                                                    "(default: the scenario's)"}),
    "engine": (("--engine",), {"choices": ENGINES, "default": "numba", "help": "step engine"}),
    "out": (("--out",), {"help": "output folder"}),
    "quiet": (("--quiet",), {"action": "store_true", "help": "no progress bar"}),
    "point_estimate": (("--point-estimate",), {
        "action": "store_true",
        "help": "run the calibrated point values in every replicate (default: each "
                "replicate draws one row of the scenario's posterior sample, if it declares "
                "one; README, \"Where the parameters come from\")"}),
    "workers": (("--workers",), {"type": workers, "default": 1,
                                 "help": "local worker processes"}),
    "scheduler": (("--scheduler",), {"type": scheduler,
                                     "help": "a Dask scheduler address, tcp://HOST:PORT"}),
    "cluster": (("--cluster",), {"choices": ("slurm", "pbs"),
                                 "help": "start Dask workers as batch jobs"}),
    "jobs": (("--jobs",), {"type": jobs, "default": 1,
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
        out[key.replace("-", "_")] = int(value) if value.isascii() and value.isdigit() else value
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
