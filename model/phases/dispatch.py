"""Running a rule under the model's engine, and the talent departures kernels report.

`act` is the one place that chooses the engine: the numba kernel over the arrays, or every
agent's own Mesa method in row order (`AgentSet.do`). Kernels that remove talent return the
rows and reasons in `Departures` buffers, booked afterwards exactly as `talent_leaves`
books them one by one in the mesa engine. Talent kernels loop over the living rows
(`Population.alive_rows()`), not over every row: a third of the rows are dead by 2030, and
a branch on `alive` in the loop was mispredicted on every other row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numba import njit

from ..state import N_TIERS, SEEKING

kernel = njit(cache=True)
# compiled ports of numpy expressions (per-firm arithmetic) keep numpy's arithmetic: a
# division by zero gives inf or nan instead of raising, and they use np.maximum and
# np.minimum, which pass NaN on where Python's max and min may drop it
numpy_kernel = njit(cache=True, error_model="numpy")

LEFT_ATTRITION, LEFT_OUT_MIGRATION, LEFT_GAVE_UP = 0, 1, 2
LEFT_REASONS = ("attrition", "out_migration", "gave_up")


@kernel
def grown(a, size):
    """`a` copied into a new array of `size` elements (a kernel's output buffer that
    filled up; the entries past `len(a)` are not set)."""
    out = np.empty(size, dtype=a.dtype)
    out[: len(a)] = a
    return out


def columns(population, bundle: type[NamedTuple]) -> NamedTuple:
    """The columns of `population` named by the fields of `bundle`, as a `bundle`: made once
    per generation of its arrays (`Population.generation`; the cities' never change)."""
    made = population.__dict__.setdefault("_bundles", {})
    generation = getattr(population, "generation", 0)
    if bundle not in made or made[bundle][0] != generation:
        made[bundle] = (generation, bundle(*(getattr(population, name)
                                             for name in bundle._fields)))
    return made[bundle][1]


def act(model, population: str, method: str, run_kernel: Callable[[], object]):
    """Run one agent rule under the model's engine: `run_kernel()` (numba) or each living
    agent's `method` of `population` in row order (mesa). Returns the kernel's result, or
    None under the mesa engine."""
    if model.engine == "numba":
        return run_kernel()
    model.agent_set(population).do(method)
    return None


class TalentLeft(NamedTuple):
    """Output buffers of a talent kernel: rows that left and the reason code of each."""

    rows: np.ndarray
    reason: np.ndarray


def departure_buffers(n: int) -> TalentLeft:
    return TalentLeft(np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64))


@kernel
def leave(row, reason, alive, employer, left, n_left):
    """Kernel form of `talent_leaves`: mark the row gone and note why."""
    alive[row] = False
    employer[row] = SEEKING
    left.rows[n_left] = row
    left.reason[n_left] = reason
    return n_left + 1


def talent_leaves(model, row: int, reason: str) -> None:
    """Talent `row` leaves Zhejiang's AI pool (attrition, out-migration, gave up)."""
    t = model.state.talent
    t.alive[row] = False
    t.employer[row] = SEEKING
    model.tally.flows[reason][t.tier[row]] += 1
    model.mark_dead("talent", [row])


def act_on_talent(model, method: str, run_kernel: Callable[[TalentLeft], int]) -> int | None:
    """`act` for a talent rule that may remove talent: the kernel gets departure buffers and
    returns how many left; their departures are booked as `talent_leaves` books them.
    Returns the kernel's count (None under the mesa engine)."""
    left = departure_buffers(model.state.talent.n)
    n_left = act(model, "talent", method, lambda: run_kernel(left))
    book_departures(model, left, n_left)
    return n_left


def act_and_count(model, method: str, run_kernel: Callable[[TalentLeft, object], int],
                  counts, recount: Callable[[], object]):
    """`act_on_talent` for a rule whose kernel also counts the talent it leaves, in
    `counts` (what the phase needs next: e.g. an `aggregates.Census`, zeroed or as it was
    before the rule). Returns them, or `recount()` (the same quantities counted afresh)
    under the mesa engine, whose agents acted one by one; and how many left (None under
    the mesa engine)."""
    n_left = act_on_talent(model, method, lambda left: run_kernel(left, counts))
    return (recount() if n_left is None else counts), n_left


def extend_rows(rows: np.ndarray, kept: int, first: int, stop: int) -> np.ndarray:
    """`rows[:kept]` followed by the new rows first..stop-1: written in place when `rows`
    starts the array it is a view of and that has room (the month's living rows are one
    buffer, compacted in place by the kernels), else into a new array with a quarter more
    room. Copying the living rows into a new array every month was 0.3 ms of a 1:1 month."""
    need = kept + stop - first
    base = rows if rows.base is None else rows.base
    if not (isinstance(base, np.ndarray) and base.ndim == 1 and base.dtype == rows.dtype
            and base.strides == rows.strides and len(base) >= need
            and base.ctypes.data == rows.ctypes.data):
        base = np.empty(need + need // 4 + 64, dtype=rows.dtype)
        base[:kept] = rows[:kept]
    base[kept:need] = np.arange(first, stop)
    return base[:need]


def book_departures(model, left: TalentLeft, n_left: int | None) -> None:
    """Book a kernel's departures as `talent_leaves` would (nothing under the mesa engine)."""
    if not n_left:
        return
    rows, reasons = left.rows[:n_left], left.reason[:n_left]
    tiers = model.state.talent.tier[rows]
    flows = model.tally.flows
    for code, reason in enumerate(LEFT_REASONS):
        flows[reason] += np.bincount(tiers[reasons == code], minlength=N_TIERS)
    model.mark_dead("talent", rows)
