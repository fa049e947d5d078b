"""Aggregates over the populations that several phases need, compiled (numba)."""

from __future__ import annotations

import sys
from typing import NamedTuple

import numpy as np
from numba import njit, types
from numba.typed import Dict

from . import rules
from .state import N_TIERS, SEEKING

kernel = njit(cache=True)

ALL_EMPLOYERS = -999     # employer filter meaning "everybody"
EMPLOYED, SEEKERS, RESEARCHERS = range(3)   # kinds of employer in `Census.by_city`


class Census(NamedTuple):
    """Living talent counted in one pass: by a talent kernel as it acts (each living row
    after its rule, as `count_all` counts), or by `count_all` after the mesa engine's agents
    acted. Counting as the kernels pass replaced seven passes a month, a fifth of a 1:1 run."""

    heads: np.ndarray       # firm rows x tiers: employed talent (as `heads_by_firm`)
    by_city: np.ndarray     # cities x tiers x kind: EMPLOYED, SEEKERS, RESEARCHERS


def new_census(n_firms: int, n_cities: int) -> Census:
    """An empty census (all counts 0)."""
    return Census(np.zeros((n_firms, N_TIERS), dtype=np.int64),
                  np.zeros((n_cities, N_TIERS, 3), dtype=np.int64))


def talent_counts(census: Census) -> np.ndarray:
    """Living talent per city and tier (as `talent_by_city_tier`)."""
    return census.by_city.sum(axis=2)


@kernel
def employer_kind(employer):
    """EMPLOYED, SEEKERS or RESEARCHERS for an employer code (a firm row, SEEKING or
    RESEARCH_INSTITUTE)."""
    if employer >= 0:
        return EMPLOYED
    return SEEKERS if employer == SEEKING else RESEARCHERS


@kernel
def count_all(n, alive, city, tier, employer, census):
    """Count every living row into `census`.

    Kernels count as they act with the same three lines: a call per row to a function
    taking the arrays cost 25 ns in reference counting, ten times the count itself."""
    heads, by_city = census
    for i in living(n, alive):
        if employer[i] >= 0:
            heads[employer[i], tier[i]] += 1
        by_city[city[i], tier[i], employer_kind(employer[i])] += 1


@kernel
def living(n, alive):
    """Rows below `n` that are alive, in order (as np.flatnonzero). Passes over all talent
    loop over these: a branch on `alive` in the loop was mispredicted on every other row,
    for a third of the loop's time."""
    rows = np.empty(n, dtype=np.int64)
    m = 0
    for i in range(n):
        rows[m] = i
        m += alive[i]
    return rows[:m]


@kernel
def heads_by_firm(n, alive, employer, tier, n_firms, n_tiers):
    """Employed talent per firm row and tier."""
    out = np.zeros((n_firms, n_tiers), dtype=np.int64)
    for i in living(n, alive):
        if employer[i] >= 0:
            out[employer[i], tier[i]] += 1
    return out


@kernel
def talent_by_city_tier(n, alive, city, tier, employer, employer_filter, n_cities, n_tiers):
    """Living talent per city and tier, of one employer code unless the filter is ALL_EMPLOYERS."""
    out = np.zeros((n_cities, n_tiers), dtype=np.int64)
    for i in living(n, alive):
        if employer_filter == ALL_EMPLOYERS or employer[i] == employer_filter:
            out[city[i], tier[i]] += 1
    return out


@kernel
def block_sum(values, rows, lo, n):
    """numpy's pairwise sum of values[rows[lo:lo + n]] for n <= 128: eight running sums."""
    if n < 8:
        total = 0.0
        for i in range(lo, lo + n):
            total += values[rows[i]]
        return total
    r = np.empty(8)
    for j in range(8):
        r[j] = values[rows[lo + j]]
    i = 8
    while i < n - n % 8:
        for j in range(8):
            r[j] += values[rows[lo + i + j]]
        i += 8
    total = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
    while i < n:
        total += values[rows[lo + i]]
        i += 1
    return total


MEMO_KEY = types.UniTuple(types.int64, 3)


