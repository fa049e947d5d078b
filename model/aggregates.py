"""Aggregates over the populations that several phases need, compiled (numba)."""

from __future__ import annotations

import sys

import numpy as np
from numba import njit

from . import rules

kernel = njit(cache=True)

ALL_EMPLOYERS = -999     # employer filter meaning "everybody"


@kernel
def heads_by_firm(n, alive, employer, tier, n_firms, n_tiers):
    """Employed talent per firm row and tier."""
    out = np.zeros((n_firms, n_tiers), dtype=np.int64)
    for i in range(n):
        if alive[i] and employer[i] >= 0:
            out[employer[i], tier[i]] += 1
    return out


@kernel
def talent_by_city_tier(n, alive, city, tier, employer, employer_filter, n_cities, n_tiers):
    """Living talent per city and tier, of one employer code unless the filter is ALL_EMPLOYERS."""
    out = np.zeros((n_cities, n_tiers), dtype=np.int64)
    for i in range(n):
        if alive[i] and (employer_filter == ALL_EMPLOYERS or employer[i] == employer_filter):
            out[city[i], tier[i]] += 1
    return out


@kernel
def choose_many(weights, uniforms):
    """`rules.choose_index` for each uniform."""
    out = np.empty(len(uniforms), dtype=np.int64)
    for j in range(len(uniforms)):
        out[j] = rules.choose_index(weights, uniforms[j])
    return out


def csr_by_city(rows: np.ndarray, city: np.ndarray, n_cities: int):
    """Rows grouped by city as (pointer, rows) arrays, keeping row order within a city."""
    order = np.argsort(city, kind="stable")
    counts = np.bincount(city, minlength=n_cities)
    ptr = np.zeros(n_cities + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    return ptr, rows[order].astype(np.int64)


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
