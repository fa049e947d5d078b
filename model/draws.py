"""Posterior sample files: their format, their checks, and one row per replicate seed.

A posterior sample file (`scenarios/calibrated.posterior.csv`, written by `zjai calibrate
--method abc`) holds equally weighted draws of the calibrated parameters: `#` comment lines
with its provenance, a header of parameter names (from model/params.py or model/initial.py),
then one row per draw. A scenario that declares it (`[posterior] file = ...`) runs each
replicate with the row its seed picks (`draw_index`) in place of the point values.
"""

from __future__ import annotations

import csv
import hashlib
import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from .checks import ScenarioError, read_text, short, suggest
from .initial import INITIAL
from .params import PARAMETERS

# the spawn key of the draw's stream: apart from the model's own stream, which is
# default_rng(seed) (a SeedSequence without spawn key), so the row a replicate draws does
# not depend on, or disturb, what its model draws
DRAW_STREAM = 0x706F7374
ROW_KEY = "posterior_row"         # the drawn row's index (0 = first data row) in a draw


def table_of(name: str) -> str:
    """The scenario table a posterior column sets: "initial" or "parameters"."""
    return "initial" if name in INITIAL else "parameters"


def draw_index(seed: int, rows: int) -> int:
    """The row (0-based) that the replicate with `seed` draws from `rows` equally weighted
    rows: a function of the seed alone, so the same seed draws the same row on any
    executor, and common seeds (compare, appraise, optimize) draw common rows."""
    ss = np.random.SeedSequence(int(seed), spawn_key=(DRAW_STREAM,))
    return int(np.random.default_rng(ss).integers(rows))


@dataclass(eq=False)
class Posterior:
    """A loaded posterior sample: `values[i, j]` is draw i of parameter `names[j]`."""

    path: str
    sha256: str
    names: tuple
    values: np.ndarray
    header: tuple = ()
    fixed: frozenset = field(default_factory=frozenset)   # names the scenario's values hold

    @property
    def drawn(self) -> tuple:
        """The parameters a replicate draws (the columns less the scenario's fixed ones)."""
        return tuple(n for n in self.names if n not in self.fixed)

    def record(self) -> dict:
        """The posterior as metadata.json lists it."""
        return {"file": self.path, "sha256": self.sha256, "rows": len(self.values),
                "drawn": list(self.drawn), "fixed": sorted(self.fixed & set(self.names))}

    def draw(self, seed: int) -> dict:
        """{ROW_KEY: row, name: value, ...} of the replicate with `seed`: the row its seed
        picks, moved by a kernel step (`kernel_step`), so that no two replicates run the
        same values even where the resampled rows repeat a particle."""
        i = draw_index(seed, len(self.values))
        x = self.kernel_step(i, seed)
        return {ROW_KEY: i, **{n: float(x[j]) for j, n in enumerate(self.names)
                               if n not in self.fixed}}

    @cached_property
    def _kernel(self):
        """The kernel's h, a, sample mean and covariance root (None under two distinct
        rows): computed once per loaded sample, not per draw."""
        x = self.values
        distinct = len(np.unique(x, axis=0))
        if distinct < 2:
            return None
        d = x.shape[1]
        h = min(0.5, (4.0 / (d + 2)) ** (1.0 / (d + 4)) * distinct ** (-1.0 / (d + 4)))
        lam, vec = np.linalg.eigh(np.atleast_2d(np.cov(x, rowvar=False)))
        return h, math.sqrt(1.0 - h * h), x.mean(axis=0), vec * np.sqrt(np.maximum(lam, 0.0))

    def kernel_step(self, i: int, seed: int) -> np.ndarray:
        """Row `i` under the Liu-West shrinkage kernel (West 1993; Liu and West 2001):
        a * row + (1 - a) * mean + h * N(0, covariance), a = sqrt(1 - h^2), which keeps the
        sample's mean and covariance; h is Silverman's factor for the distinct rows (capped
        at 0.5); values are reflected into the parameter's range. The normal draws come from
        the seed's own stream, apart from the row's and the model's."""
        x = self.values
        if self._kernel is None:
            return x[i].copy()
        h, a, mean, root = self._kernel
        ss = np.random.SeedSequence(int(seed), spawn_key=(DRAW_STREAM, 1))
        z = np.random.default_rng(ss).standard_normal(x.shape[1])
        y = a * x[i] + (1.0 - a) * mean + h * (root @ z)
        registry = {**PARAMETERS, **INITIAL}
        for j, name in enumerate(self.names):
            lo, hi = registry[name].low, registry[name].high
            if y[j] < lo:
                y[j] = lo + (lo - y[j])
            if y[j] > hi:
                y[j] = hi - (y[j] - hi)
            y[j] = min(max(y[j], lo), hi)
        return y

    def row(self, i: int) -> dict:
        """{ROW_KEY: i, name: value, ...}: row `i` of the drawn parameters."""
        return {ROW_KEY: int(i), **{n: float(self.values[i, j])
                                    for j, n in enumerate(self.names) if n not in self.fixed}}