@kernel
def pool_memo():
    """An empty memo of pairwise sums for `pool_sum`: (group, start, size) -> sum."""
    return Dict.empty(key_type=MEMO_KEY, value_type=types.float64)


@kernel
def pool_sum(values, prefix, tail, memo, group):
    """`values[concatenate([prefix, tail])].sum()` bit for bit (numpy's pairwise summation,
    `pairwise_sum_DOUBLE`, added to its identity 0), without building the
    pool. The pool of a `group` may only grow at the end of its tail between calls with the
    same `memo`, and the values of its rows must not change: the pairwise sums of its ranges
    (longer than a block) are kept in `memo` under (group, start, size), so summing a group
    again after its tail grew costs the right edge of the pairwise tree (about 128 log n
    additions), not a pass over the group: founders summed their city's firms once each,
    which made founding quadratic in scale."""
    n_prefix = len(prefix)
    buf = np.empty(128, dtype=np.int64)
    size = np.empty(64, dtype=np.int64)
    start = np.empty(64, dtype=np.int64)
    phase = np.empty(64, dtype=np.int64)
    left = np.empty(64)
    top, result = 0, 0.0
    start[0], size[0], phase[0] = 0, n_prefix + len(tail), 0
    while top >= 0:
        first, m = start[top], size[top]
        inside = first + m <= n_prefix
        if m <= 128:
            if inside:
                result = block_sum(values, prefix, first, m)
            else:
                for j in range(m):
                    i = first + j
                    buf[j] = prefix[i] if i < n_prefix else tail[i - n_prefix]
                result = block_sum(values, buf, 0, m)
            top -= 1
            continue
        if phase[top] == 0 and (group, first, m) in memo:
            result = memo[(group, first, m)]
            top -= 1
            continue
        half = m // 2
        half -= half % 8
        if phase[top] == 0:
            phase[top] = 1
            top += 1
            start[top], size[top], phase[top] = first, half, 0
        elif phase[top] == 1:
            left[top] = result
            phase[top] = 2
            top += 1
            start[top], size[top], phase[top] = first + half, m - half, 0
        else:
            result = left[top] + result
            memo[(group, first, m)] = result
            top -= 1
    return 0.0 + result


@kernel
def row_sums(matrix):
    """`matrix.sum(axis=1)` bit for bit for rows of fewer than 8 entries (numpy adds them one
    by one to its identity 0), in a compiled pass: numpy's reduction over a short axis cost
    100 us a call for 7,000 firms x 5 tiers."""
    out = np.zeros(matrix.shape[0], dtype=matrix.dtype)
    for i in range(matrix.shape[0]):
        for k in range(matrix.shape[1]):
            out[i] += matrix[i, k]
    return out


@kernel
def csr_by_city(rows, city, n_cities):
    """Rows grouped by city as (pointer, rows) arrays, keeping row order within a city (a
    counting sort: the stable argsort it replaces cost n log n at scale 10)."""
    ptr = np.zeros(n_cities + 1, dtype=np.int64)
    for i in range(len(city)):
        ptr[city[i] + 1] += 1
    for c in range(n_cities):
        ptr[c + 1] += ptr[c]
    fill = ptr[:-1].copy()
    out = np.empty(len(rows), dtype=np.int64)
    for i in range(len(city)):
        out[fill[city[i]]] = rows[i]
        fill[city[i]] += 1
    return ptr, out


def cache_report() -> dict[str, tuple[int, int]]:
    """(cache hits, cache misses) of every kernel and rule compiled in this process.

    A miss means the kernel was compiled here rather than loaded from the on-disk cache.
    """
    from numba.core.registry import CPUDispatcher

    from . import phases

    modules = [rules, sys.modules[__name__], phases.dispatch, *phases.ORDER]
    out = {}
    for module in modules:
        for name, obj in vars(module).items():
            if isinstance(obj, CPUDispatcher) and obj.signatures:
                st = obj.stats
                out[f"{module.__name__}.{name}"] = (sum(st.cache_hits.values()),
                                                    sum(st.cache_misses.values()))
    return out