def load_posterior(path, fixed=frozenset()) -> Posterior:
    """Read and check a posterior sample file; one `ScenarioError` naming the file, the
    line and the column for anything wrong (unknown or repeated name, a row of the wrong
    length, a value that is not a number or outside the parameter's range)."""
    path = Path(path)
    text = read_text(path, "a CSV file")
    header = tuple(line[1:].strip() for line in text.splitlines() if line.startswith("#"))
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.startswith("#")]
    if not lines:
        raise ScenarioError(path, None, "no header row: expected a line of parameter names, "
                            "then one row of values per draw")
    (first, head), body = lines[0], lines[1:]
    names = [c.strip() for c in next(csv.reader([head]))]
    registry = {**PARAMETERS, **INITIAL}
    for c, name in enumerate(names, start=1):
        if name not in registry:
            raise ScenarioError(path, f"line {first}, column {c} {short(name)}",
                                f"unknown parameter{suggest(name, registry)}; expected names "
                                "from model/params.py or model/initial.py")
        if names.index(name) != c - 1:
            raise ScenarioError(path, f"line {first}, column {c} {name}", "repeated column")
    if not body:
        raise ScenarioError(path, None, "no rows: expected one row of values per draw")
    values = np.empty((len(body), len(names)))
    for i, (n, line) in enumerate(body):
        cells = next(csv.reader([line]))
        if len(cells) != len(names):
            raise ScenarioError(path, f"line {n}", f"{len(cells)} values; expected "
                                f"{len(names)}, one per column of line {first}")
        for j, (name, cell) in enumerate(zip(names, cells)):
            try:
                v = float(cell)
            except ValueError:
                v = math.nan
            spec = registry[name]
            if not math.isfinite(v) or not spec.low <= v <= spec.high:
                raise ScenarioError(path, f"line {n}, column {name}", f"expected a number in "
                                    f"[{spec.low:g}, {spec.high:g}], got {short(cell.strip())}")
            values[i, j] = v
    return Posterior(str(path), hashlib.sha256(text.encode("utf-8")).hexdigest(), tuple(names),
                     values, header, frozenset(fixed))


def posterior_text(header: list[str], names: list[str], values: np.ndarray) -> str:
    """A posterior sample file: `header` as `#` lines, then the names and rows (floats in
    full precision, so the file reads back to the same numbers)."""
    lines = [f"# {h}".rstrip() for h in header] + [",".join(names)]
    lines += [",".join(repr(float(v)) for v in row) for row in np.asarray(values)]
    return "\n".join(lines) + "\n"


# --- the [posterior] table of a point file (scenarios/calibrated.toml) --------------------

TABLE = re.compile(r"^\s*\[posterior\]", re.MULTILINE)
NEXT_TABLE = re.compile(r"^\s*\[", re.MULTILINE)


def posterior_block(text: str) -> str:
    """The `[posterior]` table of a TOML file's text, as written (or "" if none)."""
    m = TABLE.search(text)
    if m is None:
        return ""
    end = NEXT_TABLE.search(text, m.end())
    return text[m.start():end.start() if end else len(text)].strip() + "\n"


def with_posterior_block(text: str, block: str) -> str:
    """`text` with its `[posterior]` table replaced by `block` (appended if it had none)."""
    old = posterior_block(text)
    if old:
        m = TABLE.search(text)
        end = NEXT_TABLE.search(text, m.end())
        text = text[:m.start()] + text[end.start() if end else len(text):]
    return text.rstrip("\n") + ("\n\n" + block if block else "\n")
